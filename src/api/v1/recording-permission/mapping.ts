/** Requests to record, from the use cases' views to the API's allow-listed shapes: only the fields named here leave. */
import type { z } from 'zod';
import type {
  MeetingRequests,
  PermissionRequestDetail,
  PermissionRequestView,
} from '../../../app/recording-permission/service.ts';
import type { detailSchema, listSchema, requestSchema } from './schemas.ts';

export function toApi(r: PermissionRequestView): z.infer<typeof requestSchema> {
  return {
    id: r.id,
    meeting: {
      kind: r.meeting.kind,
      conferenceId: r.meeting.conferenceId,
      childId: r.meeting.childId,
      date: r.meeting.date,
      time: r.meeting.time,
      organiser: r.meeting.organiser,
    },
    requester: { ...r.requester },
    askedAt: r.askedAt.toISOString(),
    method: r.method.value,
    purpose: r.purpose,
    undertaking: {
      method: r.undertaking.method,
      signed: r.undertaking.signed,
      signedVia: r.undertaking.signedVia,
      file: r.undertaking.file,
    },
    notice: r.notice,
    status: r.status.value,
    notEligibleReason: r.notEligibleReason,
    decision: r.decision
      ? {
          outcome: r.decision.outcome,
          grounds: r.decision.grounds.map((g) => ({ ground: g.ground, evidence: g.evidence })),
          alternatives: r.decision.alternatives.map((a) => a.value),
          alternativesNote: r.decision.alternativesNote,
          reasons: r.decision.reasons,
          decidedBy: r.decision.decidedBy,
        }
      : null,
    confirmed: r.confirmed ? { byEmail: r.confirmed.byEmail } : null,
    timeLeft: r.timeLeft,
    version: r.version,
  };
}

export function listOut(v: MeetingRequests): z.infer<typeof listSchema> {
  return {
    requests: v.requests.map(toApi),
    candidates: {
      children: v.candidates.children,
      family: v.candidates.family.map((f) => ({
        personId: f.personId,
        name: f.name,
        hasPr: f.hasPr,
        hasEmail: f.hasEmail,
      })),
    },
    noticeHours: v.noticeHours,
  };
}

export function detailOut(d: PermissionRequestDetail): z.infer<typeof detailSchema> {
  return {
    request: toApi(d.request),
    decisionMaker: d.decisionMaker,
    professionals: d.professionals.map((p) => ({
      inviteeId: p.inviteeId,
      name: p.name,
      view: p.view?.value ?? null,
      reason: p.reason,
    })),
    disagreement: d.disagreement,
    link: d.link ? { state: d.link.state } : null,
    letter: d.letter,
    can: d.can,
  };
}

export const decode = (b64: string | null | undefined) => (b64 ? new Uint8Array(Buffer.from(b64, 'base64')) : null);
