/** A child's plan: whether it is in place or ended and why, the agencies told, and any move to another authority. */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../forms/index.ts';
import { type PlanEndingPagesOptions, VIEW, doneOf, render, statusHref } from './shared.ts';

export const STATE_TEXT = {
  none: 'No child protection plan',
  active: 'Child protection plan in place',
  'ended-at-conference': 'Ended by a conference: the ending still to be recorded',
  ended: 'Ended',
} as const;

export function statusPage(app: FastifyInstance, { planEndings }: PlanEndingPagesOptions): void {
  app.get('/children/:id/plan-ending', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await planEndings.forChild(request.actor!, id, requestContext(request));
    return render(reply, 'status.njk', `${view.child.givenNames} ${view.child.familyName}’s plan`, {
      view,
      base: statusHref(view.child.id),
      stateText: STATE_TEXT[view.state],
      done: doneOf(request.query),
      lettersToPost: view.ending?.notices.filter((n) => n.method === 'letter' && !n.postedAt) ?? [],
    });
  });
}
