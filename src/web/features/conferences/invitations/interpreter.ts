/** Adding an interpreter to the invitations. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  readingContext,
  requestContext,
  str,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { EDIT, type InvitationServices } from './shared.ts';

export function interpreterPage(app: FastifyInstance, { convening }: InvitationServices): void {
  const INTERPRETER_FIELDS = ['name', 'language', 'agencyId', 'email'];
  const renderInterpreter = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParams('id').parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, readingContext(request));
    if (errors.length) reply.code(400);
    const languages = [
      ...new Set(
        candidates.family
          .filter((f) => f.language)
          .map((f) => `${f.name}: ${f.language}${f.interpreterNeeded ? ' (interpreter needed)' : ''}`),
      ),
    ];
    return reply.view('conferences/convening/interpreter.njk', {
      title: 'Add an interpreter',
      o: overview,
      errors,
      values,
      languages,
      agencyItems: [
        { value: '', text: 'Select the interpreting service' },
        ...candidates.agencies.map((a) => ({ value: a.id, text: a.name, selected: values['agencyId'] === a.id })),
      ],
    });
  };

  app.get('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) =>
    renderInterpreter(request, reply, {}),
  );

  app.post('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), INTERPRETER_FIELDS);
    const v = (k: string) => str(values[k]);
    try {
      await convening.invite(
        request.actor!,
        id,
        [
          {
            kind: 'interpreter',
            interpreter: {
              name: v('name'),
              language: v('language'),
              agencyId: v('agencyId') || null,
              email: v('email'),
            },
          },
        ],
        requestContext(request),
      );
    } catch (err) {
      const errors = serviceErrors(err, values).map((e) => ({ ...e, href: e.href.replace(/^#invitees\.0\./, '#') }));
      return renderInterpreter(request, reply, values, errors);
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });
}
