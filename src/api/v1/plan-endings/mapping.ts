/** What leaves the API of plan endings: only the fields named here. */
import type { z } from 'zod';
import type { ChildPlanView, StepDownView } from '../../../app/plan-endings/service.ts';
import type { childPlanSchema, stepDownSchema } from './schemas.ts';

export function stepDownOut(s: StepDownView): z.infer<typeof stepDownSchema> {
  return {
    id: s.id,
    version: s.version,
    kind: s.kind,
    leadProfessional: s.leadProfessional,
    services: s.services,
    firstMeetingDate: s.firstMeetingDate,
    recordedAt: s.recordedAt.toISOString(),
  };
}

export function childPlanOut(v: ChildPlanView): z.infer<typeof childPlanSchema> {
  const e = v.ending;
  const t = v.transfer;
  return {
    childId: v.child.id,
    state: v.state,
    plan: v.plan && {
      conferenceId: v.plan.conferenceId,
      conferenceType: v.plan.conferenceType,
      conferenceDate: v.plan.conferenceDate,
      outcome: v.plan.outcome,
      nextReviewDate: v.plan.nextReviewDate,
      familyMeetingDate: v.plan.familyMeetingDate,
    },
    stepDown: v.stepDown && stepDownOut(v.stepDown),
    ending: e && {
      id: e.id,
      reason: e.reason,
      endedOn: e.endedOn,
      details: e.details,
      lookedAfterCriterion: e.lookedAfterCriterion,
      modToldOn: e.modToldOn,
      modResourcesConfirmed: e.modResourcesConfirmed,
      authorisedByName: e.authorisedByName,
      authorisedOn: e.authorisedOn,
      notices: e.notices.map((n) => ({
        id: n.id,
        recipientName: n.recipientName,
        recipientRole: n.recipientRole,
        agencyName: n.agencyName,
        method: n.method,
        outboxMessageId: n.outboxMessageId,
        letterText: n.letterText,
        createdAt: n.createdAt.toISOString(),
        postedAt: n.postedAt?.toISOString() ?? null,
      })),
    },
    transfer: t && {
      id: t.id,
      version: t.version,
      authorityName: t.authorityName,
      contactEmail: t.contactEmail,
      noticeOn: t.noticeOn,
      conferenceDue: t.conferenceDue,
      receivingConferenceOn: t.receivingConferenceOn,
      confirmationReceivedOn: t.confirmationReceivedOn,
      overdue: t.overdue,
      complete: t.complete,
    },
    warnings: v.warnings,
    mayRecord: v.mayRecord,
  };
}
