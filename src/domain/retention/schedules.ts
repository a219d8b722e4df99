/**
 * Retention schedules (R-4: records and recordings are kept under the Data Protection Act 2018 and UK GDPR, whose
 * storage limitation principle says personal data is kept no longer than needed). The seeds give no periods: 001 and
 * 002 §3.10 leave them to each council's own retention policy. So every period is a council setting, and the
 * defaults are the common practice of English children's services:
 * - a child protection conference record or recording is kept until the youngest child of the conference is 25
 *   (counted from the date of birth, or the expected date of delivery for an unborn child), and in any case for at
 *   least 6 years after the conference;
 * - a copy of a recording sent to a requester is kept for 1 year after it was sent (the conference's own recording
 *   stays on the children's file);
 * - a request for a copy is kept for 6 years after it was closed;
 * - audit entries are kept for 6 years after the record they describe was destroyed, and never destroyed before it.
 *
 * Design decisions:
 * - Each kind of record counts from one stated trigger; the council chooses the number of years, and for records
 *   of a conference whether to count from the children's birth or from the conference.
 * - A date is worked out only from facts the record holds. A record whose trigger has not happened (a request still
 *   open) or is not known (no date of birth) is never due: it is kept, and the review says why.
 * - Dates are `YYYY-MM-DD`; a 29 February anniversary falls on 28 February in a year that has none.
 * Pure: no I/O.
 */
import type { Actor } from '../access/roles.ts';
import { type IsoDate, addMonths, compareIsoDates } from '../calendar/iso-date.ts';
import { AccessDeniedError, ProblemList } from '../shared/errors.ts';

export const RECORD_KINDS = ['conference-record', 'recording', 'copy-sent', 'copy-request', 'audit-entry'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export function isRecordKind(v: unknown): v is RecordKind {
  return typeof v === 'string' && (RECORD_KINDS as readonly string[]).includes(v);
}

export const RECORD_KIND_LABELS: Readonly<Record<RecordKind, string>> = {
  'conference-record': 'Conference records',
  recording: 'Recordings of conferences',
  'copy-sent': 'Copies of recordings sent',
  'copy-request': 'Requests for copies',
  'audit-entry': 'Audit entries',
};

/** One item of a kind, in the singular, for lists and the certificate. */
export const RECORD_KIND_SINGULAR: Readonly<Record<RecordKind, string>> = {
  'conference-record': 'Conference record',
  recording: 'Recording',
  'copy-sent': 'Copy of a recording sent',
  'copy-request': 'Request for a copy',
  'audit-entry': 'Audit entries',
};

/**
 * The kinds the service itself destroys. Audit entries have a schedule the council sets but are kept by the audit
 * trail's own witness; their destruction is not offered (see the README's retention section). A conference record is
 * its written record (documents, decisions, plans, reports), destroyed only once its recordings are; a request for a
 * copy goes with its timeline and deliveries, destroyed only once its copies sent are.
 */
export const DISPOSABLE_KINDS = [
  'conference-record',
  'recording',
  'copy-sent',
  'copy-request',
] as const satisfies readonly RecordKind[];
export type DisposableKind = (typeof DISPOSABLE_KINDS)[number];

export function isDisposableKind(v: unknown): v is DisposableKind {
  return typeof v === 'string' && (DISPOSABLE_KINDS as readonly string[]).includes(v);
}

export const TRIGGERS = ['child-birth', 'conference-date', 'copy-sent', 'request-closed', 'record-destroyed'] as const;
export type RetentionTrigger = (typeof TRIGGERS)[number];

export const TRIGGER_LABELS: Readonly<Record<RetentionTrigger, string>> = {
  'child-birth': 'the youngest child’s date of birth',
  'conference-date': 'the date of the conference',
  'copy-sent': 'the date the copy was sent',
  'request-closed': 'the date the request was closed',
  'record-destroyed': 'the date the record it describes was destroyed',
};

/** The triggers each kind may count from (the first is its default). */
export const KIND_TRIGGERS: Readonly<Record<RecordKind, readonly RetentionTrigger[]>> = {
  'conference-record': ['child-birth', 'conference-date'],
  recording: ['child-birth', 'conference-date'],
  'copy-sent': ['copy-sent'],
  'copy-request': ['request-closed'],
  'audit-entry': ['record-destroyed'],
};

export interface RetentionSchedule {
  kind: RecordKind;
  trigger: RetentionTrigger;
  /** Whole years after the trigger. */
  years: number;
  /** Counting from a child's birth only: kept at least this many whole years after the conference (0: no minimum). */
  minimumYearsAfterConference: number;
}

export type RetentionSchedules = Readonly<Record<RecordKind, RetentionSchedule>>;

export const MAX_YEARS = 100;

export const DEFAULT_RETENTION_SCHEDULES: RetentionSchedules = {
  'conference-record': { kind: 'conference-record', trigger: 'child-birth', years: 25, minimumYearsAfterConference: 6 },
  recording: { kind: 'recording', trigger: 'child-birth', years: 25, minimumYearsAfterConference: 6 },
  'copy-sent': { kind: 'copy-sent', trigger: 'copy-sent', years: 1, minimumYearsAfterConference: 0 },
  'copy-request': { kind: 'copy-request', trigger: 'request-closed', years: 6, minimumYearsAfterConference: 0 },
  'audit-entry': { kind: 'audit-entry', trigger: 'record-destroyed', years: 6, minimumYearsAfterConference: 0 },
};

/** Who may set the council's schedules: an administrator or the quality assurance service manager. */
export const SCHEDULE_ROLES = ['admin', 'qa_manager'] as const;

/**
 * Who reviews what has reached its date, places and removes legal holds, proposes and approves destruction and reads
 * certificates: the information governance team, the quality assurance service manager and administrators.
 */
export const RETENTION_ROLES = ['access_to_records', 'qa_manager', 'admin'] as const;

export function requireScheduleSetter(actor: Actor): void {
  if (!actor.roles.some((r) => (SCHEDULE_ROLES as readonly string[]).includes(r)))
    throw new AccessDeniedError(
      'Only an administrator or the quality assurance service manager can change retention schedules',
    );
}

export function requireRetentionOfficer(actor: Actor): void {
  if (!actor.roles.some((r) => (RETENTION_ROLES as readonly string[]).includes(r)))
    throw new AccessDeniedError(
      'Only information governance, the quality assurance service manager or an administrator can do this',
    );
}

export function addYears(d: IsoDate, years: number): IsoDate {
  return addMonths(d, years * 12);
}

/** In words, for the settings page, the audit trail and the certificate. */
export function describeSchedule(s: RetentionSchedule): string {
  const years = `${s.years} ${s.years === 1 ? 'year' : 'years'}`;
  const base =
    s.trigger === 'child-birth'
      ? `Until the youngest child is ${s.years}`
      : s.trigger === 'record-destroyed'
        ? `${years} after the record it describes was destroyed, never before it`
        : `${years} after ${TRIGGER_LABELS[s.trigger]}`;
  return s.trigger === 'child-birth' && s.minimumYearsAfterConference > 0
    ? `${base}, and at least ${s.minimumYearsAfterConference} ${s.minimumYearsAfterConference === 1 ? 'year' : 'years'} after the conference`
    : base;
}

/**
 * Checks a schedule from a form or the API; every problem at once (InvalidDetailsError). Fields: `trigger`, `years`,
 * `minimumYearsAfterConference`.
 */
export function validateSchedule(kind: RecordKind, input: unknown): RetentionSchedule {
  const v = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems = new ProblemList();
  const triggers = KIND_TRIGGERS[kind];
  const trigger = triggers.find((t) => t === v['trigger']);
  if (!trigger) problems.add('trigger', 'Choose what the retention period counts from');
  const years = wholeNumber(v['years']);
  if (years === null) problems.add('years', 'Enter the number of years as a whole number, like 25');
  else if (years < 1 || years > MAX_YEARS)
    problems.add('years', `The number of years must be between 1 and ${MAX_YEARS}`);
  let minimum = 0;
  if (trigger === 'child-birth') {
    const m = v['minimumYearsAfterConference'] === '' ? 0 : wholeNumber(v['minimumYearsAfterConference'] ?? 0);
    if (m === null)
      problems.add('minimumYearsAfterConference', 'Enter the least number of years as a whole number, or 0');
    else if (m < 0 || m > MAX_YEARS)
      problems.add('minimumYearsAfterConference', `The least number of years must be between 0 and ${MAX_YEARS}`);
    else minimum = m;
  }
  problems.throwIfAny();
  return { kind, trigger: trigger!, years: years!, minimumYearsAfterConference: minimum };
}

/** A stored schedule read back through the checks; one that no longer reads is the default. */
export function readSchedule(kind: RecordKind, stored: unknown): RetentionSchedule {
  try {
    return validateSchedule(kind, stored);
  } catch {
    return DEFAULT_RETENTION_SCHEDULES[kind];
  }
}

function wholeNumber(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** What a record holds that its retention counts from. */
export interface RetentionFacts {
  /** The conference's date (conference records and recordings). */
  conferenceDate?: IsoDate | null;
  /** Each child's date of birth, or expected date of delivery when unborn; null when not recorded. */
  childBirthDates?: ReadonlyArray<IsoDate | null>;
  /** When a copy was sent (copies sent). */
  sentOn?: IsoDate | null;
  /** When a request was closed (requests for copies); null while it is open. */
  closedOn?: IsoDate | null;
  /** When the record an audit entry describes was destroyed; null while it is kept. */
  destroyedOn?: IsoDate | null;
}

export type RetentionDate = { dueOn: IsoDate } | { dueOn: null; why: string };

/** The date a record may be destroyed under its schedule, or why it has none yet. */
export function retentionDate(schedule: RetentionSchedule, facts: RetentionFacts): RetentionDate {
  switch (schedule.trigger) {
    case 'child-birth': {
      const births = facts.childBirthDates ?? [];
      if (!births.length || births.some((b) => b === null))
        return { dueOn: null, why: 'A child’s date of birth is not recorded, so the record is kept' };
      // The youngest child reaches the age last: the latest birth date decides.
      const latest = [...(births as IsoDate[])].sort(compareIsoDates).at(-1)!;
      let due = addYears(latest, schedule.years);
      if (schedule.minimumYearsAfterConference > 0) {
        if (!facts.conferenceDate) return { dueOn: null, why: 'The conference date is not known, so it is kept' };
        const minimum = addYears(facts.conferenceDate, schedule.minimumYearsAfterConference);
        if (compareIsoDates(minimum, due) > 0) due = minimum;
      }
      return { dueOn: due };
    }
    case 'conference-date':
      return facts.conferenceDate
        ? { dueOn: addYears(facts.conferenceDate, schedule.years) }
        : { dueOn: null, why: 'The conference date is not known, so it is kept' };
    case 'copy-sent':
      return facts.sentOn
        ? { dueOn: addYears(facts.sentOn, schedule.years) }
        : { dueOn: null, why: 'The copy has not been sent' };
    case 'request-closed':
      return facts.closedOn
        ? { dueOn: addYears(facts.closedOn, schedule.years) }
        : { dueOn: null, why: 'The request is still open' };
    case 'record-destroyed':
      // Audit entries are never destroyed before the record they describe.
      return facts.destroyedOn
        ? { dueOn: addYears(facts.destroyedOn, schedule.years) }
        : { dueOn: null, why: 'The record it describes is still kept' };
  }
}

/** Whether a record has reached its date on `today`. */
export function hasReachedDate(date: RetentionDate, today: IsoDate): boolean {
  return date.dueOn !== null && compareIsoDates(date.dueOn, today) <= 0;
}
