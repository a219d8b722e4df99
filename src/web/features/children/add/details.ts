/** Adding a child, step 1: the child's details, held in the browser (encrypted) until they are checked and saved. */
import type { FastifyInstance } from 'fastify';
import type { PeopleService } from '../../../../app/people/people-service.ts';
import type { Clock } from '../../../../app/unit-of-work.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import type { DraftStore } from '../../../draft-store.ts';
import { type FormError, bodyOf, requestContext } from '../../../forms/index.ts';
import { renderNewChild } from '../child-form.ts';
import { childErrors, childInputFrom, childProblems, childValues } from '../forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

export interface AddChildDeps {
  people: PeopleService;
  clock: Clock;
  drafts: DraftStore;
}

export function detailsStep(app: FastifyInstance, { people, clock, drafts }: AddChildDeps): void {
  app.get('/children/new', { config: EDIT }, async (request, reply) => {
    drafts.clear(reply);
    const actor = request.actor!;
    // A social worker adding a child is allocated to it unless they choose someone else (the service does the same).
    return renderNewChild(reply, people, actor, {
      allocatedSocialWorkerId: actor.roles.includes('social_worker') ? actor.id : '',
    });
  });

  /** Back from "check your answers" (its Change links): the form with the answers given so far. */
  app.get('/children/new/details', { config: EDIT }, async (request, reply) => {
    const values = drafts.load(request, request.actor!.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    return renderNewChild(reply, people, request.actor!, values);
  });

  app.post('/children/new', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = childValues(bodyOf(request));
    const { input, errors } = childInputFrom(values);
    let ruleErrors: FormError[] = [];
    try {
      await people.prepareNewChild(actor, input, requestContext(request));
    } catch (err) {
      ruleErrors = childProblems(err);
    }
    const all = childErrors(errors, ruleErrors);
    if (all.length) return renderNewChild(reply, people, actor, values, all);
    if (!drafts.save(reply, actor.id, values, clock.now())) {
      return renderNewChild(reply, people, actor, values, [
        { text: 'Your answers are too long to hold: shorten the address or name fewer staff', href: '#address' },
      ]);
    }
    return reply.redirect('/children/new/check', 303);
  });
}
