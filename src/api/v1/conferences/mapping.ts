/** The conference API's answers, built from the use cases' views: only what the contract lists leaves the server. */
import type { InvitationIssueRecord } from '../../../app/conferences/convening-ports.ts';
import type {
  ConferenceOverview,
  InvitationCandidates,
  InviteeView,
  ReconveneChoice,
  ReportView,
} from '../../../app/conferences/convening-service.ts';
import type { Deadline } from '../../../domain/calendar/index.ts';
import { describeReportSharing } from '../../../domain/conferences/invitations.ts';
import { mayUseInterpreter } from '../../../domain/conferences/invitees.ts';
import type { ConferenceLink } from '../../../domain/conferences/reconvening.ts';

export const deadlineOut = (d: Deadline) => ({
  rule: d.rule,
  ruleId: d.ruleId,
  title: d.title,
  from: d.from,
  fromMeaning: d.fromMeaning,
  due: d.due,
  ...(d.earliest ? { earliest: d.earliest } : {}),
  ...(d.latest ? { latest: d.latest } : {}),
  explanation: d.explanation,
});

export const linkOut = (l: ConferenceLink | null) =>
  l ? { id: l.id, type: l.type, status: l.status, scheduledDate: l.scheduledDate } : null;

export const issueOut = (i: InvitationIssueRecord) => ({
  id: i.id,
  inviteeId: i.inviteeId,
  issueNumber: i.issueNumber,
  channel: i.channel,
  recipientLines: i.recipientLines,
  recipientEmail: i.recipientEmail,
  subject: i.subject,
  body: i.body,
  bodySha256: i.bodySha256,
  issuedAt: i.issuedAt.toISOString(),
  issuedBy: i.issuedBy,
});

export const inviteeOut = (i: InviteeView) => ({
  id: i.id,
  kind: i.kind,
  name: i.name,
  personId: i.personId,
  childId: i.childId,
  professionalId: i.professionalId,
  userId: i.userId,
  staffRole: i.staffRole,
  agencyId: i.agencyId,
  agencyName: i.agencyName,
  agencyKind: i.agencyKind,
  roleTitle: i.roleTitle,
  directContact: i.directContact,
  interpreterNeeded: i.interpreterLanguage !== null && mayUseInterpreter(i.kind),
  interpreterLanguage: i.interpreterLanguage,
  latestIssue: i.latestIssue
    ? (({ body: _body, recipientLines: _lines, ...rest }) => rest)(issueOut(i.latestIssue))
    : null,
  receivesMinutes: i.receivesMinutes,
  invitationMethod: i.invitationMethod,
  invitedAt: i.invitedAt ? i.invitedAt.toISOString() : null,
  relationships: i.links.map((l) => ({
    childId: l.childId,
    relationship: l.relationship,
    parentalResponsibility: l.parentalResponsibility,
  })),
});

export const reportOut = (r: ReportView) => ({
  id: r.id,
  agencyId: r.agencyId,
  agencyName: r.agencyName,
  agencyKind: r.agencyKind,
  mediaType: r.mediaType,
  sizeBytes: r.sizeBytes,
  sha256: r.fileSha256,
  receivedAt: r.receivedAt.toISOString(),
  sharedWithFamilyOn: r.sharedWithFamilyOn,
  withheldFromFamily: r.withheldFromFamily,
  police: r.isPolice,
  sharing: { state: r.sharing.state, rag: r.sharing.rag, description: describeReportSharing(r.sharing) },
});

export function conferenceOut(o: ConferenceOverview) {
  const c = o.conference;
  return {
    conference: {
      id: c.id,
      type: c.type,
      typeLabel: o.typeLabel,
      status: c.status,
      statusLabel: o.statusLabel,
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      endTime: o.endTime,
      durationMinutes: c.durationMinutes,
      venueKind: c.venueKind,
      venueDetails: c.venueDetails,
      onlineLink: c.onlineLink,
      chair: c.chair ? { id: c.chair.id, name: c.chair.name } : null,
      minuteTaker: c.minuteTaker ? { id: c.minuteTaker.id, name: c.minuteTaker.name } : null,
      strategyDiscussionDate: c.strategyDiscussionDate,
      expectedDeliveryDate: c.expectedDeliveryDate,
      previousConferenceId: c.previousConference?.id ?? null,
      noticeOfMoveDate: c.noticeOfMoveDate,
      due: deadlineOut(o.deadline),
      dueDateWhenConvened: c.dueDate,
      lateAgreedBy: c.lateAgreedBy,
      lateReason: c.lateReason,
      grounds: {
        preBirthGrounds: o.grounds.preBirthGrounds.map((g) => ({ value: g.value, label: g.label })),
        prematureBirthLikely: o.grounds.prematureBirthLikely,
        broughtForward: o.grounds.broughtForward
          ? {
              reason: o.grounds.broughtForward.reason,
              label: o.grounds.broughtForward.label,
              otherReason: o.grounds.broughtForward.otherReason,
            }
          : null,
      },
      reportsToFamilyDue: deadlineOut(o.reportsDeadline),
      midwifeInvited: o.midwifeInvited,
      open: o.open,
      reconvenes: linkOut(c.reconvenes),
      reconvenedAs: linkOut(c.reconvenedAs),
      reconvene: o.reconvene
        ? { ground: o.reconvene.ground, reason: o.reconvene.reason, outstanding: o.reconvene.outstanding }
        : null,
    },
    children: o.children.map((k) => ({
      id: k.id,
      givenNames: k.givenNames,
      familyName: k.familyName,
      dateOfBirth: k.dateOfBirth,
      expectedDeliveryDate: k.expectedDeliveryDate,
      ageOnConferenceDate: k.ageOnConferenceDate,
      presumedToAttend: k.presumedToAttend,
    })),
    parts: o.parts,
    invitees: o.invitees.map(inviteeOut),
    reports: o.reports.map(reportOut),
  };
}

export const choiceOut = (c: ReconveneChoice) => ({
  id: c.id,
  type: c.type,
  scheduledDate: c.scheduledDate,
  childIds: c.childIds,
  ground: c.ground,
  label: c.label,
  reason: c.reason,
});

export function candidatesOut(c: InvitationCandidates) {
  const csc = c.childrensSocialCare;
  return {
    family: c.family.map((p) => ({
      personId: p.personId,
      name: p.name,
      kind: p.kind,
      relationships: p.links.map((l) => ({
        childId: l.childId,
        relationship: l.relationship,
        parentalResponsibility: l.parentalResponsibility,
      })),
      language: p.language,
      interpreterNeeded: p.interpreterNeeded,
      invited: p.invited,
    })),
    children: c.children.map((k) => ({
      childId: k.childId,
      name: k.name,
      age: k.age,
      presumedToAttend: k.presumedToAttend,
      invited: k.invited,
    })),
    professionals: c.professionals.map((p) => ({
      professionalId: p.professionalId,
      name: p.name,
      roleTitle: p.roleTitle,
      agencyId: p.agencyId,
      agencyName: p.agencyName,
      invited: p.invited,
    })),
    childrensSocialCare: {
      agency: csc.agency ? { id: csc.agency.id, name: csc.agency.name } : null,
      socialWorkers: csc.socialWorkers.map((w) => ({
        userId: w.userId,
        name: w.name,
        childGivenNames: w.childGivenNames,
        invited: w.invited,
      })),
      teamManagers: csc.teamManagers.map((m) => ({ userId: m.userId, name: m.name, invited: m.invited })),
    },
  };
}
