/** One request for a conference (002 §1.1): what was asked, and the decision, or the way to decide it. */
import type { FastifyInstance } from 'fastify';
import { formatLongDate, parseIsoDate } from '../../../domain/calendar/index.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import {
  type ConferenceRequestPagesOptions,
  VIEW,
  childListHref,
  dateText,
  doneOf,
  render,
  requestHref,
  requestRows,
  rowOf,
} from './shared.ts';

export function requestPages(app: FastifyInstance, { conferenceRequests }: ConferenceRequestPagesOptions): void {
  app.get('/conference-requests/:requestId', { config: VIEW }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const r = await conferenceRequests.detail(request.actor!, requestId, requestContext(request));
    const decisionRows = r.decision
      ? [
          {
            key: { text: 'Decided' },
            value: { text: `${dateText(r.decision.decidedAt)} by ${r.decision.decidedByName ?? 'unknown'}` },
          },
          ...(r.decision.reasons
            ? [{ key: { text: 'Reasons for declining' }, value: { text: r.decision.reasons } }]
            : []),
          ...(r.decision.discussion
            ? [{ key: { text: 'Discussion to resolve the difference' }, value: { text: r.decision.discussion } }]
            : []),
          ...(r.decision.exceptionReason
            ? [
                {
                  key: { text: 'Why this supported request was not agreed' },
                  value: { text: r.decision.exceptionReason },
                },
              ]
            : []),
          {
            key: { text: 'Professional told' },
            value: { text: r.requesterEmailed ? 'By email' : 'No email address: tell them another way' },
          },
        ]
      : [];
    // 002 §1.1: the conference convened from the request, and whether the professional was told its date.
    const conferenceRows = r.conference
      ? [
          { key: { text: 'Date' }, value: { text: formatLongDate(parseIsoDate(r.conference.scheduledDate)) } },
          {
            key: { text: 'Professional told the date' },
            value: { text: r.requesterToldOfConference ? 'By email' : 'No email address: tell them another way' },
          },
        ]
      : [];
    return render(reply, 'request.njk', 'Request for a conference', {
      conferenceRows,
      r: rowOf(r),
      caption: r.childName,
      backHref: childListHref(r.childId),
      rows: requestRows(r),
      decisionRows,
      decideHref: r.canDecide ? `${requestHref(r.id)}/decision` : null,
      done: doneOf(request.query),
    });
  });
}
