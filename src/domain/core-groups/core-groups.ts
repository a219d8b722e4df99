/**
 * Core groups (002 §3.7, §3.10, §3.11): the professionals and family members named in a child's plan who meet to
 * carry it out. The first meets on the date the conference set; later meetings are scheduled by the lead social
 * worker or a manager, who chairs them. Each meeting's record is who attended, how each of the plan's actions is
 * going, and notes; once recorded it is changed only with a reason, and every version is kept.
 *
 * When the next one falls due: the conference sets the timescales (002 §3.7); the seeds give no figure, so the
 * defaults are the council's settings (within 10 working days of the conference for the first, then at most 6 weeks
 * apart). Pure: the caller loads the facts and passes today.
 */
import {
  addDays,
  addWorkingDays,
  compareIsoDates,
  deadlineStatus,
  formatLongDate,
  type DeadlineRag,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../calendar/index.ts';
import { ProblemList } from '../shared/errors.ts';
import { controlCharacterMessage, hasControlCharacter } from '../shared/text.ts';

export const ATTENDANCE = ['attended', 'apologies', 'did-not-attend'] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ATTENDANCE_LABELS: Readonly<Record<Attendance, string>> = {
  attended: 'Attended',
  apologies: 'Sent apologies',
  'did-not-attend': 'Did not attend',
};

export const PROGRESS = ['not-started', 'in-progress', 'done', 'not-done'] as const;
export type Progress = (typeof PROGRESS)[number];
export const PROGRESS_LABELS: Readonly<Record<Progress, string>> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  'not-done': 'Not done',
};

export const isAttendance = (v: unknown): v is Attendance =>
  typeof v === 'string' && (ATTENDANCE as readonly string[]).includes(v);
export const isProgress = (v: unknown): v is Progress =>
  typeof v === 'string' && (PROGRESS as readonly string[]).includes(v);

/** 002 §3.10: core group meetings are chaired by the lead social worker or a manager. */
export const CORE_GROUP_CHAIR_ROLES = ['social_worker', 'team_manager'] as const;

export function mayChairCoreGroup(roles: readonly string[]): boolean {
  return roles.some((r) => (CORE_GROUP_CHAIR_ROLES as readonly string[]).includes(r));
}

/** 002 §3.7: a lead social worker is a social worker. */
export const PLAN_LEAD_ROLES = ['social_worker'] as const;
export function mayLeadPlan(roles: readonly string[]): boolean {
  return roles.some((r) => (PLAN_LEAD_ROLES as readonly string[]).includes(r));
}

const MAX_NOTE = 2_000;
const MAX_NOTES = 20_000;

function textOf(p: ProblemList, field: string, v: string | null | undefined, max: number, what: string): string {
  const t = (v ?? '').trim();
  if (t.length > max) p.add(field, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`);
  else if (hasControlCharacter(t)) p.add(field, controlCharacterMessage(what));
  return t;
}

// ---------------------------------------------------------------------------------------------
// Scheduling

export interface ScheduleInput {
  date: IsoDate | null | undefined;
  chairUserId: string | null | undefined;
}

/** 002 §3.7, §3.10: a date on or after the conference that made the plan, and a chair from the list. */
export function validateSchedule(
  input: ScheduleInput,
  f: { conferenceDate: IsoDate; chairChoices: ReadonlySet<string> },
): { date: IsoDate; chairUserId: string } {
  const p = new ProblemList();
  const date = input.date ?? null;
  if (!date) p.add('date', 'Enter the date of the core group meeting');
  else if (compareIsoDates(date, f.conferenceDate) < 0)
    p.add('date', `The core group meeting cannot be before the conference on ${formatLongDate(f.conferenceDate)}`);
  const chair = (input.chairUserId ?? '').trim().toLowerCase();
  if (!chair || !f.chairChoices.has(chair))
    p.add('chairUserId', 'Select who chairs the meeting: the lead social worker or a manager');
  p.throwIfAny();
  return { date: date!, chairUserId: chair };
}

// ---------------------------------------------------------------------------------------------
// The record of a meeting

export interface RecordInput {
  /** Each member's attendance, by their invitation id. */
  attendance: Readonly<Record<string, string | null | undefined>>;
  /** Each of the plan's actions' progress, by the action's ordinal. */
  progress: ReadonlyArray<{ ordinal: number; progress: string | null | undefined; note: string | null | undefined }>;
  notes: string | null | undefined;
  /** Why a recorded meeting's record is changed; not asked the first time. */
  changeReason?: string | null | undefined;
}

export interface CheckedRecord {
  attendance: Array<{ inviteeId: string; attendance: Attendance }>;
  progress: Array<{ ordinal: number; progress: Progress; note: string | null }>;
  notes: string | null;
  changeReason: string | null;
}

export interface RecordFacts {
  meetingDate: IsoDate;
  today: IsoDate;
  /** The core group's members (invitation ids), in the plan's order. */
  memberIds: readonly string[];
  /** Their names, so each problem says whose attendance is missing. */
  memberNames?: Readonly<Record<string, string>>;
  /** The plan's actions' ordinals. */
  actionOrdinals: readonly number[];
  /** The meeting's record was recorded before, so a change needs a reason. */
  recordedBefore: boolean;
}

/**
 * 002 §3.11: who attended (every member: attended, sent apologies or did not attend) and progress on every action of
 * the plan; an action not done says why. A meeting is recorded once it has taken place; a change to a recorded one
 * gives its reason. Every problem is reported at once, each on its field (`attendance-<id>`, `progress-<n>` …).
 */
export function validateRecord(input: RecordInput, f: RecordFacts): CheckedRecord {
  const p = new ProblemList();
  if (compareIsoDates(f.meetingDate, f.today) > 0)
    p.add('attendance', `The meeting is on ${formatLongDate(f.meetingDate)}: record it once it has taken place`);
  const attendance: CheckedRecord['attendance'] = [];
  for (const id of f.memberIds) {
    const v = input.attendance[id];
    const who = f.memberNames?.[id] ?? 'they';
    if (!isAttendance(v)) p.add(`attendance-${id}`, `Select whether ${who} attended, sent apologies or did not attend`);
    else attendance.push({ inviteeId: id, attendance: v });
  }
  const unknown = Object.keys(input.attendance).filter((id) => !f.memberIds.includes(id));
  if (unknown.length) p.add('attendance', 'Record attendance for the core group’s members only');
  const progress: CheckedRecord['progress'] = [];
  for (const ordinal of f.actionOrdinals) {
    const given = input.progress.find((a) => a.ordinal === ordinal);
    const note = textOf(p, `note-${ordinal}`, given?.note, MAX_NOTE, 'The note');
    if (!isProgress(given?.progress)) {
      p.add(`progress-${ordinal}`, `Select how action ${ordinal} of the plan is going`);
      continue;
    }
    if (given.progress === 'not-done' && !note) p.add(`note-${ordinal}`, `Say why action ${ordinal} has not been done`);
    progress.push({ ordinal, progress: given.progress, note: note || null });
  }
  if (input.progress.some((a) => !f.actionOrdinals.includes(a.ordinal)))
    p.add('progress', 'Record progress on the plan’s actions only');
  const notes = textOf(p, 'notes', input.notes, MAX_NOTES, 'The notes');
  let changeReason: string | null = null;
  if (f.recordedBefore) {
    changeReason = textOf(p, 'changeReason', input.changeReason, MAX_NOTE, 'The reason for the change');
    if (!changeReason) p.add('changeReason', 'Enter why the record of the meeting is being changed');
  }
  p.throwIfAny();
  return { attendance, progress, notes: notes || null, changeReason };
}

// ---------------------------------------------------------------------------------------------
// When the next meeting is due

export interface CoreGroupDueFacts {
  conferenceDate: IsoDate;
  /** The first core group date the conference set in the plan. */
  firstCoreGroupDate: IsoDate | null;
  /** The latest meeting whose record has been kept; null before the first. */
  lastHeld: IsoDate | null;
  /** The next meeting scheduled and not yet recorded, if any. */
  nextScheduled: IsoDate | null;
}

export interface CoreGroupDue {
  which: 'first' | 'next';
  due: IsoDate;
  /** What the due date counts from, in words: "the conference on 2 March 2026". */
  basis: string;
  status: DeadlineRag;
  workingDaysLeft: number;
  /** The first core group date in the plan is after the timescale's limit. */
  firstDateAfterLimit: boolean;
  /** A meeting is scheduled on or before the due date. */
  scheduledInTime: boolean;
  nextScheduled: IsoDate | null;
}

/**
 * 002 §3.7: when the next core group falls due. Before the first: the date the plan sets, or else within
 * `coreGroupFirstWorkingDays` working days of the conference. After one is held: `coreGroupIntervalWeeks` weeks later.
 * Red / amber / green like every other due date (amber within 5 working days).
 */
export function coreGroupDue(
  f: CoreGroupDueFacts,
  today: IsoDate,
  calendar: StatutoryCalendar,
  settings: TimescaleSettings,
): CoreGroupDue {
  let due: IsoDate;
  let basis: string;
  let firstDateAfterLimit = false;
  let which: CoreGroupDue['which'];
  if (f.lastHeld === null) {
    which = 'first';
    const limit = addWorkingDays(f.conferenceDate, settings.coreGroupFirstWorkingDays, calendar);
    firstDateAfterLimit = f.firstCoreGroupDate !== null && compareIsoDates(f.firstCoreGroupDate, limit) > 0;
    due = f.firstCoreGroupDate ?? limit;
    basis =
      f.firstCoreGroupDate !== null
        ? `the date the conference on ${formatLongDate(f.conferenceDate)} set for the first core group`
        : `${settings.coreGroupFirstWorkingDays} working days from the conference on ${formatLongDate(f.conferenceDate)}`;
  } else {
    which = 'next';
    due = addDays(f.lastHeld, settings.coreGroupIntervalWeeks * 7);
    basis = `${settings.coreGroupIntervalWeeks} weeks from the last core group on ${formatLongDate(f.lastHeld)}`;
  }
  const { status, workingDaysLeft } = deadlineStatus(today, due, calendar);
  return {
    which,
    due,
    basis,
    status,
    workingDaysLeft,
    firstDateAfterLimit,
    scheduledInTime: f.nextScheduled !== null && compareIsoDates(f.nextScheduled, due) <= 0,
    nextScheduled: f.nextScheduled,
  };
}

/** "Due 16 March 2026 (10 working days from the conference on 2 March 2026)". */
export function coreGroupDueText(d: CoreGroupDue): string {
  const what = d.which === 'first' ? 'The first core group' : 'The next core group';
  return `${what} is due by ${formatLongDate(d.due)} (${d.basis})`;
}

// ---------------------------------------------------------------------------------------------
// The lead social worker

/**
 * 002 §3.7: where the conference could not appoint a lead social worker, the team manager appoints one by the first
 * core group. Outstanding while the plan is in force and nobody is appointed; due by the plan's first core group date.
 */
export function leadSocialWorkerOutstanding(plan: {
  leadSocialWorkerUserId: string | null;
  appointedUserId: string | null;
  inForce: boolean;
}): boolean {
  return plan.inForce && plan.leadSocialWorkerUserId === null && plan.appointedUserId === null;
}
