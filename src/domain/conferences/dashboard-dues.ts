/** Due dates with their reasons: which rule made each and the date it counts from, in words. */
import {
  computeDeadline,
  deadlineStatus,
  formatLongDate,
  isRuleName,
  TIMESCALE_RULES,
  type DeadlineRag,
  type IsoDate,
  type RuleId,
  type RuleName,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../calendar/index.ts';
import type { ConferenceType } from './decisions.ts';
import type { DashboardConference } from './dashboard-facts.ts';

// ---------------------------------------------------------------------------------------------
// Due dates with their reasons

export interface DueDate {
  rule: RuleName;
  ruleId: RuleId;
  /** What is due, e.g. "Initial child protection conference". */
  title: string;
  due: IsoDate;
  /** The date the rule counts from; null when it was not recorded. */
  from: IsoDate | null;
  /** "T-1, 15 working days from the strategy discussion on 10 April 2025" */
  basis: string;
  /** "Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025" */
  text: string;
  status: DeadlineRag;
  workingDaysLeft: number;
}

export interface DashboardRules {
  calendar: StatutoryCalendar;
  settings: TimescaleSettings;
  /** Amber when due within this many working days. */
  amberWorkingDays?: number;
}

const wd = (n: number) => (n === 1 ? 'one working day' : `${n} working days`);
const months = (n: number) => (n === 1 ? 'one month' : `${n} months`);
export const TYPE_IN_TEXT: Readonly<Record<ConferenceType, string>> = {
  initial: 'initial conference',
  'pre-birth': 'pre-birth conference',
  review: 'review conference',
  'transfer-in': 'transfer-in conference',
};

/** What changes how a due date is worded: a likely premature birth ends a pre-birth conference's window earlier. */
export interface DueWordingFacts {
  prematureBirthLikely?: boolean | undefined;
}

/** How far the due date is from the date the rule counts from, and what that date is. */
function ruleWording(rule: RuleName, s: TimescaleSettings, facts: DueWordingFacts): { amount: string; what: string } {
  switch (rule) {
    case 'initial-conference':
      return { amount: `${wd(s.initialConferenceWorkingDays)} from`, what: 'the strategy discussion' };
    case 'pre-birth-conference':
      // 002 §1.3 (T-2): the due date was worked out from the earlier week when a premature birth is likely.
      return {
        amount: facts.prematureBirthLikely
          ? `by ${s.preBirthPrematureLatestWeek} weeks of pregnancy, not the usual ${s.preBirthLatestWeek}, because a premature birth is likely, counted from`
          : `by ${s.preBirthLatestWeek} weeks of pregnancy, counted from`,
        what: 'the expected date of delivery',
      };
    case 'first-review':
      return { amount: `${s.firstReviewDays} days from`, what: 'the initial conference' };
    case 'next-review':
      return { amount: `${months(s.reviewIntervalMonths)} from`, what: 'the review conference' };
    case 'transfer-in-conference':
      return { amount: `${wd(s.transferInConferenceWorkingDays)} from`, what: 'notice of the move' };
    case 'reports-to-family':
      return { amount: `${wd(s.reportsToFamilyWorkingDays)} before`, what: 'the conference' };
    case 'decision-letter':
      return {
        amount:
          s.decisionLetterWorkingDays === 1
            ? 'by the next working day after'
            : `${wd(s.decisionLetterWorkingDays)} after`,
        what: 'the conference',
      };
    case 'chair-summary':
      return { amount: `${wd(s.chairSummaryWorkingDays)} after`, what: 'the conference' };
    case 'record-distribution':
      return { amount: `${wd(s.recordDistributionWorkingDays)} after`, what: 'the conference' };
    case 'record-amendments':
      return { amount: `${wd(s.recordAmendmentsWorkingDays)} from`, what: 'receipt of the record' };
    case 'plan-ended-meeting':
      return { amount: `${wd(s.planEndedMeetingWorkingDays)} from`, what: 'the end of the plan' };
    case 'recording-copy':
      return { amount: `${months(s.recordingCopyMonths)} from`, what: 'the request' };
    case 'recording-copy-extended':
      return { amount: `${months(s.recordingCopyMonths + s.recordingCopyExtensionMonths)} from`, what: 'the request' };
    case 'reconvene-after-dissent':
      return { amount: `${wd(s.reconveneAfterDissentWorkingDays)} from`, what: 'the senior manager’s review' };
    case 'recording-permission-request':
      return { amount: `${s.recordingPermissionNoticeHours} hours before`, what: 'the meeting' };
  }
}

/** "15 working days from the strategy discussion on 10 April 2025" (the rule is not named: pages show no rule IDs). `what` names the start date when the rule's default does not fit. */
export function dueBasis(
  rule: RuleName,
  from: IsoDate | null,
  settings: TimescaleSettings,
  what?: string,
  facts: DueWordingFacts = {},
): string {
  const w = ruleWording(rule, settings, facts);
  const when = from ? ` on ${formatLongDate(from)}` : ' (date not recorded)';
  return `${w.amount} ${what ?? w.what}${when}`;
}

/** A due date (already worked out, or stored) with its rule, start date and red / amber / green status today. */
export function describeDue(
  rule: RuleName,
  due: IsoDate,
  from: IsoDate | null,
  today: IsoDate,
  rules: DashboardRules,
  what?: string,
): DueDate {
  return dueDescriber(today, rules).describe(rule, due, from, what);
}

/**
 * describeDue and computeDeadline for one "today", remembering results: many conferences share dates,
 * and working-day arithmetic walks the calendar day by day, so a large dashboard repeats it often.
 */
export function dueDescriber(today: IsoDate, rules: DashboardRules) {
  const amber = rules.amberWorkingDays ?? 5;
  const statuses = new Map<IsoDate, ReturnType<typeof deadlineStatus>>();
  const deadlines = new Map<string, IsoDate>();
  const describe = (
    rule: RuleName,
    due: IsoDate,
    from: IsoDate | null,
    what?: string,
    facts: DueWordingFacts = {},
  ): DueDate => {
    let s = statuses.get(due);
    if (!s) statuses.set(due, (s = deadlineStatus(today, due, rules.calendar, amber)));
    const basis = dueBasis(rule, from, rules.settings, what, facts);
    const meta = TIMESCALE_RULES[rule];
    return {
      rule,
      ruleId: meta.ruleId,
      title: meta.title,
      due,
      from,
      basis,
      text: `Due ${formatLongDate(due)} — ${basis}`,
      status: s.status,
      workingDaysLeft: s.workingDaysLeft,
    };
  };
  return {
    describe,
    /** Works the deadline out from its start date, then describes it. */
    computed(rule: RuleName, from: IsoDate, what?: string): DueDate {
      const key = `${rule}:${from}`;
      let due = deadlines.get(key);
      if (!due) deadlines.set(key, (due = computeDeadline(rule, from, rules.calendar, rules.settings).due));
      return describe(rule, due, from, what);
    },
    conference(c: DashboardConference): DueDate {
      const start = conferenceDueStart(c);
      return describe(c.dueRule, c.dueDate, start.from, start.what, { prematureBirthLikely: c.prematureBirthLikely });
    },
  };
}

/** The date a conference's stored due rule counts from, read from the conference's own facts. */
export function conferenceDueStart(c: DashboardConference): { from: IsoDate | null; what?: string } {
  switch (c.dueRule) {
    case 'initial-conference':
      return { from: c.strategyDiscussionDate };
    case 'pre-birth-conference':
      return { from: c.expectedDeliveryDate };
    case 'first-review':
    case 'next-review':
      return c.previousConference
        ? { from: c.previousConference.date, what: `the ${TYPE_IN_TEXT[c.previousConference.type]}` }
        : { from: null, what: 'the conference it reviews' };
    case 'transfer-in-conference':
      return { from: c.noticeOfMoveDate };
    default:
      // D-1 reconvened conferences: the review date is held on the referral, not the conference.
      return { from: null };
  }
}

/** The statutory due date of the conference itself (T-1 … T-4, or D-1), as stored when it was convened. */
export function conferenceDue(c: DashboardConference, today: IsoDate, rules: DashboardRules): DueDate {
  return dueDescriber(today, rules).conference(c);
}

/**
 * Maps a stored rule to a rule name. Convening stores the name ("initial-conference"); a bare rule id
 * is accepted where it names one rule (T-3 is told apart by the type of the conference reviewed).
 */
export function resolveDueRule(stored: string, previousType: ConferenceType | null): RuleName | null {
  if (isRuleName(stored)) return stored;
  switch (stored) {
    case 'T-1':
      return 'initial-conference';
    case 'T-2':
      return 'pre-birth-conference';
    case 'T-3':
      return previousType === 'review' ? 'next-review' : 'first-review';
    case 'T-4':
      return 'transfer-in-conference';
    case 'D-1':
      return 'reconvene-after-dissent';
    default:
      return null;
  }
}
