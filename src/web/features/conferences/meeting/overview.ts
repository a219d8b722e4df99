/** The chair's view of the conference on the day: where each step stands, and the message after a change. */
import type { FastifyInstance } from 'fastify';
import { englandClockTime, formatLongDate, londonDateOf } from '../../../../domain/calendar/index.ts';
import { AccessDeniedError } from '../../../../domain/shared/errors.ts';
import { requestContext, text } from '../../../forms/index.ts';
import { DONE_MESSAGES, type MeetingPages, READ, meetingParams, names, render } from './shared.ts';

export function overviewRoutes(app: FastifyInstance, { load, planEndings }: MeetingPages): void {
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
    // 002 §3.9: what this conference must know of each child's plan since their last conference.
    const planNotes: string[] = [];
    for (const c of planEndings ? view.children : []) {
      // Someone who sees the conference only as a complaint's investigator does not see the child's record.
      const p = await planEndings!
        .forChild(request.actor!, c.childId, requestContext(request))
        .catch((err: unknown) => {
          if (err instanceof AccessDeniedError) return null;
          throw err;
        });
      if (!p?.plan || p.plan.conferenceId === view.conference.id) continue;
      const e = p.ending;
      if (p.state === 'ended' && e && e.reason !== 'conference')
        planNotes.push(
          `${c.givenNames}’s plan ended on ${formatLongDate(e.endedOn)}. ${e.reasonLabel}` +
            (e.authorisedByName ? `, with the authority of ${e.authorisedByName}.` : '.'),
        );
      else if (p.state === 'active' && p.transfer)
        planNotes.push(
          `${c.givenNames}’s family has moved to ${p.transfer.authorityName}: the plan continues until its conference is held and confirmed in writing.`,
        );
    }
    return render(reply, 'meeting-overview.njk', view, `Conference for ${names(view.children)}`, {
      done: DONE_MESSAGES[doneKey] ?? null,
      registerCounts,
      openReferrals,
      inviteeCount: view.invitees.length,
      planNotes,
      reminderGivenText: reminderGiven
        ? `${englandClockTime(reminderGiven)} on ${formatLongDate(londonDateOf(reminderGiven))}`
        : null,
    });
  });
}
