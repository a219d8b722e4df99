/** A child's core group (002 §3.7): the plan it carries out, when the next meeting is due, and every meeting. */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../forms/index.ts';
import {
  type CoreGroupPagesOptions,
  VIEW,
  doneOf,
  dueView,
  leadHref,
  longDate,
  meetingRow,
  render,
  scheduleHref,
} from './shared.ts';

export function groupPage(app: FastifyInstance, { coreGroups }: CoreGroupPagesOptions): void {
  app.get('/children/:childId/core-groups', { config: VIEW }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const view = await coreGroups.forChild(request.actor!, childId, requestContext(request));
    const plan = view.plan;
    return render(reply, 'group.njk', 'Core group', {
      view,
      plan,
      done: doneOf(request.query),
      caption: view.child.name,
      backHref: `/children/${view.child.id}`,
      conferenceText: plan ? `${plan.conferenceTitle} on ${longDate(plan.conferenceDate)}` : null,
      firstDateText: plan?.firstCoreGroupDate ? longDate(plan.firstCoreGroupDate) : 'Not set',
      actions: plan?.actions.map((a) => ({ ...a, byWhenText: a.byWhen ? longDate(a.byWhen) : 'No date' })) ?? [],
      due: dueView(view.due),
      rows: view.meetings.map(meetingRow),
      scheduleHref: scheduleHref(view.child.id),
      leadHref: leadHref(view.child.id),
    });
  });
}
