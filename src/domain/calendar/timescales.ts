/**
 * Every statutory or procedural timescale as a named rule (DOMAIN.md "Timescales" T-1 … T-11, A-9, D-1).
 * Each result carries a plain-English explanation for staff, naming the rule and any bank holidays skipped,
 * so a deadline shown on screen can always be checked by hand.
 *
 * The numbers are settings: the defaults are the seed procedures' values, and a council may override
 * them from configuration (validated by `timescaleSettingsSchema`).
 */
import { z } from 'zod';
import type { BankHoliday } from './bank-holidays.ts';
import { calendarMonthDeadlineDetail, type CalendarMonthDeadline } from './calendar-month.ts';
import { CalendarError } from './errors.ts';
import { addDays, addMonths, formatLongDate, isWeekend, parseIsoDate, weekdayName, type IsoDate } from './iso-date.ts';
import { addWorkingDays, previousWorkingDayOnOrBefore, type WorkingDayCalendar } from './working-days.ts';

/** What rules need from a calendar: working days, and holiday names for the explanations. */
export interface StatutoryCalendar extends WorkingDayCalendar {
  holidayName(d: IsoDate): string | undefined;
  holidaysBetween(from: IsoDate, to: IsoDate): readonly BankHoliday[];
}

// ---------------------------------------------------------------------------------------------
// Settings

const count = z.number().int().positive();

export const timescaleSettingsSchema = z
  .object({
    /** T-1 (002 §1.2) */
    initialConferenceWorkingDays: count,
    /**
     * T-2 (002 §1.3): "as early as 13 weeks" and "no later than 24 weeks" of pregnancy. The seed gives no
     * more specific figure (only "earlier" when premature birth is likely, left to the chair), so these are
     * the defaults. Weeks are counted from a pregnancy start `pregnancyLengthDays` before the EDD.
     */
    preBirthEarliestWeek: count,
    preBirthLatestWeek: count,
    /**
     * T-2 (002 §1.3): "where there is a known likelihood of a premature birth, the conference should be held
     * earlier". The seed gives no figure, so the product's rule is: when a premature birth is likely the latest
     * week becomes this one (20 by default: the window keeps its start at 13 weeks, and the conference is held at
     * least ten weeks before the earliest a premature baby is usually viable, leaving time for the assessment).
     */
    preBirthPrematureLatestWeek: count,
    pregnancyLengthDays: count,
    /** T-3 (002 §2.2) */
    firstReviewDays: count,
    reviewIntervalMonths: count,
    /**
     * T-3 (002 §2.2): a review held more than this many days before its due date is "brought forward", and the
     * reason for bringing it forward is recorded (42 by default: a review is normally booked in the six weeks
     * before it is due, so one held earlier than that has been brought forward).
     */
    reviewBroughtForwardDays: count,
    /** T-4 (002 §3.9) */
    transferInConferenceWorkingDays: count,
    /** T-5 (002 §3.4) */
    reportsToFamilyWorkingDays: count,
    /** T-6 (002 §3.10 "within 24 hours", taken as the next working day) */
    decisionLetterWorkingDays: count,
    /** T-6 (000) */
    chairSummaryWorkingDays: count,
    /** T-7 (002 §3.10) */
    recordDistributionWorkingDays: count,
    /** T-8 (001) */
    recordAmendmentsWorkingDays: count,
    /** T-9 (002 §3.9) */
    planEndedMeetingWorkingDays: count,
    /** T-10 / A-9 (000; UK GDPR art. 12(3)) */
    recordingCopyMonths: count,
    /** A-9: the further months a complex request may take. */
    recordingCopyExtensionMonths: count,
    /** D-1 (002 §3.6) */
    reconveneAfterDissentWorkingDays: count,
    /** T-11 (004 §2.5); dates carry no time, so this is rounded up to whole days. */
    recordingPermissionNoticeHours: count,
    /** Core groups (002 §3.7; no figure in the seeds: national guidance): the first, in working days after it. */
    coreGroupFirstWorkingDays: count,
    /** Core groups: later meetings at most this many weeks after the last one held. */
    coreGroupIntervalWeeks: count,
  })
  .strict()
  .refine((s) => s.preBirthEarliestWeek < s.preBirthLatestWeek, {
    message: 'preBirthEarliestWeek must be before preBirthLatestWeek',
    path: ['preBirthEarliestWeek'],
  })
  .refine(
    (s) =>
      s.preBirthEarliestWeek < s.preBirthPrematureLatestWeek && s.preBirthPrematureLatestWeek <= s.preBirthLatestWeek,
    {
      message: 'preBirthPrematureLatestWeek must be after preBirthEarliestWeek and no later than preBirthLatestWeek',
      path: ['preBirthPrematureLatestWeek'],
    },
  )
  .refine((s) => s.preBirthLatestWeek * 7 < s.pregnancyLengthDays, {
    message: 'preBirthLatestWeek must fall before the expected date of delivery',
    path: ['preBirthLatestWeek'],
  });

export type TimescaleSettings = Readonly<z.infer<typeof timescaleSettingsSchema>>;

export const DEFAULT_TIMESCALE_SETTINGS: TimescaleSettings = Object.freeze({
  initialConferenceWorkingDays: 15,
  preBirthEarliestWeek: 13,
  preBirthLatestWeek: 24,
  preBirthPrematureLatestWeek: 20,
  pregnancyLengthDays: 280,
  firstReviewDays: 90,
  reviewIntervalMonths: 6,
  reviewBroughtForwardDays: 42,
  transferInConferenceWorkingDays: 15,
  reportsToFamilyWorkingDays: 3,
  decisionLetterWorkingDays: 1,
  chairSummaryWorkingDays: 2,
  recordDistributionWorkingDays: 15,
  recordAmendmentsWorkingDays: 10,
  planEndedMeetingWorkingDays: 10,
  recordingCopyMonths: 1,
  recordingCopyExtensionMonths: 2,
  reconveneAfterDissentWorkingDays: 20,
  recordingPermissionNoticeHours: 48,
  coreGroupFirstWorkingDays: 10,
  coreGroupIntervalWeeks: 6,
});

/** Merges configuration overrides (any subset of the keys) onto the defaults and validates the result. */
export function resolveTimescaleSettings(overrides: unknown = {}): TimescaleSettings {
  const merged =
    overrides !== null && typeof overrides === 'object' && !Array.isArray(overrides)
      ? { ...DEFAULT_TIMESCALE_SETTINGS, ...overrides }
      : overrides;
  const result = timescaleSettingsSchema.safeParse(merged);
  if (result.success) return Object.freeze(result.data);
  const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || 'settings'}: ${i.message}`);
  throw new CalendarError('INVALID_SETTINGS', `Invalid timescale settings: ${problems.join('; ')}`, {
    cause: result.error,
  });
}

// ---------------------------------------------------------------------------------------------
// Rules

export const RULE_NAMES = [
  'initial-conference',
  'pre-birth-conference',
  'first-review',
  'next-review',
  'transfer-in-conference',
  'reports-to-family',
  'decision-letter',
  'chair-summary',
  'record-distribution',
  'record-amendments',
  'plan-ended-meeting',
  'recording-copy',
  'recording-copy-extended',
  'reconvene-after-dissent',
  'recording-permission-request',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

export type RuleId =
  'T-1' | 'T-2' | 'T-3' | 'T-4' | 'T-5' | 'T-6' | 'T-7' | 'T-8' | 'T-9' | 'T-10' | 'T-11' | 'A-9' | 'D-1';

export function isRuleName(s: unknown): s is RuleName {
  return typeof s === 'string' && (RULE_NAMES as readonly string[]).includes(s);
}

export interface TimescaleRule {
  readonly name: RuleName;
  readonly ruleId: RuleId;
  readonly title: string;
  /** Label for the form field holding the `from` date, e.g. "Date of the strategy discussion". */
  readonly fromLabel: string;
  /** What the `from` date is, in running text: "date of the strategy discussion". */
  readonly fromMeaning: string;
  /** Where the rule comes from (seed document and section). */
  readonly source: string;
}

export interface Deadline {
  readonly rule: RuleName;
  readonly ruleId: RuleId;
  readonly title: string;
  readonly from: IsoDate;
  readonly fromMeaning: string;
  /** The last day to act. */
  readonly due: IsoDate;
  /** For a window (T-2): the first suitable day. */
  readonly earliest?: IsoDate;
  /** For a window (T-2): the last suitable day. */
  readonly latest?: IsoDate;
  readonly explanation: string;
}

type Computed = Pick<Deadline, 'due' | 'earliest' | 'latest' | 'explanation'>;
/** Facts that change a rule's window: T-2's is earlier when a premature birth is likely (002 §1.3). */
export interface DeadlineOptions {
  prematureBirthLikely?: boolean;
}

type Compute = (from: IsoDate, cal: StatutoryCalendar, s: TimescaleSettings, o: DeadlineOptions) => Computed;

function rule(name: RuleName, ruleId: RuleId, title: string, fromLabel: string, source: string): TimescaleRule {
  return Object.freeze({
    name,
    ruleId,
    title,
    fromLabel,
    fromMeaning: fromLabel.charAt(0).toLowerCase() + fromLabel.slice(1),
    source,
  });
}

export const TIMESCALE_RULES: Readonly<Record<RuleName, TimescaleRule>> = Object.freeze({
  'initial-conference': rule(
    'initial-conference',
    'T-1',
    'Initial child protection conference',
    'Date of the strategy discussion',
    '002 §1.2',
  ),
  'pre-birth-conference': rule(
    'pre-birth-conference',
    'T-2',
    'Pre-birth initial conference',
    'Expected date of delivery',
    '002 §1.3',
  ),
  'first-review': rule('first-review', 'T-3', 'First review conference', 'Date of the initial conference', '002 §2.2'),
  'next-review': rule(
    'next-review',
    'T-3',
    'Next review conference',
    'Date of the previous review conference',
    '002 §2.2',
  ),
  'transfer-in-conference': rule(
    'transfer-in-conference',
    'T-4',
    'Transfer-in conference',
    'Date notice of the move was received',
    '002 §3.9',
  ),
  'reports-to-family': rule(
    'reports-to-family',
    'T-5',
    'Reports shared with the family',
    'Date of the conference',
    '002 §3.4',
  ),
  'decision-letter': rule(
    'decision-letter',
    'T-6',
    'Decision letter, plan and core group letter',
    'Date of the conference',
    '002 §3.10',
  ),
  'chair-summary': rule('chair-summary', 'T-6', "Chair's written summary", 'Date of the conference', '000'),
  'record-distribution': rule(
    'record-distribution',
    'T-7',
    'Conference record distributed',
    'Date of the conference',
    '002 §3.10',
  ),
  'record-amendments': rule(
    'record-amendments',
    'T-8',
    'Amendments to the record',
    'Date the record was received',
    '001',
  ),
  'plan-ended-meeting': rule(
    'plan-ended-meeting',
    'T-9',
    'Meeting with the family after the plan ends',
    'Date the child protection plan ended',
    '002 §3.9',
  ),
  'recording-copy': rule(
    'recording-copy',
    'T-10',
    'Copy of a recording sent',
    'Date the request was received',
    '000; A-9',
  ),
  'recording-copy-extended': rule(
    'recording-copy-extended',
    'A-9',
    'Copy of a recording sent (extended, complex request)',
    'Date the request was received',
    '000; A-9',
  ),
  'reconvene-after-dissent': rule(
    'reconvene-after-dissent',
    'D-1',
    'Reconvened conference after dissent',
    "Date of the senior manager's review",
    '002 §3.6',
  ),
  'recording-permission-request': rule(
    'recording-permission-request',
    'T-11',
    'Request to record a meeting',
    'Date of the meeting',
    '004 §2.5',
  ),
});

// ---------------------------------------------------------------------------------------------
// Explanation helpers

const fmt = formatLongDate;

/** "one working day", "15 working days" (GOV.UK style: numerals, except for one). */
function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? `one ${one}` : `${n} ${many}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "a Saturday", "a bank holiday (Boxing Day)", or undefined for a working day. */
function whyNotWorking(d: IsoDate, cal: StatutoryCalendar): string | undefined {
  if (isWeekend(d)) return `a ${weekdayName(d)}`;
  const name = cal.holidayName(d);
  if (name !== undefined) return `a bank holiday (${name})`;
  return cal.isWorkingDay(d) ? undefined : 'not a working day';
}

/** "weekends and bank holidays (Good Friday, 18 April 2025; Easter Monday, 21 April 2025) excluded" */
function excludedPhrase(first: IsoDate, last: IsoDate, cal: StatutoryCalendar): string {
  const skipped = last < first ? [] : cal.holidaysBetween(first, last).filter((h) => !isWeekend(h.date));
  const list = skipped.map((h) => `${h.name}, ${fmt(h.date)}`).join('; ');
  return `weekends and bank holidays${list ? ` (${list})` : ''} excluded`;
}

/** n working days after `from`, with the sentence that shows the count. */
function forwardWorkingDays(
  from: IsoDate,
  n: number,
  cal: StatutoryCalendar,
  fromWhat: string,
): { due: IsoDate; counting: string } {
  const due = addWorkingDays(from, n, cal);
  return {
    due,
    counting: `Counting from ${fromWhat}${fmt(from)}, ${excludedPhrase(addDays(from, 1), due, cal)}, the last day is ${fmt(due)}.`,
  };
}

/** Explains A-9's steps: same date, clamp to the month end, roll forward to a working day. */
function monthSteps(received: IsoDate, months: number, detail: CalendarMonthDeadline, cal: StatutoryCalendar): string {
  let text = `${cap(plural(months, 'calendar month'))} after ${fmt(received)} is ${fmt(detail.sameDate)}`;
  if (detail.clamped) {
    const monthYear = fmt(detail.sameDate).split(' ').slice(1).join(' ');
    text += ` (${monthYear} has no ${ordinal(Number(received.slice(8)))}, so the last day of that month is used)`;
  }
  const why = whyNotWorking(detail.sameDate, cal);
  text += why ? `; that is ${why}, so the deadline moves to the next working day, ${fmt(detail.due)}.` : '.';
  return text;
}

// ---------------------------------------------------------------------------------------------
// Computations, one per rule

function workingDayRule(
  days: (s: TimescaleSettings) => number,
  lead: (n: number) => string,
  fromWhat: string,
  after = '',
): Compute {
  return (from, cal, s) => {
    const n = days(s);
    const { due, counting } = forwardWorkingDays(from, n, cal, fromWhat);
    return { due, explanation: `${lead(n)} ${counting}${after ? ` ${after}` : ''}` };
  };
}

const COMPUTE: Readonly<Record<RuleName, Compute>> = {
  'initial-conference': workingDayRule(
    (s) => s.initialConferenceWorkingDays,
    (n) =>
      `An initial conference must be held within ${plural(n, 'working day')} of the strategy discussion at which the section 47 enquiry began (rule T-1).`,
    '',
    "A later conference needs a senior manager's agreement, and the reason for the delay must be recorded.",
  ),

  'pre-birth-conference': (edd, cal, s, o) => {
    // 002 §1.3: a likely premature birth brings the latest week forward (preBirthPrematureLatestWeek).
    const premature = o.prematureBirthLikely === true;
    const latestWeek = premature ? s.preBirthPrematureLatestWeek : s.preBirthLatestWeek;
    const start = addDays(edd, -s.pregnancyLengthDays);
    const earliest = addDays(start, s.preBirthEarliestWeek * 7);
    const latest = addDays(start, latestWeek * 7);
    const lastWorking = previousWorkingDayOnOrBefore(latest, cal);
    const why = whyNotWorking(latest, cal);
    const explanation =
      `A pre-birth conference should be held between ${s.preBirthEarliestWeek} and ${latestWeek} weeks of pregnancy (rule T-2)` +
      (premature ? `, not the usual ${s.preBirthLatestWeek} weeks, because a premature birth is likely. ` : '. ') +
      `Taking the pregnancy as starting ${s.pregnancyLengthDays} days before the expected date of delivery (${fmt(edd)}), ` +
      `it reaches ${s.preBirthEarliestWeek} weeks on ${fmt(earliest)} and ${latestWeek} weeks on ${fmt(latest)}, ` +
      `so the conference should be held no earlier than ${fmt(earliest)} and no later than ${fmt(latest)}.` +
      (why ? ` ${fmt(latest)} is ${why}, so in practice the last working day is ${fmt(lastWorking)}.` : '') +
      (premature
        ? ''
        : ` If a premature birth is likely, it should be held by ${s.preBirthPrematureLatestWeek} weeks instead.`) +
      ' The midwife must be invited: the procedure expects the midwife to attend every pre-birth conference.';
    return { due: latest, earliest, latest, explanation };
  },

  'first-review': (from, cal, s) => {
    const target = addDays(from, s.firstReviewDays);
    const due = previousWorkingDayOnOrBefore(target, cal);
    const why = whyNotWorking(target, cal);
    const explanation =
      `The first review conference must be held within ${s.firstReviewDays} days of the initial conference (rule T-3). ` +
      `${s.firstReviewDays} days after ${fmt(from)} is ${fmt(target)}` +
      (why
        ? `; that is ${why}, so the last working day within the period is ${fmt(due)}.`
        : ', a working day, so that is the last day.');
    return { due, explanation };
  },

  'next-review': (from, cal, s) => {
    const target = addMonths(from, s.reviewIntervalMonths);
    const due = previousWorkingDayOnOrBefore(target, cal);
    const clamped = target.slice(8) !== from.slice(8);
    const why = whyNotWorking(target, cal);
    const explanation =
      `Review conferences must be held no more than ${plural(s.reviewIntervalMonths, 'month')} apart (rule T-3). ` +
      `${cap(plural(s.reviewIntervalMonths, 'month'))} after the review on ${fmt(from)} is ${fmt(target)}` +
      (clamped
        ? ` (${fmt(target).split(' ').slice(1).join(' ')} has no ${ordinal(Number(from.slice(8)))}, so the last day of that month is used)`
        : '') +
      (why
        ? `; that is ${why}, so the last working day within the period is ${fmt(due)}.`
        : ', a working day, so that is the last day.');
    return { due, explanation };
  },

  'transfer-in-conference': workingDayRule(
    (s) => s.transferInConferenceWorkingDays,
    (n) =>
      `When a child with a child protection plan moves into the area, the receiving council must hold a transfer-in conference within ${plural(n, 'working day')} of being told of the move (rule T-4).`,
    'the notice of the move on ',
  ),

  'reports-to-family': (conference, cal, s) => {
    const n = s.reportsToFamilyWorkingDays;
    const due = addWorkingDays(conference, -n, cal);
    const explanation =
      `Reports for the conference must be shared with the family at least ${plural(n, 'working day')} before it (rule T-5). ` +
      `Counting back from the conference on ${fmt(conference)}, ${excludedPhrase(due, addDays(conference, -1), cal)}, ` +
      `the last day to share them is ${fmt(due)}.`;
    return { due, explanation };
  },

  'decision-letter': (conference, cal, s) => {
    const n = s.decisionLetterWorkingDays;
    const { due, counting } = forwardWorkingDays(conference, n, cal, 'the conference on ');
    const lead =
      n === 1
        ? 'The letter with the decisions, the plan and the core group details must be sent within 24 hours of the conference (rule T-6); the product takes that as by the end of the next working day.'
        : `The letter with the decisions, the plan and the core group details must be sent within ${plural(n, 'working day')} of the conference (rule T-6).`;
    return { due, explanation: `${lead} ${counting}` };
  },

  'chair-summary': workingDayRule(
    (s) => s.chairSummaryWorkingDays,
    (n) =>
      `The chair's written summary and outline plan must be shared with those at the conference within ${plural(n, 'working day')} (rule T-6).`,
    'the conference on ',
  ),

  'record-distribution': workingDayRule(
    (s) => s.recordDistributionWorkingDays,
    (n) => `The full record of the conference must be distributed within ${plural(n, 'working day')} (rule T-7).`,
    'the conference on ',
  ),

  'record-amendments': workingDayRule(
    (s) => s.recordAmendmentsWorkingDays,
    (n) =>
      `Amendments to the record must reach the chair in writing within ${plural(n, 'working day')} of receiving it (rule T-8).`,
    'receipt of the record on ',
  ),

  'plan-ended-meeting': workingDayRule(
    (s) => s.planEndedMeetingWorkingDays,
    (n) =>
      `When a child protection plan ends, the lead social worker must meet the child and family within ${plural(n, 'working day')} to agree any further support (rule T-9).`,
    'the end of the plan on ',
  ),

  'recording-copy': (received, cal, s) => {
    const detail = calendarMonthDeadlineDetail(received, s.recordingCopyMonths, cal);
    const explanation =
      `A copy of a recording must be sent within ${plural(s.recordingCopyMonths, 'calendar month')} of the request (rules T-10 and A-9), ` +
      `counting from the day the request was received. ${monthSteps(received, s.recordingCopyMonths, detail, cal)}`;
    return { due: detail.due, explanation };
  },

  'recording-copy-extended': (received, cal, s) => {
    const months = s.recordingCopyMonths + s.recordingCopyExtensionMonths;
    const detail = calendarMonthDeadlineDetail(received, months, cal);
    const firstMonth = calendarMonthDeadlineDetail(received, s.recordingCopyMonths, cal).due;
    const explanation =
      `For a complex request the time to send a copy can be extended by up to ${plural(s.recordingCopyExtensionMonths, 'further month')}, ` +
      `to ${plural(months, 'calendar month')} from the day the request was received (rule A-9). ` +
      `${monthSteps(received, months, detail, cal)} ` +
      `The requester must be told within the first month, by ${fmt(firstMonth)}, that more time is needed and why.`;
    return { due: detail.due, explanation };
  },

  'reconvene-after-dissent': workingDayRule(
    (s) => s.reconveneAfterDissentWorkingDays,
    (n) =>
      `When more than one agency dissents and the senior manager's review decides the conference should be reconvened, it must meet again within ${plural(n, 'working day')} of that review (rule D-1).`,
    'the review on ',
  ),

  'recording-permission-request': (meeting, _cal, s) => {
    const hours = s.recordingPermissionNoticeHours;
    const due = addDays(meeting, -Math.ceil(hours / 24));
    const explanation =
      `A parent or carer who wants to record a meeting should ask as soon as they know it will take place, and preferably at least ${plural(hours, 'hour')} before it (rule T-11). ` +
      `For a meeting on ${fmt(meeting)} that means by ${fmt(due)}. ` +
      'A later request is not refused just because it is late: it is still considered on its merits.';
    return { due, explanation };
  },
};

/**
 * Computes the deadline for a named rule from its `from` date (see TIMESCALE_RULES[rule].fromMeaning).
 * Throws CalendarError UNKNOWN_RULE, INVALID_DATE or INVALID_SETTINGS for bad input.
 */
export function computeDeadline(
  ruleName: RuleName,
  from: IsoDate,
  calendar: StatutoryCalendar,
  settings: TimescaleSettings = DEFAULT_TIMESCALE_SETTINGS,
  options: DeadlineOptions = {},
): Deadline {
  if (!isRuleName(ruleName)) {
    throw new CalendarError(
      'UNKNOWN_RULE',
      `Unknown timescale rule "${String(ruleName)}"; expected one of ${RULE_NAMES.join(', ')}`,
    );
  }
  const start = parseIsoDate(from);
  const s = settings === DEFAULT_TIMESCALE_SETTINGS ? settings : resolveTimescaleSettings(settings);
  const meta = TIMESCALE_RULES[ruleName];
  return {
    rule: meta.name,
    ruleId: meta.ruleId,
    title: meta.title,
    from: start,
    fromMeaning: meta.fromMeaning,
    ...COMPUTE[ruleName](start, calendar, s, options),
  };
}
