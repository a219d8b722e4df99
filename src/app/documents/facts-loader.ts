/**
 * Gathering the facts of one conference the written record is built from (W-1, W-2; 002 §3.2, §3.5, §3.10;
 * 003), inside the caller's transaction, from what the meeting recorded: the conference and its late reason
 * (T-1), the children, the register with each person's role, attendance, exclusion and needs (W-4), the
 * latest decision and plan per child (plan-facts.ts), how the family took part (participation-facts.ts), the
 * chair's latest Worries / Positives / Changes, and the confirmed explanatory statements of the conference's
 * recordings. Every name and label is in plain English here.
 */
import { type IsoDate, compareIsoDates } from '../../domain/calendar/index.ts';
import type { AttendanceStatus } from '../../domain/conferences/attendance.ts';
import { CATEGORY_LABELS, CONFERENCE_TYPE_LABELS, OUTCOME_LABELS } from '../../domain/conferences/decisions.ts';
import { CSC_STAFF_ROLE_LABELS, type InviteeKind, isInviteeKind } from '../../domain/conferences/invitees.ts';
import { VENUE_KIND_LABELS, type VenueKind, isVenueKind } from '../../domain/conferences/invitations.ts';
import type { AmendmentLetterFacts } from '../../domain/documents/build-input.ts';
import { sectionDefinition } from '../../domain/documents/drafting.ts';
import type {
  AttendeeFacts,
  ChildFacts,
  CouncilDetails,
  DecisionFacts,
  DocumentFacts,
  PlanFacts,
} from '../../domain/documents/facts.ts';
import { legalStatusText, RELATIONSHIP_LABELS, type RelationshipKind } from '../../domain/people/index.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import { statementText } from '../../domain/recordings/statement.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type {
  AttendanceRecord,
  DecisionRecord,
  MeetingConference,
  MeetingInvitee,
  MeetingPart,
} from '../conferences/meeting-ports.ts';
import { childAttendanceFacts, reportsReceived, tellingOf } from './participation-facts.ts';
import { conveningGroundsFacts, latestBy, planFacts, stepDownFacts } from './plan-facts.ts';
import { familyRecordingFacts } from '../recording-consent/service.ts';
import { unpermittedRecordingFacts } from '../recording-incidents/recording-incident-service.ts';
import type { ExclusionDetailsRecord } from '../participation/ports.ts';
import type { Repositories } from '../unit-of-work.ts';

/** The facts, with the conference as the meeting holds it (its chair, for approval). */
export interface LoadedFacts {
  facts: DocumentFacts;
  conference: MeetingConference;
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
      // 002 §1.3, §2.2: why a pre-birth conference or a review brought forward is held.
      ...(await conveningGroundsFacts(repos, conferenceId)),
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
