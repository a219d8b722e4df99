/**
 * Gathering the facts of one conference the written record is built from (W-1, W-2; 002 §3.2, §3.5, §3.10;
 * 003), inside the caller's transaction, from what the meeting recorded: the conference and its late reason
 * (T-1), the children, the register with each person's role, attendance, exclusion and needs (W-4), the
 * latest decision and plan per child, the chair's latest Worries / Positives / Changes, and the confirmed
 * explanatory statements of the conference's recordings. Every name and label is in plain English here.
 */
import { type IsoDate, compareIsoDates, isIsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import type { AttendanceStatus } from '../../domain/conferences/attendance.ts';
import {
  PRE_BIRTH_GROUNDS,
  PRE_BIRTH_GROUND_LABELS,
  describeBroughtForward,
} from '../../domain/conferences/convening-grounds.ts';
import { CATEGORY_LABELS, CONFERENCE_TYPE_LABELS, OUTCOME_LABELS } from '../../domain/conferences/decisions.ts';
import { CSC_STAFF_ROLE_LABELS, type InviteeKind, isInviteeKind } from '../../domain/conferences/invitees.ts';
import { VENUE_KIND_LABELS, type VenueKind, isVenueKind } from '../../domain/conferences/invitations.ts';
import type { AmendmentLetterFacts } from '../../domain/documents/build-input.ts';
import { sectionDefinition } from '../../domain/documents/drafting.ts';
import type {
  AttendeeFacts,
  ChildAttendanceFacts,
  ChildFacts,
  CouncilDetails,
  DecisionFacts,
  DocumentFacts,
  PlanFacts,
  ReportReceivedFacts,
  StepDownFacts,
  TellingFacts,
} from '../../domain/documents/facts.ts';
import { CHILD_WISH_LABELS, VIEWS_ROUTE_LABELS } from '../../domain/participation/child-attendance.ts';
import { legalStatusText, RELATIONSHIP_LABELS, type RelationshipKind } from '../../domain/people/index.ts';
import { STEP_DOWN_LABELS } from '../../domain/plan-endings/index.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import { statementText } from '../../domain/recordings/statement.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type {
  AttendanceRecord,
  DecisionRecord,
  MeetingConference,
  MeetingInvitee,
  MeetingPart,
  PlanRecord,
} from '../conferences/meeting-ports.ts';
import { familyRecordingFacts } from '../recording-consent/service.ts';
import { unpermittedRecordingFacts } from '../recording-incidents/recording-incident-service.ts';
import type { ChildAttendanceRecord, ExclusionDetailsRecord } from '../participation/ports.ts';
import type { Repositories } from '../unit-of-work.ts';

/** The facts, with the conference as the meeting holds it (its chair, for approval). */
export interface LoadedFacts {
  facts: DocumentFacts;
  conference: MeetingConference;
}

/** The latest version per key, from a list ordered oldest first. */
function latestBy<T extends { version: number }>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const row of rows) {
    const seen = out.get(key(row));
    if (!seen || row.version >= seen.version) out.set(key(row), row);
  }
  return out;
}

/** "Ava", "Ava and Ben", "Ava, Ben and Cal". */
export function namesList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function venueText(kind: string, details: string | null): string {
  const label = isVenueKind(kind) ? VENUE_KIND_LABELS[kind as VenueKind] : kind;
  const place = details?.trim() || null;
  if (kind === 'online') return label;
  if (kind === 'hybrid') return place ? `${place}, and online (Microsoft Teams)` : label;
  return place ?? label;
}

/** "Mother of Ava and Ben (parental responsibility)", "Father of Ava and Ben (parental responsibility for Ben)". */
function familyRole(invitee: MeetingInvitee, childNames: ReadonlyMap<string, string>): string {
  const byRelationship = new Map<RelationshipKind, string[]>();
  for (const r of invitee.relationships) {
    const name = childNames.get(r.childId);
    if (!name) continue;
    byRelationship.set(r.relationship, [...(byRelationship.get(r.relationship) ?? []), name]);
  }
  if (byRelationship.size === 0) return invitee.kind === 'family-member' ? 'Family member' : kindLabel(invitee.kind);
  const parts = [...byRelationship].map(([rel, names]) => `${RELATIONSHIP_LABELS[rel]} of ${namesList(names)}`);
  const known = invitee.relationships.filter((r) => childNames.has(r.childId));
  const withPr = known.filter((r) => r.parentalResponsibility).map((r) => childNames.get(r.childId)!);
  const pr =
    withPr.length === 0
      ? ''
      : withPr.length === known.length
        ? ' (parental responsibility)'
        : ` (parental responsibility for ${namesList(withPr)})`;
  return `${parts.join('; ')}${pr}`;
}

function kindLabel(kind: string): string {
  switch (kind) {
    case 'friend':
      return 'Friend';
    case 'supporter':
      return 'Supporter';
    case 'advocate':
      return 'Advocate';
    case 'interpreter':
      return 'Interpreter';
    case 'child':
      return 'Child';
    case 'professional':
      return 'Professional';
    default:
      return 'Family member';
  }
}

function roleOf(invitee: MeetingInvitee, childNames: ReadonlyMap<string, string>): string {
  switch (invitee.kind) {
    case 'professional':
      return (
        invitee.roleTitle?.trim() || (invitee.staffRole ? CSC_STAFF_ROLE_LABELS[invitee.staffRole] : 'Professional')
      );
    case 'interpreter':
      return invitee.interpreterLanguage ? `Interpreter (${invitee.interpreterLanguage})` : 'Interpreter';
    case 'child':
      return 'Child';
    default:
      return familyRole(invitee, childNames);
  }
}

/** Attended any part, else their status in the first part (by ordinal), else invited. */
function overallAttendance(
  inviteeId: string,
  parts: readonly MeetingPart[],
  attendance: readonly AttendanceRecord[],
): AttendanceStatus {
  const mine = attendance.filter((a) => a.inviteeId === inviteeId);
  if (mine.some((a) => a.status === 'attended')) return 'attended';
  const ordinal = new Map(parts.map((p) => [p.id, p.ordinal]));
  const first = [...mine].sort((a, b) => (ordinal.get(a.partId) ?? 0) - (ordinal.get(b.partId) ?? 0))[0];
  return first?.status ?? 'invited';
}

function tellingOf(t: { on: string; by: string } | null): TellingFacts | null {
  return t && isIsoDate(t.on) && t.by.trim() ? { on: t.on as IsoDate, by: t.by.trim() } : null;
}

function exclusionOf(
  inviteeId: string,
  attendance: readonly AttendanceRecord[],
  details: readonly ExclusionDetailsRecord[],
): AttendeeFacts['exclusion'] {
  const rows = attendance.filter((a) => a.inviteeId === inviteeId && a.exclusionExtent !== null);
  if (rows.length === 0) return null;
  const full = rows.find((r) => r.exclusionExtent === 'full');
  const row = full ?? rows[0]!;
  // 002 §3.2: the criteria flow through as the reason; the telling of the reasons comes with the details kept.
  const kept = details.find((x) => x.partId === row.partId && x.inviteeId === inviteeId && !x.recordedBeforeCriteria);
  return {
    extent: row.exclusionExtent === 'full' ? 'full' : 'partial',
    reason: row.exclusionReason ?? '',
    howViewsHeard: row.howViewsHeard ?? '',
    ...(kept ? { toldOrally: tellingOf(kept.toldOrally), toldInWriting: tellingOf(kept.toldInWriting) } : {}),
  };
}

/** 002 §3.2: the decision about a child attending, and how their views reached the conference, in words. */
function childAttendanceFacts(r: ChildAttendanceRecord | undefined): ChildAttendanceFacts | null {
  if (!r) return null;
  const ways = [...r.viewsRoutes.map((v) => VIEWS_ROUTE_LABELS[v]), r.viewsNote?.trim()].filter(Boolean);
  return {
    decision: CHILD_WISH_LABELS[r.decision],
    partArrangements: r.partArrangements?.trim() || null,
    viewsConveyed: ways.length > 0 ? ways.join('. ') : null,
  };
}

/** 002 §3.2, §3.4: agencies' reports and the parents' own, by who sent them and when, oldest first. */
async function reportsReceived(
  repos: Repositories,
  conferenceId: string,
  names: ReadonlyMap<string, string>,
): Promise<ReportReceivedFacts[]> {
  const agencies = (await repos.convening.listReports(conferenceId)).map((r) => ({
    from: r.agencyName,
    receivedOn: londonDateOf(r.receivedAt),
  }));
  const parents = (await repos.participation.listParentReports(conferenceId)).flatMap((r) => {
    const name = names.get(r.inviteeId);
    return name && isIsoDate(r.receivedOn)
      ? [{ from: `${name} (their own report)`, receivedOn: r.receivedOn as IsoDate }]
      : [];
  });
  return [...agencies, ...parents].sort((a, b) => compareIsoDates(a.receivedOn, b.receivedOn));
}

function decisionFacts(d: DecisionRecord): DecisionFacts {
  return {
    childId: d.childId,
    outcome: d.outcome,
    outcomeLabel: OUTCOME_LABELS[d.outcome],
    category: d.category,
    categoryLabel: d.category ? CATEGORY_LABELS[d.category] : null,
    reasons: d.reasons,
    agencyViews: d.agencyViews.map((v) => ({ agencyName: v.agencyName, view: v.view, note: v.note })),
    equallySplit: d.equallySplit,
  };
}

async function planFacts(repos: Repositories, p: PlanRecord, attendees: readonly AttendeeFacts[]): Promise<PlanFacts> {
  let lead: PlanFacts['leadSocialWorker'] = null;
  if (p.leadSocialWorkerUserId) {
    const user = await repos.accounts.findUserById(p.leadSocialWorkerUserId);
    lead = { name: p.leadSocialWorkerName ?? user?.name ?? 'Not recorded', contact: user?.email ?? null };
  } else if (p.leadSocialWorkerName) {
    lead = { name: p.leadSocialWorkerName, contact: null };
  }
  const byId = new Map(attendees.map((a) => [a.inviteeId, a]));
  return {
    childId: p.childId,
    leadSocialWorker: lead,
    firstCoreGroupDate: p.firstCoreGroupDate,
    contingencyPlan: p.contingencyPlan,
    nextReviewDate: p.nextReviewDate,
    actions: [...p.actions]
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((a) => ({ action: a.action, who: a.who, byWhen: a.byWhen })),
    coreGroup: p.coreGroupInviteeIds.flatMap((id) => {
      const a = byId.get(id);
      return a ? [{ inviteeId: a.inviteeId, name: a.name, role: a.role, agencyName: a.agencyName }] : [];
    }),
    familyMeetingDate: p.planEndedMeetingDate,
  };
}

/** 002 §3.8, §3.9: the latest outline child in need or team around the child plan per child, in words. */
async function stepDownFacts(repos: Repositories, conferenceId: string): Promise<StepDownFacts[]> {
  const latest = latestBy(await repos.planEndings.listStepDowns(conferenceId), (s) => s.childId);
  return [...latest.values()].map((s) => ({
    childId: s.childId,
    kindLabel: STEP_DOWN_LABELS[s.kind],
    leadProfessional: s.leadProfessional,
    services: s.services,
    firstMeetingDate: s.firstMeetingDate,
  }));
}

function earliest(dates: readonly (IsoDate | null)[]): IsoDate | null {
  const known = dates.filter((d): d is IsoDate => d !== null);
  return known.sort(compareIsoDates)[0] ?? null;
}

/** Every fact the written record of the conference is built from; NotFoundError when there is no such conference. */
export async function loadDocumentFacts(
  repos: Repositories,
  conferenceId: string,
  council: CouncilDetails,
): Promise<LoadedFacts> {
  const { meeting } = repos;
  const conference = await meeting.findConference(conferenceId);
  if (!conference) throw new NotFoundError('The conference');
  const convened = await repos.convening.findConference(conferenceId);
  // 002 §1.3, §2.2: why a pre-birth conference or a review brought forward is held. The chair's independence reason
  // (002 §4.1) is kept with the conference for the service's own use and is never part of the written record.
  const grounds = await repos.conferenceRequests.findConveningGrounds(conferenceId);
  const children = await meeting.listChildren(conferenceId);
  const parts = await meeting.listParts(conferenceId);
  const invitees = await meeting.listInvitees(conferenceId);
  const attendance = await meeting.listAttendance(conferenceId);
  const decisions = latestBy(await meeting.listDecisions(conferenceId), (d) => d.childId);
  const plans = latestBy(await meeting.listPlans(conferenceId), (p) => p.childId);
  const summary = (await meeting.listSummaries(conferenceId)).at(-1) ?? null;
  const childAttendance = new Map(
    (await repos.participation.listChildAttendance(conferenceId)).map((r) => [r.childId, r]),
  );
  const exclusionDetails = await repos.participation.listExclusionDetails(conferenceId);

  const childFacts: ChildFacts[] = [];
  for (const c of children) {
    // 002 §3.10: the family composition and legal status of the children, from each child's record.
    const record = await repos.people.findChild(c.childId);
    childFacts.push({
      id: c.childId,
      name: `${c.givenNames} ${c.familyName}`,
      dateOfBirth: c.dateOfBirth,
      expectedDeliveryDate: c.expectedDeliveryDate,
      views: c.childViews?.trim() || null,
      legalStatus: record ? legalStatusText(record.legalStatus, record.legalStatusDetails) : null,
      nationality: record?.nationality?.trim() || null,
      immigrationStatus: record?.immigrationStatus?.trim() || null,
      attendance: childAttendanceFacts(childAttendance.get(c.childId)),
    });
  }
  const givenNames = new Map(children.map((c) => [c.childId, c.givenNames]));

  const attendees: AttendeeFacts[] = [];
  for (const i of invitees) {
    if (!isInviteeKind(i.kind)) continue;
    const person = i.personId ? await repos.people.findPerson(i.personId) : null;
    attendees.push({
      inviteeId: i.id,
      kind: i.kind as InviteeKind,
      name: i.name,
      role: roleOf(i, givenNames),
      agencyName: i.agencyName,
      personId: i.personId,
      childId: i.childId,
      parentalResponsibility: i.relationships.some((r) => r.parentalResponsibility),
      attendance: overallAttendance(i.id, parts, attendance),
      exclusion: exclusionOf(i.id, attendance, exclusionDetails),
      // The register's language; otherwise the person's own record when it says they need an interpreter.
      interpreterLanguage:
        i.kind === 'interpreter'
          ? null
          : i.interpreterLanguage?.trim() || (person?.interpreterNeeded ? person.language?.trim() || null : null),
      language: person?.language?.trim() || null,
      accessibilityNeeds: person?.accessibilityNeeds?.trim() || null,
      nationality: person?.nationality?.trim() || null,
      immigrationStatus: person?.immigrationStatus?.trim() || null,
    });
  }

  const planList: PlanFacts[] = [];
  for (const c of children) {
    const p = plans.get(c.childId);
    if (p) planList.push(await planFacts(repos, p, attendees));
  }

  const recordings = (await repos.recordings.listForConference(conferenceId))
    .filter((r) => r.status !== 'rejected')
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
  const names = nameRecordings(conference, parts, recordings);
  const recordingStatements: string[] = [];
  for (const r of recordings) {
    const confirmed = (await repos.recordings.listStatements(r.id)).at(-1);
    if (confirmed) recordingStatements.push(statementText(confirmed.content, names.get(r.id) ?? 'Recording'));
  }

  const facts: DocumentFacts = {
    council,
    conference: {
      id: conference.id,
      type: conference.type,
      typeLabel: CONFERENCE_TYPE_LABELS[conference.type],
      status: conference.status,
      scheduledDate: conference.scheduledDate,
      startTime: conference.startTime,
      actualStartTime: conference.actualStartTime,
      actualEndTime: conference.actualEndTime,
      venue: venueText(conference.venueKind, conference.venueDetails),
      chairName: conference.chairName,
      lateReason: convened?.lateReason?.trim() || null,
      proceededInquorateReason: conference.proceededInquorateReason,
      adjournmentSafetySteps: conference.adjournmentSafetySteps,
      reconveneDate: conference.reconveneDate,
      nextConferenceDate: conference.reconveneDate ?? earliest(planList.map((p) => p.nextReviewDate)),
      // In the procedure's order, however they were stored.
      preBirthGrounds: PRE_BIRTH_GROUNDS.filter((g) => grounds?.preBirthGrounds.includes(g)).map(
        (g) => PRE_BIRTH_GROUND_LABELS[g],
      ),
      broughtForwardReason: grounds?.broughtForwardReason
        ? describeBroughtForward({ reason: grounds.broughtForwardReason, otherReason: grounds.broughtForwardOther })
        : null,
    },
    children: childFacts,
    attendees,
    decisions: children.flatMap((c) => {
      const d = decisions.get(c.childId);
      return d ? [decisionFacts(d)] : [];
    }),
    plans: planList,
    stepDowns: await stepDownFacts(repos, conferenceId),
    reportsReceived: await reportsReceived(repos, conferenceId, new Map(invitees.map((i) => [i.id, i.name]))),
    summary: summary ? { worries: summary.worries, positives: summary.positives, changes: summary.changes } : null,
    recordingStatements,
    familyRecording: await familyRecordingFacts(repos, conferenceId),
    unpermittedRecording: await unpermittedRecordingFacts(repos, conferenceId),
  };
  return { facts, conference };
}

/**
 * W-5, T-8: the amendment request an amendment decision letter answers, with the chair's decision on each point, in
 * the caller's transaction. NotFoundError when the request is not the conference's or a point is still undecided:
 * the letter is prepared only once the chair has decided every point.
 */
export async function loadAmendmentLetterFacts(
  repos: Repositories,
  conferenceId: string,
  requestId: string,
): Promise<AmendmentLetterFacts> {
  const request = await repos.amendments.find(requestId);
  if (!request || request.conferenceId !== conferenceId) throw new NotFoundError('The amendment request');
  const label = (sectionId: string) => sectionDefinition(request.kind, sectionId)?.label ?? 'The document';
  return {
    requestId: request.id,
    requesterInviteeId: request.requesterInviteeId,
    documentKind: request.kind,
    issueNumber: request.issueNumber,
    receivedOn: request.receivedOn,
    recordReceivedOn: request.recordReceivedOn,
    dueOn: request.dueOn,
    late: request.late,
    points: request.points.map((p) => {
      if (!p.decision) throw new NotFoundError('The chair’s decision on every point');
      return {
        sectionLabel: label(p.sectionId),
        originalText: p.originalText,
        requestedChange: p.requestedChange,
        decision: p.decision.decision,
        reasons: p.decision.reasons,
      };
    }),
  };
}
