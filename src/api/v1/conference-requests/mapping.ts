import type { ConferenceRequestView } from '../../../app/conference-requests/service.ts';

/** The allow-list of a request that leaves through the API (the child's name stays out). */
export function requestOut(r: ConferenceRequestView) {
  return {
    id: r.id,
    childId: r.childId,
    requester: {
      professionalId: r.requester.professionalId,
      name: r.requester.name,
      agency: r.requester.agency,
      role: r.requester.role,
      email: r.requester.email,
    },
    reasons: r.reasons,
    support: {
      value: r.support.value,
      label: r.support.label,
      supporterName: r.support.supporterName,
      supported: r.support.supported,
    },
    status: { value: r.status.value, label: r.status.label },
    recordedAt: r.recordedAt.toISOString(),
    recordedByName: r.recordedByName,
    decision: r.decision
      ? {
          decidedByName: r.decision.decidedByName,
          decidedAt: r.decision.decidedAt.toISOString(),
          reasons: r.decision.reasons,
          discussion: r.decision.discussion,
          exceptionReason: r.decision.exceptionReason,
        }
      : null,
    requesterEmailed: r.requesterEmailed,
    conveneLink: r.conveneLink,
    conference: r.conference ? { id: r.conference.id, scheduledDate: r.conference.scheduledDate } : null,
    requesterToldOfConference: r.requesterToldOfConference,
  };
}
