import { REQUEST_STATUS_LABELS, SUPPORT_KIND_LABELS } from '../../domain/conference-requests/requests.ts';
import type { ConferenceRequestRecord } from './ports.ts';
import type { ConferenceRequestView } from './use-cases.ts';

/** The link that starts convening with the child already chosen, answering the request (002 §1.1). */
export const conveneLinkFor = (childId: string, requestId: string): string =>
  `/conferences/new?child=${childId}&request=${requestId}`;

/** Shown once the conference asked for is convened (002 §1.1). */
export const CONVENED_LABEL = 'Conference convened';

export function viewOf(r: ConferenceRequestRecord, childName: string): ConferenceRequestView {
  return {
    id: r.id,
    childId: r.childId,
    childName,
    requester: {
      professionalId: r.professionalId,
      name: r.requesterName,
      agency: r.requesterAgency,
      role: r.requesterRole,
      email: r.requesterEmail,
    },
    reasons: r.reasons,
    support: {
      value: r.support,
      label: SUPPORT_KIND_LABELS[r.support],
      supporterName: r.supporterName,
      supported: r.support !== 'none',
    },
    status: { value: r.status, label: r.conference ? CONVENED_LABEL : REQUEST_STATUS_LABELS[r.status] },
    recordedAt: r.recordedAt,
    recordedByName: r.recordedByName,
    decision: r.decidedAt
      ? {
          decidedByName: r.decidedByName,
          decidedAt: r.decidedAt,
          reasons: r.declineReasons,
          discussion: r.discussion,
          exceptionReason: r.exceptionReason,
        }
      : null,
    requesterEmailed: r.requesterToldMessageId !== null,
    conveneLink: r.status === 'agreed' && !r.conference ? conveneLinkFor(r.childId, r.id) : null,
    conference: r.conference
      ? { id: r.conference.id, scheduledDate: r.conference.scheduledDate, href: `/conferences/${r.conference.id}` }
      : null,
    requesterToldOfConference: r.convenedToldMessageId !== null,
  };
}
