/** A case note typed by staff on a child's record. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PeopleService } from '../../../app/people/people-service.ts';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  requestContext,
  zodErrors,
} from '../../forms/index.ts';
import { childProblems } from './forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

const caseNoteForm = z.object({
  text: z.string().trim().min(1, 'Enter the case note').max(10_000, 'Case note must be 10,000 characters or fewer'),
});

export function caseNotePage(app: FastifyInstance, { people }: { people: PeopleService }): void {
  const render = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const child = await people.childHeading(request.actor!, childId, 'case-note.add', requestContext(request));
    return reply.view('children/case-note.njk', { title: 'Add a case note', child, values, errors });
  };

  app.get('/children/:id/case-notes/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return render(reply, request, id, {});
  });

  app.post('/children/:id/case-notes/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), ['text']);
    const parsed = caseNoteForm.safeParse(values);
    if (!parsed.success) {
      reply.code(400);
      return render(reply, request, id, values, zodErrors(parsed.error));
    }
    try {
      await people.writeCaseNote(request.actor!, id, parsed.data.text, requestContext(request));
    } catch (err) {
      reply.code(400);
      return render(reply, request, id, values, childProblems(err));
    }
    return reply.flash('case-note-added').redirect(`/children/${id}`, 303);
  });
}
