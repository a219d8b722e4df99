/** Adding a child, step 2: check the answers, then save the record. */
import type { FastifyInstance } from 'fastify';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { legalStatusText } from '../../../../domain/people/index.ts';
import { requestContext } from '../../../forms/index.ts';
import { renderNewChild } from '../child-form.ts';
import { childInputFrom, childProblems } from '../forms.ts';
import type { AddChildDeps } from './details.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

export function checkStep(app: FastifyInstance, { people, clock, drafts }: AddChildDeps): void {
  app.get('/children/new/check', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = drafts.load(request, actor.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    try {
      const prepared = await people.prepareNewChild(actor, childInputFrom(values).input, requestContext(request));
      return reply.view('children/check-answers.njk', {
        title: 'Check the child’s details before saving',
        prepared: {
          ...prepared,
          details: {
            ...prepared.details,
            legalStatusText: legalStatusText(prepared.details.legalStatus, prepared.details.legalStatusDetails),
          },
        },
        restrictionShown: people.mayRestrictNewChild(actor),
      });
    } catch (err) {
      return renderNewChild(reply, people, actor, values, childProblems(err));
    }
  });

  app.post('/children/new/check', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = drafts.load(request, actor.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    let created: { id: string; canView: boolean };
    try {
      created = await people.createChild(actor, childInputFrom(values).input, requestContext(request));
    } catch (err) {
      // Something changed since the check (a reference taken meanwhile): back to the form, answers kept.
      return renderNewChild(reply, people, actor, values, childProblems(err));
    }
    drafts.clear(reply);
    if (created.canView) return reply.flash('child-added').redirect(`/children/${created.id}`, 303);
    return reply.view('children/child-added.njk', { title: 'Child’s record added' });
  });
}
