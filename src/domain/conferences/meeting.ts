/**
 * The conference on the day, as the chair runs it: the recording reminder, parts of a split
 * conference, the register and who was where (002 §3.2), quoracy from the register, dissent
 * referrals (D-1), the plan and its dates (T-3, T-9), the Worries / Positives / Changes summary (003),
 * and changes after the event, which are always a new version with a reason.
 */
import {
  type Deadline,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
  compareIsoDates,
  computeDeadline,
  DEFAULT_TIMESCALE_SETTINGS,
  formatLongDate,
} from '../calendar/index.ts';
import { DomainError, ProblemList } from '../shared/errors.ts';
import { timeOfDayMinutes, timeOfDayProblem } from '../shared/time-of-day.ts';
import { type AttendanceStatus, type Exclusion, type Presence, findDoubleBookings } from './attendance.ts';
import type { ConferenceType } from './decisions.ts';
import { countsForQuoracy } from './invitees.ts';
import type { ConferenceStatus } from './lifecycle.ts';
import { STATUS_LABELS } from './lifecycle.ts';
import type { AgencyPresence } from './quoracy.ts';

export const LONG_TEXT_MAX = 20_000;
export const SHORT_TEXT_MAX = 200;

function longText(p: ProblemList, field: string, v: string | null | undefined, missing: string, what: string): string {
  const t = (v ?? '').trim();
  if (!t) p.add(field, missing);
  else if (t.length > LONG_TEXT_MAX)
    p.add(field, `${what} must be ${LONG_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`);
  return t;
}

function shortText(p: ProblemList, field: string, v: string | null | undefined, missing: string, what: string): string {
  const t = (v ?? '').trim();
  if (!t) p.add(field, missing);
  else if (t.length > SHORT_TEXT_MAX) p.add(field, `${what} must be ${SHORT_TEXT_MAX} characters or fewer`);
  return t;
}

// ------------------------------------------------------------------ clock times

/** A time of day as typed ("10:05", "10.05", "2pm", "noon": see shared/time-of-day.ts), England local time, as minutes since midnight; null when not a time. */
export function parseClockTime(s: string | null | undefined): number | null {
  return timeOfDayMinutes(s);
}

/** Minutes since midnight as "10:05". */
export function formatClockTime(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ opening the conference

/**
 * R-1: what the chair tells everyone present before the discussion starts (our wording, from 001 and 003), including
 * 001's two points that are not about the recording itself: people answer for what they take away, and the interests
 * of the child and family are central.
 */
export const RECORDING_REMINDER = [
  { id: 'recorded', text: 'This conference is being recorded.' },
  { id: 'child-record', text: 'The recording will be kept securely on each child’s record.' },
  { id: 'typed-record', text: 'A typed plan and record of the conference will follow.' },
  { id: 'confidential', text: 'What is said here is confidential and must not be shared outside the conference.' },
  {
    id: 'information-taken-away',
    text: 'Everyone here becomes responsible for any information they take away from the conference.',
  },
  { id: 'child-family-central', text: 'The interests of the children and their family are central to the discussion.' },
  { id: 'not-edited', text: 'The recording is never edited.' },
  { id: 'times', text: 'The times the conference starts and ends are noted.' },
  { id: 'court-qa', text: 'The recording may be used by a court, or to check the quality of the service.' },
] as const;
export type ReminderPointId = (typeof RECORDING_REMINDER)[number]['id'];
export const REMINDER_POINT_IDS: readonly ReminderPointId[] = RECORDING_REMINDER.map((p) => p.id);

export interface OpeningInput {
  /** The R-1 points the chair confirms they told those present. */
  pointsGiven: readonly string[];
  /** "HH:MM", the time the conference actually started. */
  actualStartTime: string | null | undefined;
}

/** every point told, and the actual start time noted; a conference is opened on (or after) its day. */
export function validateOpening(
  input: OpeningInput,
  f: { scheduledDate: IsoDate; today: IsoDate },
): { actualStartMinutes: number } {
  if (compareIsoDates(f.today, f.scheduledDate) < 0) {
    throw new DomainError(
      'NOT_YET_DUE',
      `This conference is booked for ${formatLongDate(f.scheduledDate)}: open it on the day`,
    );
  }
  const p = new ProblemList();
  const missing = REMINDER_POINT_IDS.filter((id) => !input.pointsGiven.includes(id));
  if (missing.length) {
    p.add('pointsGiven', `Tell those present about the recording and tick each point (${missing.length} not ticked)`);
  }
  const start = parseClockTime(input.actualStartTime);
  if (!(input.actualStartTime ?? '').trim()) p.add('actualStartTime', 'Enter the time the conference started');
  else if (start === null) p.add('actualStartTime', timeOfDayProblem('the start time'));
  p.throwIfAny();
  return { actualStartMinutes: start! };
}

/** the end time is noted too, and cannot be before the start. */
export function validateEndTime(endTime: string | null | undefined, actualStartMinutes: number | null): number {
  const p = new ProblemList();
  const end = parseClockTime(endTime);
  if (!(endTime ?? '').trim()) p.add('actualEndTime', 'Enter the time the conference ended');
  else if (end === null) p.add('actualEndTime', timeOfDayProblem('the end time'));
  else if (actualStartMinutes !== null && end <= actualStartMinutes) {
    p.add('actualEndTime', `The end time must be after the start time, ${formatClockTime(actualStartMinutes)}`);
  }
  p.throwIfAny();
  return end!;
}

// ------------------------------------------------------------------ parts of a split conference

/** Longest a part may run, and the latest it may start after the conference's start time. */
export const MAX_PART_MINUTES = 12 * 60;

export interface PartInput {
  label: string | null | undefined;
  /** Minutes after the conference's start time. */
  startOffsetMinutes: number | null | undefined;
  durationMinutes: number | null | undefined;
}

export interface PartDetails {
  label: string;
  startOffsetMinutes: number;
  durationMinutes: number;
}

export function validatePart(input: PartInput): PartDetails {
  const p = new ProblemList();
  const label = shortText(
    p,
    'label',
    input.label,
    'Enter a name for the part, like “Part 1: with both parents”',
    'The name',
  );
  const start = input.startOffsetMinutes;
  if (start === null || start === undefined || !Number.isInteger(start))
    p.add('startOffsetMinutes', 'Enter when the part starts');
  else if (start < 0) p.add('startOffsetMinutes', 'A part cannot start before the conference');
  else if (start > MAX_PART_MINUTES)
    p.add('startOffsetMinutes', 'A part must start within 12 hours of the conference’s start');
  const duration = input.durationMinutes;
  if (duration === null || duration === undefined || !Number.isInteger(duration))
    p.add('durationMinutes', 'Enter how many minutes the part lasts');
  else if (duration < 1 || duration > MAX_PART_MINUTES)
    p.add('durationMinutes', 'A part must last between 1 minute and 12 hours');
  p.throwIfAny();
  return { label, startOffsetMinutes: start!, durationMinutes: duration! };
}

// ------------------------------------------------------------------ who was where

export interface PartWindow {
  id: string;
  label: string;
  startOffsetMinutes: number;
  durationMinutes: number;
}

export interface RegisterEntry {
  partId: string;
  inviteeId: string;
  /** The same person across parts (their person, professional or child id). */
  personKey: string;
  status: AttendanceStatus;
  joinedAt: number | null;
  leftAt: number | null;
  exclusion: Exclusion | null;
}

/** Someone fully excluded, or not there, is in no place; a partial exclusion still leaves them present. */
export function isPresent(status: AttendanceStatus): boolean {
  return status === 'attended';
}

/**
 * "A person in two places at once" (002 §3.2, split conferences): for the entries of one part, the
 * people also present at an overlapping time in another part, with that part's label.
 */
export function clashesInPart(
  partId: string,
  parts: readonly PartWindow[],
  entries: readonly RegisterEntry[],
): Array<{ inviteeId: string; otherPart: string }> {
  const partById = new Map(parts.map((p) => [p.id, p]));
  const presences: Presence[] = [];
  for (const e of entries) {
    const part = partById.get(e.partId);
    if (!part || !isPresent(e.status)) continue;
    const start = part.startOffsetMinutes + (e.joinedAt ?? 0);
    const end = part.startOffsetMinutes + (e.leftAt ?? part.durationMinutes);
    presences.push({ attendeeKey: e.personKey, label: part.id, start, end });
  }
  const out: Array<{ inviteeId: string; otherPart: string }> = [];
  for (const clash of findDoubleBookings(presences)) {
    if (clash.first !== partId && clash.second !== partId) continue;
    const other = clash.first === partId ? clash.second : clash.first;
    const entry = entries.find((e) => e.partId === partId && e.personKey === clash.attendeeKey);
    if (entry && !out.some((o) => o.inviteeId === entry.inviteeId))
      out.push({ inviteeId: entry.inviteeId, otherPart: partById.get(other)?.label ?? 'another part' });
  }
  return out;
}

// ------------------------------------------------------------------ Q-1 from the register

export interface InviteeAgency {
  id: string;
  kind: string;
  agencyId: string | null;
  agencyName: string | null;
  agencyKind: string | null;
  directContact: boolean;
}

/** the agencies present are those whose professionals attended any part of the conference. */
export function agenciesPresent(
  invitees: readonly InviteeAgency[],
  attendance: ReadonlyArray<{ inviteeId: string; status: AttendanceStatus }>,
): AgencyPresence[] {
  const attended = new Set(attendance.filter((a) => isPresent(a.status)).map((a) => a.inviteeId));
  return invitees
    .filter((i) => countsForQuoracy(i.kind) && i.agencyId && attended.has(i.id))
    .map((i) => ({
      agencyId: i.agencyId!,
      agencyName: i.agencyName ?? 'Unnamed agency',
      isChildrensSocialCare: i.agencyKind === 'childrens_social_care',
      directContact: i.directContact,
    }));
}

// ------------------------------------------------------------------ changing the record

/** Decisions, plans and the summary are recorded while the conference is in progress, and changed once it is held. */
export function assertRecordOpen(status: ConferenceStatus): void {
  if (status !== 'in-progress' && status !== 'held') {
    throw new DomainError(
      'RECORD_NOT_OPEN',
      status === 'planned'
        ? 'Start the conference before recording decisions, plans or the summary'
        : `The conference is ${STATUS_LABELS[status].toLowerCase()}: nothing can be recorded for it`,
    );
  }
}

/**
 * Once the conference is held, a change is a new version with the reason for it; before then the
 * record is still being made, and a new version needs no reason.
 */
export function changeReasonFor(status: ConferenceStatus, reason: string | null | undefined): string | null {
  assertRecordOpen(status);
  if (status !== 'held') return null;
  const t = (reason ?? '').trim();
  if (!t)
    throw new DomainError(
      'CHANGE_REASON_REQUIRED',
      'The conference has been held: enter the reason for this change',
      'changeReason',
    );
  if (t.length > 2000)
    throw new DomainError(
      'CHANGE_REASON_TOO_LONG',
      'The reason for the change must be 2,000 characters or fewer',
      'changeReason',
    );
  return t;
}

// ------------------------------------------------------------------ decisions: agencies' views and D-1

/** Each agency present gives its view on the decision, and only agencies present do (002 §3.6). */
export function checkAgencyViews(
  views: ReadonlyArray<{ agencyId: string }>,
  present: ReadonlyArray<{ agencyId: string; agencyName: string }>,
): void {
  const p = new ProblemList();
  const presentIds = new Set(present.map((a) => a.agencyId));
  if (views.some((v) => !presentIds.has(v.agencyId)))
    p.add('agencyViews', 'Only agencies present at the conference can give a view');
  for (const a of present) {
    if (!views.some((v) => v.agencyId === a.agencyId))
      p.add(`view-${a.agencyId}`, `Record whether ${a.agencyName} agrees or dissents`);
  }
  p.throwIfAny();
}

export interface ReferralInput {
  referredTo: string | null | undefined;
  referredOn: IsoDate | null | undefined;
}

/** D-1: more than one agency dissents, so the chair refers the case to a senior manager, and records to whom and when. */
export function validateReferral(
  input: ReferralInput,
  f: { conferenceDate: IsoDate; today: IsoDate },
): { referredTo: string; referredOn: IsoDate } {
  const p = new ProblemList();
  const referredTo = shortText(
    p,
    'referredTo',
    input.referredTo,
    'More than one agency dissents: enter the senior manager the case is referred to',
    'The senior manager',
  );
  const on = input.referredOn ?? null;
  if (!on) p.add('referredOn', 'Enter the date the case was referred to the senior manager');
  else if (compareIsoDates(on, f.conferenceDate) < 0)
    p.add('referredOn', `The referral cannot be before the conference on ${formatLongDate(f.conferenceDate)}`);
  else if (compareIsoDates(on, f.today) > 0) p.add('referredOn', 'The referral date cannot be in the future');
  p.throwIfAny();
  return { referredTo, referredOn: on! };
}

export const REFERRAL_OUTCOMES = ['reconvene', 'decision-stands'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
export const REFERRAL_OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  reconvene: 'Reconvene the conference',
  'decision-stands': 'The decision stands (any issues taken up with the agencies’ managers)',
};

export function isReferralOutcome(v: unknown): v is ReferralOutcome {
  return typeof v === 'string' && (REFERRAL_OUTCOMES as readonly string[]).includes(v);
}

/** D-1: when the senior manager's review decides to reconvene, the conference is due within 20 working days of the review. */
export function assessReferralReview(
  input: { reviewedOn: IsoDate | null | undefined; outcome: unknown },
  f: { referredOn: IsoDate; today: IsoDate },
  cal: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
): { reviewedOn: IsoDate; outcome: ReferralOutcome; reconvene: Deadline | null } {
  const p = new ProblemList();
  const on = input.reviewedOn ?? null;
  if (!on) p.add('reviewedOn', 'Enter the date of the senior manager’s review');
  else if (compareIsoDates(on, f.referredOn) < 0)
    p.add('reviewedOn', `The review cannot be before the referral on ${formatLongDate(f.referredOn)}`);
  else if (compareIsoDates(on, f.today) > 0) p.add('reviewedOn', 'The review date cannot be in the future');
  if (!isReferralOutcome(input.outcome)) p.add('outcome', 'Select the outcome of the review');
  p.throwIfAny();
  const outcome = input.outcome as ReferralOutcome;
  return {
    reviewedOn: on!,
    outcome,
    reconvene: outcome === 'reconvene' ? computeDeadline('reconvene-after-dissent', on!, cal, settings) : null,
  };
}

// ------------------------------------------------------------------ not quorate

/** an inquorate conference that does not proceed records the immediate safety steps and the new date. */
export function validateAdjournment(
  input: { safetySteps: string | null | undefined; reconveneDate: IsoDate | null | undefined },
  f: { conferenceDate: IsoDate },
): { safetySteps: string; reconveneDate: IsoDate } {
  const p = new ProblemList();
  const safetySteps = longText(
    p,
    'safetySteps',
    input.safetySteps,
    'Enter the immediate steps agreed to keep each child safe',
    'The safety steps',
  );
  const date = input.reconveneDate ?? null;
  if (!date) p.add('reconveneDate', 'Enter the date the conference will be reconvened');
  else if (compareIsoDates(date, f.conferenceDate) <= 0)
    p.add('reconveneDate', `The new date must be after ${formatLongDate(f.conferenceDate)}`);
  p.throwIfAny();
  return { safetySteps, reconveneDate: date! };
}

// ------------------------------------------------------------------ the plan: T-3 and T-9

/** T-3: a first review follows an initial, pre-birth or transfer-in conference; later reviews follow a review. */
export function nextReviewRule(type: ConferenceType): 'first-review' | 'next-review' {
  return type === 'review' ? 'next-review' : 'first-review';
}

export function nextReviewDeadline(
  type: ConferenceType,
  conferenceDate: IsoDate,
  cal: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
): Deadline {
  return computeDeadline(nextReviewRule(type), conferenceDate, cal, settings);
}

/** T-9: the meeting with the family is due within 10 working days of the plan ending (at this conference). */
export function planEndedMeetingDeadline(
  conferenceDate: IsoDate,
  cal: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
): Deadline {
  return computeDeadline('plan-ended-meeting', conferenceDate, cal, settings);
}

export interface PlanActionInput {
  action: string | null | undefined;
  who: string | null | undefined;
  byWhen: IsoDate | null | undefined;
}

export interface PlanInput {
  /** null: not appointed at the conference; the team manager then appoints one by the first core group (002 §3.7). */
  leadSocialWorkerUserId: string | null;
  coreGroupInviteeIds: readonly string[];
  firstCoreGroupDate: IsoDate | null | undefined;
  actions: readonly PlanActionInput[];
  contingencyPlan: string | null | undefined;
  nextReviewDate: IsoDate | null | undefined;
}

export interface CheckedPlan {
  leadSocialWorkerUserId: string | null;
  coreGroupInviteeIds: string[];
  firstCoreGroupDate: IsoDate;
  actions: Array<{ action: string; who: string; byWhen: IsoDate }>;
  contingencyPlan: string;
  nextReviewDate: IsoDate;
}

const blankAction = (a: PlanActionInput) => !(a.action ?? '').trim() && !(a.who ?? '').trim() && !a.byWhen;

/**
 * 002 §3.7: core group, first core group date, outline actions (what, who, by when), a contingency plan
 * and the date of the next review, no later than T-3 allows. Blank action rows are left out; every
 * problem is reported at once, each on its field (`action-2`, `byWhen-0` …).
 */
export function validatePlan(
  input: PlanInput,
  f: { conferenceDate: IsoDate; reviewDeadline: Deadline; coreGroupChoices: ReadonlySet<string> },
): CheckedPlan {
  const p = new ProblemList();
  const members = [...new Set(input.coreGroupInviteeIds)];
  if (members.length === 0) p.add('coreGroup', 'Select the members of the core group');
  else if (members.some((m) => !f.coreGroupChoices.has(m)))
    p.add('coreGroup', 'Select core group members from the people invited to the conference');
  const first = input.firstCoreGroupDate ?? null;
  if (!first) p.add('firstCoreGroupDate', 'Enter the date of the first core group meeting');
  else if (compareIsoDates(first, f.conferenceDate) < 0)
    p.add(
      'firstCoreGroupDate',
      `The first core group cannot be before the conference on ${formatLongDate(f.conferenceDate)}`,
    );
  const actions: CheckedPlan['actions'] = [];
  input.actions.forEach((a, i) => {
    if (blankAction(a)) return;
    const action = shortOrLong(p, `action-${i}`, a.action, 'Enter what needs to happen', 'What needs to happen');
    const who = shortText(p, `who-${i}`, a.who, 'Enter who will do it', 'Who will do it');
    const by = a.byWhen ?? null;
    if (!by) p.add(`byWhen-${i}`, 'Enter the date it must be done by');
    else if (compareIsoDates(by, f.conferenceDate) < 0)
      p.add(`byWhen-${i}`, 'The date it must be done by cannot be before the conference');
    actions.push({ action, who, byWhen: by! });
  });
  if (input.actions.every(blankAction))
    p.add('action-0', 'Enter at least one action: what needs to happen, who will do it and by when');
  const contingencyPlan = longText(
    p,
    'contingencyPlan',
    input.contingencyPlan,
    'Enter the contingency plan: what happens if the actions are not done or things change',
    'The contingency plan',
  );
  const review = input.nextReviewDate ?? null;
  const due = f.reviewDeadline.due;
  if (!review)
    p.add('nextReviewDate', `Enter the date of the next review conference (no later than ${formatLongDate(due)})`);
  else if (compareIsoDates(review, f.conferenceDate) <= 0)
    p.add('nextReviewDate', 'The next review must be after this conference');
  else if (compareIsoDates(review, due) > 0)
    p.add('nextReviewDate', `The next review must be no later than ${formatLongDate(due)}`);
  p.throwIfAny();
  return {
    leadSocialWorkerUserId: input.leadSocialWorkerUserId,
    coreGroupInviteeIds: members,
    firstCoreGroupDate: first!,
    actions,
    contingencyPlan,
    nextReviewDate: review!,
  };
}

function shortOrLong(
  p: ProblemList,
  field: string,
  v: string | null | undefined,
  missing: string,
  what: string,
): string {
  const t = (v ?? '').trim();
  if (!t) p.add(field, missing);
  else if (t.length > 2000) p.add(field, `${what} must be 2,000 characters or fewer`);
  return t;
}

/** T-9: when a plan ends, the date the lead social worker meets the child and family, within the timescale. */
export function validatePlanEnded(
  input: { leadSocialWorkerUserId: string | null; planEndedMeetingDate: IsoDate | null | undefined },
  f: { conferenceDate: IsoDate; deadline: Deadline },
): { leadSocialWorkerUserId: string | null; planEndedMeetingDate: IsoDate } {
  const p = new ProblemList();
  const date = input.planEndedMeetingDate ?? null;
  const due = f.deadline.due;
  if (!date)
    p.add(
      'planEndedMeetingDate',
      `Enter the date of the meeting with the child and family (no later than ${formatLongDate(due)})`,
    );
  else if (compareIsoDates(date, f.conferenceDate) < 0)
    p.add('planEndedMeetingDate', 'The meeting cannot be before the conference');
  else if (compareIsoDates(date, due) > 0)
    p.add('planEndedMeetingDate', `The meeting must be no later than ${formatLongDate(due)}`);
  p.throwIfAny();
  return { leadSocialWorkerUserId: input.leadSocialWorkerUserId, planEndedMeetingDate: date! };
}

// ------------------------------------------------------------------ summary and the child's views

/** 003: the chair's summary names the worries, what is working well, and what needs to change. */
export function validateSummary(input: {
  worries: string | null | undefined;
  positives: string | null | undefined;
  changes: string | null | undefined;
}): { worries: string; positives: string; changes: string } {
  const p = new ProblemList();
  const worries = longText(p, 'worries', input.worries, 'Enter what we are worried about', 'Worries');
  const positives = longText(p, 'positives', input.positives, 'Enter what is working well', 'Positives');
  const changes = longText(p, 'changes', input.changes, 'Enter what needs to change', 'Changes');
  p.throwIfAny();
  return { worries, positives, changes };
}

/** 002 §3.2: the child's views are recorded whether or not they attend. */
export function validateChildViews(text: string | null | undefined): string {
  const p = new ProblemList();
  const views = longText(
    p,
    'childViews',
    text,
    'Enter the child’s views, and how they were given (in person, through an advocate, in writing …)',
    'The child’s views',
  );
  p.throwIfAny();
  return views;
}

// ------------------------------------------------------------------ exclusions (002 §3.2)

export const EXCLUSION_EXTENTS = ['partial', 'full'] as const;
export type ExclusionExtent = (typeof EXCLUSION_EXTENTS)[number];

// The chair's exclusion itself (its criteria, the telling of its reasons, how views reach the conference) is checked
// by participation/exclusion.ts.
