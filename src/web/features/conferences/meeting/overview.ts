/** The chair's view of the conference on the day: where each step stands, and the message after a change. */
import type { FastifyInstance } from 'fastify';
import { englandClockTime, formatLongDate, londonDateOf } from '../../../../domain/calendar/index.ts';
import { text } from '../../../forms/index.ts';
import { DONE_MESSAGES, type MeetingPages, READ, meetingParams, names, render } from './shared.ts';

export function overviewRoutes(app: FastifyInstance, { load }: MeetingPages): void {
  app.get('/conferences/:id/meeting', { config: READ }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    const registerCounts = view.parts.map((p) => ({
      part: p,
      recorded: view.attendance.filter((a) => a.partId === p.id && a.status !== 'invited').length,
      present: view.attendance.filter((a) => a.partId === p.id && a.status === 'attended').length,
    }));
    const openReferrals = view.children.filter((c) => c.decision?.referral && !c.decision.referral.reviewedOn);
    const reminderGiven = view.conference.reminderGivenAt;
    return render(reply, 'meeting-overview.njk', view, `Conference for ${names(view.children)}`, {
      done: DONE_MESSAGES[doneKey] ?? null,
      registerCounts,
      openReferrals,
      inviteeCount: view.invitees.length,
      reminderGivenText: reminderGiven
        ? `${englandClockTime(reminderGiven)} on ${formatLongDate(londonDateOf(reminderGiven))}`
        : null,
    });
  });
}
