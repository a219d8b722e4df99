/** What leaves the server for the meeting: each mapper copies only the fields its response schema names. */
import type {
  AttendanceRecord,
  DecisionRecord,
  MeetingInvitee,
  MeetingPart,
  PlanRecord,
  SummaryRecord,
} from '../../../app/conferences/meeting-ports.ts';
import type { MeetingView } from '../../../app/conferences/meeting-service.ts';
import type { Deadline } from '../../../domain/calendar/index.ts';

export const iso = (d: Date) => d.toISOString();
export const partOut = (p: MeetingPart) => ({
  id: p.id,
  ordinal: p.ordinal,
  label: p.label,
  startOffsetMinutes: p.startOffsetMinutes,
  durationMinutes: p.durationMinutes,
});
export const attendanceOut = (a: AttendanceRecord) => ({
  partId: a.partId,
  inviteeId: a.inviteeId,
  status: a.status,
  joinedAtMinutes: a.joinedAtMinutes,
  leftAtMinutes: a.leftAtMinutes,
  exclusion: a.exclusionExtent
    ? { extent: a.exclusionExtent, reason: a.exclusionReason ?? '', howViewsHeard: a.howViewsHeard ?? '' }
    : null,
  interpreterUsed: a.interpreterUsed,
});
export const inviteeOut = (i: MeetingInvitee) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  roleTitle: i.roleTitle,
  agency:
    i.agencyId && i.agencyName && i.agencyKind ? { id: i.agencyId, name: i.agencyName, kind: i.agencyKind } : null,
  directContact: i.directContact,
  interpreterLanguage: i.interpreterLanguage,
  arrivedOnTheDay: i.invitationMethod === 'arrived-on-the-day',
  relationships: i.relationships,
});
export const decisionOut = (d: DecisionRecord) => ({
  id: d.id,
  childId: d.childId,
  version: d.version,
  outcome: d.outcome,
  category: d.category,
  reasons: d.reasons,
  equallySplit: d.equallySplit,
  seniorManagerReferralRequired: d.seniorManagerReferralRequired,
  changeReason: d.changeReason,
  recordedBy: d.recordedByName,
  recordedAt: iso(d.recordedAt),
  agencyViews: d.agencyViews,
  referral: d.referral
    ? {
        referredTo: d.referral.referredTo,
        referredOn: d.referral.referredOn,
        reviewedOn: d.referral.reviewedOn,
        outcome: d.referral.outcome,
        reconveneDue: d.referral.reconveneDue,
      }
    : null,
});
export const planOut = (p: PlanRecord) => ({
  id: p.id,
  childId: p.childId,
  version: p.version,
  leadSocialWorker: p.leadSocialWorkerUserId
    ? { id: p.leadSocialWorkerUserId, name: p.leadSocialWorkerName ?? 'Unknown account' }
    : null,
  coreGroupInviteeIds: p.coreGroupInviteeIds,
  firstCoreGroupDate: p.firstCoreGroupDate,
  actions: p.actions.map((a) => ({ action: a.action, who: a.who, byWhen: a.byWhen })),
  contingencyPlan: p.contingencyPlan,
  nextReviewDate: p.nextReviewDate,
  planEndedMeetingDate: p.planEndedMeetingDate,
  changeReason: p.changeReason,
  recordedBy: p.recordedByName,
  recordedAt: iso(p.recordedAt),
});
export const summaryOut = (s: SummaryRecord) => ({
  version: s.version,
  worries: s.worries,
  positives: s.positives,
  changes: s.changes,
  changeReason: s.changeReason,
  recordedBy: s.recordedByName,
  recordedAt: iso(s.recordedAt),
});
export const deadlineOut = (d: Deadline) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  from: d.from,
  due: d.due,
  explanation: d.explanation,
});

export function meetingOut(v: MeetingView) {
  const c = v.conference;
  return {
    conference: {
      id: c.id,
      type: c.type,
      status: c.status,
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      durationMinutes: c.durationMinutes,
      chair: c.chairUserId ? { id: c.chairUserId, name: c.chairName ?? 'Unknown account' } : null,
      actualStartTime: c.actualStartTime,
      recordingReminderGiven: c.reminderGivenAt !== null,
      reminderGivenAt: c.reminderGivenAt ? iso(c.reminderGivenAt) : null,
      actualEndTime: c.actualEndTime,
      proceededInquorateReason: c.proceededInquorateReason,
      adjournmentSafetySteps: c.adjournmentSafetySteps,
      reconveneDate: c.reconveneDate,
      reconvenedConferenceId: c.reconvenedConferenceId,
    },
    children: v.children.map((ch) => ({
      childId: ch.childId,
      givenNames: ch.givenNames,
      familyName: ch.familyName,
      age: ch.age,
      presumedToAttend: ch.presumedToAttend,
      childViews: ch.childViews,
      decision: ch.decision ? decisionOut(ch.decision) : null,
      plan: ch.plan ? planOut(ch.plan) : null,
    })),
    parts: v.parts.map(partOut),
    invitees: v.invitees.map(inviteeOut),
    attendance: v.attendance.map(attendanceOut),
    quoracy: v.quoracy,
    agenciesPresent: v.agenciesPresent,
    summary: v.summary ? summaryOut(v.summary) : null,
    reviewDeadline: deadlineOut(v.reviewDeadline),
    planEndedDeadline: deadlineOut(v.planEndedDeadline),
    toConclude: v.toConclude,
    permissions: v.permissions,
  };
}
