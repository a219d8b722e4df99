/**
 * Watching timescales: which conferences, reviews, reports, letters, referrals and ended plans need
 * attention, and how urgently (red / amber / green by the rule that applies). Pure: the caller loads
 * the facts, checks who may see them, and passes "today" from its clock.
 *
 * Every due date carries the rule that made it and the date it counts from, so a person can check it
 * by hand ("Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025").
 */
import {
  addDays,
  addWorkingDays,
  compareIsoDates,
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
import type { ArrangementKind } from '../documents/arrangements.ts';
import {
  DOCUMENT_DEADLINES,
  DOCUMENT_STATE_LABELS,
  type DocumentState,
  type DraftStatus,
  neededDocuments,
} from '../documents/drafting.ts';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '../documents/model.ts';
import { type SendingProgress, documentDelivered, issuedLabel } from '../documents/sending.ts';
import type { Role } from '../access/roles.ts';
import type { CoreGroupDue } from '../core-groups/core-groups.ts';
import type { CoreGroupTasks } from '../core-groups/dashboard-tasks.ts';
import { CONFERENCE_TYPES, type ConferenceType, type Outcome, outcomeHasPlan } from './decisions.ts';
import type { ConferenceStatus } from './lifecycle.ts';
import { type ConferenceForChildren, cancelledConferenceReplaced, replacementFrom } from './rearrangement.ts';

// ---------------------------------------------------------------------------------------------
// Sections

export const DASHBOARD_SECTIONS = [
  'upcoming',
  'overdue',
  'cancelled',
  'reviews-due',
  'missing-reports',
  'records-due',
  'document-tasks',
  'amendments',
  'dissent',
  'plan-ended',
  'core-groups',
  'lead-social-worker',
  'interpreters',
  'family-meetings',
] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

/** 002 §4.1: how far ahead the chair's dashboard lists planned conferences whose meeting with the family is not recorded. */
export const FAMILY_MEETING_WORKING_DAYS = 10;

/** "The next 30 days": upcoming conferences, reports and reviews falling due. */
export const DASHBOARD_HORIZON_DAYS = 30;

export const DASHBOARD_SECTION_INFO: Readonly<Record<DashboardSection, { title: string; description: string }>> = {
  upcoming: {
    title: 'Upcoming conferences',
    description: `Conferences planned for today or the next ${DASHBOARD_HORIZON_DAYS} days.`,
  },
  overdue: {
    title: 'Overdue or planned late',
    description: 'Conferences not yet held after their statutory due date, or planned for a date after it.',
  },
  cancelled: {
    title: 'Conference cancelled: a new one is needed',
    description:
      'Initial, pre-birth and transfer-in conferences that were cancelled, with no other conference of the same type planned or held for the children since. ' +
      'The timescale still runs from the original start date. Cancelled reviews are under reviews falling due.',
  },
  'reviews-due': {
    title: 'Reviews falling due',
    description: `Children whose plan is due for review within ${DASHBOARD_HORIZON_DAYS} days, with no later conference planned for them.`,
  },
  'missing-reports': {
    title: 'Reports missing or not shared',
    description:
      `Conferences in the next ${DASHBOARD_HORIZON_DAYS} days where an invited agency has not sent a report, or a report has not been shared with the family 3 working days before. ` +
      'Police reports are never shared with the family automatically, so they are not checked for sharing.',
  },
  'records-due': {
    title: 'Decisions, letters and records due',
    description:
      'Conferences awaiting decisions, and each letter, summary, record or note a conference needs, with its state and the date it is due. ' +
      'A conference stays here, however late, until every one of its documents has been issued.',
  },
  'document-tasks': {
    title: 'Arrangements for people receiving documents',
    description:
      'Large print, an interpreter to go through a document, a translation or another arrangement made for someone with a sensory disability or whose first language is not English. ' +
      'Each stays here until it is marked done on the conference’s documents page.',
  },
  amendments: {
    title: 'Amendment requests waiting for the chair',
    description:
      'Requests to amend an issued document, each due to the chair 10 working days after the person received it. ' +
      'A request received later is still listed, flagged. Each stays here until the chair has decided every point.',
  },
  dissent: {
    title: 'Dissent referrals',
    description:
      'Referrals to a senior manager because more than one agency dissented, awaiting the review; and reviews that decided to reconvene, until a conference is convened as the reconvened one.',
  },
  'plan-ended': {
    title: 'Plans ended: meeting with the family',
    description:
      'Children whose child protection plan ended at a conference, with no meeting with the family recorded yet.',
  },
  'core-groups': {
    title: 'Core group meetings due',
    description:
      'Children with a child protection plan whose next core group meeting is due within 5 working days or overdue: the first on the date the conference set, then at most 6 weeks after the last one recorded.',
  },
  'lead-social-worker': {
    title: 'Lead social workers to appoint',
    description:
      'Children whose plan was made without a lead social worker. A team manager must appoint one by the first core group.',
  },
  interpreters: {
    title: 'Interpreters not booked',
    description:
      'Planned conferences where someone invited needs an interpreter and no interpreter is invited for that language.',
  },
  'family-meetings': {
    title: 'Meet the child and family before the conference',
    description: `Planned conferences in the next ${FAMILY_MEETING_WORKING_DAYS} working days where the chair has not yet recorded meeting the child and family beforehand, or why they could not.`,
  },
};

/**
 * Sections only some people see: lead social workers are appointed by team managers (002 §3.7); interpreters are
 * booked by chairs and business support (002 §3.2). Every other section is for everyone with a dashboard.
 */
export const DASHBOARD_SECTION_ROLES: Readonly<Partial<Record<DashboardSection, readonly Role[]>>> = {
  'lead-social-worker': ['team_manager'],
  interpreters: ['chair', 'business_support'],
  'family-meetings': ['chair'],
};

/** The sections a person with these roles sees, in the dashboard's order. */
export function dashboardSectionsFor(roles: readonly Role[]): DashboardSection[] {
  return DASHBOARD_SECTIONS.filter((s) => {
    const only = DASHBOARD_SECTION_ROLES[s];
    return !only || only.some((r) => roles.includes(r));
  });
}

export function isDashboardSection(v: unknown): v is DashboardSection {
  return typeof v === 'string' && (DASHBOARD_SECTIONS as readonly string[]).includes(v);
}

export const RAG_STATUSES = ['overdue', 'due-soon', 'on-track'] as const satisfies readonly DeadlineRag[];

export function isRagStatus(v: unknown): v is DeadlineRag {
  return typeof v === 'string' && (RAG_STATUSES as readonly string[]).includes(v);
}

export function isConferenceType(v: unknown): v is ConferenceType {
  return typeof v === 'string' && (CONFERENCE_TYPES as readonly string[]).includes(v);
}

/** Words on the tag (never colour alone). */
export const RAG_LABELS: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'Overdue',
  'due-soon': 'Due soon',
  'on-track': 'On track',
};

/** How much time is left, in working days, as a person would say it. */
export function timeLeftText(status: DeadlineRag, workingDaysLeft: number): string {
  const days = (n: number) => (n === 1 ? '1 working day' : `${n} working days`);
  if (status === 'overdue') return workingDaysLeft < 0 ? `${days(-workingDaysLeft)} overdue` : 'Past the due date';
  if (workingDaysLeft === 0) return 'Due today';
  return `${days(workingDaysLeft)} left`;
}

// ---------------------------------------------------------------------------------------------
// Facts the caller loads

export interface DashboardChild {
  id: string;
  givenNames: string;
  familyName: string;
}

export interface StaffName {
  id: string;
  name: string;
}

export interface DashboardConference {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  /** Local time in England, HH:MM. */
  startTime: string;
  chair: StaffName | null;
  /** The statutory rule and due date stored when the conference was convened. */
  dueRule: RuleName;
  dueDate: IsoDate;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  /** For a review: the conference it reviews (T-3 counts from its date). */
  previousConference: { date: IsoDate; type: ConferenceType } | null;
  noticeOfMoveDate: IsoDate | null;
  /** T-1: the senior manager who agreed a date outside the timescale, and why. */
  lateAgreedBy: string | null;
  lateReason: string | null;
  /** 002 §1.3: a pre-birth conference recorded at convening as likely to be followed by a premature birth (T-2). */
  prematureBirthLikely?: boolean;
  /** 002 §4.1: the chair's meeting with the child and family beforehand (or why not) is recorded. */
  familyMeetingRecorded?: boolean;
  /** The sibling group. */
  children: DashboardChild[];
}

export interface AgencyRef {
  id: string;
  name: string;
  kind: string;
}

export interface DashboardFacts {
  conferences: readonly DashboardConference[];
  /**
   * The first conference date whose written record is kept in the service: a conference held before it had its
   * letters and record sent another way, so it leaves once its T-6 / T-7 dates have passed. Null or absent: all.
   */
  writtenRecordFrom?: IsoDate | null;
  /** Agencies with a professional invited to each conference. */
  invitedAgencies: ReadonlyArray<{ conferenceId: string; agency: AgencyRef }>;
  reports: ReadonlyArray<{
    conferenceId: string;
    agency: AgencyRef;
    sharedWithFamilyOn: IsoDate | null;
    withheldFromFamily: boolean;
  }>;
  /** Each child's latest plan version (from their latest conference with a plan). */
  latestPlans: ReadonlyArray<{
    conferenceId: string;
    childId: string;
    nextReviewDate: IsoDate | null;
    decisionOutcome: Outcome | null;
  }>;
  /** Latest decisions "plan ends" at a conference, with the T-9 meeting date from the latest plan version there. */
  endedPlans: ReadonlyArray<{ conferenceId: string; childId: string; planEndedMeetingDate: IsoDate | null }>;
  /** D-1 referrals to a senior manager. */
  referrals: ReadonlyArray<{
    id: string;
    conferenceId: string;
    childId: string;
    referredTo: string;
    referredOn: IsoDate;
    reviewedOn: IsoDate | null;
    reconveneDue: IsoDate | null;
    /** The conference linked as reconvening the referral's conference (cancelled ones left out), or null. */
    reconvenedBy: string | null;
  }>;
  /**
   * For the children of cancelled conferences in \`conferences\`: their other conferences that count as
   * held or planned, for the replacement rule (cancelledConferenceReplaced). Each lists at least the
   * children it shares with a cancelled conference.
   */
  otherConferences: readonly ConferenceForChildren[];
  /** For the children in plans and referrals: the date of their latest conference that is planned, under way or held. */
  latestConferenceDate: ReadonlyMap<string, IsoDate>;
  /** For held and adjourned conferences: each child's latest decision there (which documents are needed). */
  decisionOutcomes: ReadonlyArray<{ conferenceId: string; childId: string; outcome: Outcome }>;
  /** For held and adjourned conferences: family members excluded from all or part of it (002 §3.2), each owed a letter. */
  exclusions: ReadonlyArray<{ conferenceId: string; inviteeId: string; name: string }>;
  /** The drafts of the conferences' documents and their states (T-6, T-7); a needed document with none is not started. */
  documents: ReadonlyArray<{
    conferenceId: string;
    kind: DocumentKind;
    subjectInviteeId: string | null;
    status: DraftStatus;
    /** Once issued: how many recipients of its latest issue have been sent their copy (T-6, T-7). */
    sending?: SendingProgress | null;
  }>;
  /** W-4: arrangements for recipients not yet done. */
  arrangementTasks: readonly DashboardArrangementTask[];
  /** Core groups due, lead social workers to appoint, interpreters not booked (002 §3.7, §3.2); none: nothing listed. */
  coreGroupTasks?: CoreGroupTasks;
  /** W-5, T-8: amendment requests waiting for the chair. */
  amendmentRequests?: readonly DashboardAmendmentRequest[];
}

/** W-5, T-8: a request to amend an issued document, waiting for the chair's decision. */
export interface DashboardAmendmentRequest {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  issueNumber: number;
  receivedOn: IsoDate;
  /** When the requester received the document: T-8 counts from here. */
  recordReceivedOn: IsoDate;
  /** T-8: 10 working days from the requester's receipt of the document. */
  dueOn: IsoDate;
  /** Received after the due date: still recorded, flagged. */
  late: boolean;
  points: number;
}

/** W-4: an arrangement made for someone receiving a document, open until it is marked done. */
export interface DashboardArrangementTask {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  recipientName: string;
  arrangement: ArrangementKind;
  language: string | null;
  detail: string | null;
  createdAt: Date;
}

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
const TYPE_IN_TEXT: Readonly<Record<ConferenceType, string>> = {
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
function dueDescriber(today: IsoDate, rules: DashboardRules) {
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
function conferenceDueStart(c: DashboardConference): { from: IsoDate | null; what?: string } {
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

// ---------------------------------------------------------------------------------------------
// Items

interface ItemBase {
  /** Unique within the dashboard. */
  key: string;
  conference: DashboardConference;
  /** The children the item is about (the whole sibling group, or those a plan, referral or ending concerns). */
  concerning: DashboardChild[];
  /** Red / amber / green by the rule that applies; null when no timescale applies yet (a D-1 referral awaiting review). */
  status: DeadlineRag | null;
  due: DueDate | null;
  /** The conference type the type filter matches: the type of the conference due, for reviews falling due. */
  filterType: ConferenceType;
}

export interface UpcomingItem extends ItemBase {
  section: 'upcoming';
  due: DueDate;
  scheduledAfterDue: boolean;
}

export interface OverdueItem extends ItemBase {
  section: 'overdue';
  due: DueDate;
  /** Not held and the due date has passed. */
  pastDue: boolean;
  /** Planned for a date after the due date. */
  scheduledAfterDue: boolean;
  /** The planned date has passed but the conference was not opened. */
  plannedDatePassed: boolean;
  lateAgreement: { agreedBy: string; reason: string } | null;
}

/** A cancelled initial, pre-birth or transfer-in conference not yet replaced: its timescale still runs (T-1, T-2, T-4). */
export interface CancelledItem extends ItemBase {
  section: 'cancelled';
  due: DueDate;
}

export interface ReviewDueItem extends ItemBase {
  section: 'reviews-due';
  due: DueDate;
  /** The next review date set in each child's plan. */
  reviewDates: Array<{ child: DashboardChild; nextReviewDate: IsoDate | null }>;
  /** A child's plan sets a review date after the statutory due date. */
  reviewDateAfterDue: boolean;
}

export interface MissingReportsItem extends ItemBase {
  section: 'missing-reports';
  due: DueDate;
  missing: AgencyRef[];
  notShared: Array<{ agency: AgencyRef; sharedOn: IsoDate | null }>;
}

/** One document a conference needs, its state and its own due date (T-6, T-7). */
export interface RecordDocument {
  kind: DocumentKind;
  /** "Decision letter"; an exclusion letter names the person it is for. */
  label: string;
  /** An exclusion letter's excluded person (conference invitee id); null for every other kind. */
  subjectInviteeId: string | null;
  state: DocumentState;
  stateLabel: string;
  /** Null when the kind has no timescale (a letter giving the reasons for an exclusion). */
  due: DueDate | null;
  /** An issued document whose every copy has gone has met its date; otherwise red / amber / green, or null with no timescale. */
  status: DeadlineRag | 'met' | null;
  /** Once issued: how many copies have gone, and to whom they have not (T-6, T-7). */
  sending: SendingProgress | null;
}

export interface RecordsDueItem extends ItemBase {
  section: 'records-due';
  /** The earliest due date among the documents not yet issued (null when none of them has a timescale). */
  due: DueDate | null;
  /** False while the conference is still open: its decisions are not recorded. */
  decisionsRecorded: boolean;
  /** The T-6 and T-7 dates: decision letter, chair's summary, record (only these while decisions are awaited). */
  deadlines: DueDate[];
  /** Each document the conference needs with its state and due date; empty while decisions are awaited. */
  documents: RecordDocument[];
}

/** W-4: an arrangement to make for someone receiving a document; no timescale of its own. */
export interface DocumentTaskItem extends ItemBase {
  section: 'document-tasks';
  status: null;
  due: null;
  task: DashboardArrangementTask;
  documentLabel: string;
}

/** W-5, T-8: an amendment request waiting for the chair, red / amber / green against its due date. */
export interface AmendmentItem extends ItemBase {
  section: 'amendments';
  due: DueDate;
  request: DashboardAmendmentRequest;
  /** "Conference record, version 1". */
  documentLabel: string;
}

export interface DissentItem extends ItemBase {
  section: 'dissent';
  state: 'awaiting-review' | 'reconvene-due';
  referral: {
    id: string;
    referredTo: string;
    referredOn: IsoDate;
    reviewedOn: IsoDate | null;
    reconveneDue: IsoDate | null;
  };
}

export interface PlanEndedItem extends ItemBase {
  section: 'plan-ended';
  due: DueDate;
}

/** 002 §3.7: a child whose next core group is due soon or overdue. */
export interface CoreGroupDueItem extends ItemBase {
  section: 'core-groups';
  due: null;
  coreGroup: CoreGroupDue;
}

/** 002 §3.7: a plan in force with no lead social worker; due by the first core group date. */
export interface LeadSocialWorkerItem extends ItemBase {
  section: 'lead-social-worker';
  due: null;
  deadline: IsoDate | null;
}

/** 002 §3.2: a planned conference where languages are needed with no interpreter invited. */
export interface InterpreterItem extends ItemBase {
  section: 'interpreters';
  due: null;
  missing: Array<{ language: string; people: number }>;
}

/** 002 §4.1: a planned conference soon whose chair has not recorded meeting the child and family beforehand. */
export interface FamilyMeetingItem extends ItemBase {
  section: 'family-meetings';
  due: null;
  /** Working days from today to the conference (0: today). */
  workingDaysLeft: number;
}

export type DashboardItem =
  | FamilyMeetingItem
  | UpcomingItem
  | OverdueItem
  | CancelledItem
  | ReviewDueItem
  | MissingReportsItem
  | RecordsDueItem
  | DocumentTaskItem
  | AmendmentItem
  | DissentItem
  | PlanEndedItem
  | CoreGroupDueItem
  | LeadSocialWorkerItem
  | InterpreterItem;
export type ItemOf<S extends DashboardSection> = Extract<DashboardItem, { section: S }>;
export type DashboardSections = { [S in DashboardSection]: Array<ItemOf<S>> };

const POLICE = 'police';

const documentKey = (conferenceId: string, kind: DocumentKind, subjectInviteeId: string | null) =>
  `${conferenceId}:${kind}:${subjectInviteeId ?? ''}`;

function byDueThenDate(a: DashboardItem, b: DashboardItem): number {
  const da = a.due?.due;
  const db = b.due?.due;
  if (da !== db) {
    if (!da) return 1;
    if (!db) return -1;
    return compareIsoDates(da, db);
  }
  return compareIsoDates(a.conference.scheduledDate, b.conference.scheduledDate) || a.key.localeCompare(b.key);
}

function byConferenceDate(a: DashboardItem, b: DashboardItem): number {
  return (
    compareIsoDates(a.conference.scheduledDate, b.conference.scheduledDate) ||
    a.conference.startTime.localeCompare(b.conference.startTime) ||
    a.key.localeCompare(b.key)
  );
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const within = (d: IsoDate, from: IsoDate, to: IsoDate) => compareIsoDates(d, from) >= 0 && compareIsoDates(d, to) <= 0;

/**
 * Sorts the facts into the dashboard's sections. Only conferences in `facts.conferences` are listed,
 * so the caller removes those the person may not see (every child in them) before calling.
 */
export function classifyDashboard(
  facts: DashboardFacts,
  today: IsoDate,
  rules: DashboardRules,
  only: ReadonlySet<DashboardSection> | null = null,
): DashboardSections {
  // A view of one section classifies only that section (the others stay empty).
  const want = (s: DashboardSection) => only === null || only.has(s);
  const horizon = addDays(today, DASHBOARD_HORIZON_DAYS);
  const dues = dueDescriber(today, rules);
  const byId = new Map(facts.conferences.map((c) => [c.id, c]));
  const reportsOf = groupBy(facts.reports, (r) => r.conferenceId);
  const invitedOf = groupBy(facts.invitedAgencies, (i) => i.conferenceId);
  const childOf = (c: DashboardConference, childId: string) => c.children.find((ch) => ch.id === childId);
  // "No later conference planned": a conference for the child after the given date that is not cancelled or adjourned.
  const laterConferencePlanned = (childId: string, after: IsoDate) => {
    const latest = facts.latestConferenceDate.get(childId);
    return latest !== undefined && compareIsoDates(latest, after) > 0;
  };

  const othersOf = groupBy(
    facts.otherConferences.flatMap((o) => o.childIds.map((k) => ({ k, o }))),
    (x) => x.k,
  );
  const out: DashboardSections = {
    upcoming: [],
    overdue: [],
    cancelled: [],
    'reviews-due': [],
    'missing-reports': [],
    'records-due': [],
    'document-tasks': [],
    amendments: [],
    dissent: [],
    'plan-ended': [],
    'core-groups': [],
    'lead-social-worker': [],
    interpreters: [],
    'family-meetings': [],
  };
  // 002 §4.1: the last day the chair's meeting with the family is listed for.
  const familyMeetingHorizon = addWorkingDays(today, FAMILY_MEETING_WORKING_DAYS, rules.calendar);
  const outcomesOf = groupBy(facts.decisionOutcomes, (o) => o.conferenceId);
  const exclusionsOf = groupBy(facts.exclusions, (x) => x.conferenceId);
  const draftStates = new Map(
    facts.documents.map((doc) => [documentKey(doc.conferenceId, doc.kind, doc.subjectInviteeId), doc.status]),
  );
  const sendingOf = new Map(
    facts.documents.map((doc) => [documentKey(doc.conferenceId, doc.kind, doc.subjectInviteeId), doc.sending ?? null]),
  );

  for (const c of facts.conferences) {
    const base = { conference: c, concerning: c.children, filterType: c.type };
    const notYetHeld = c.status === 'planned';
    const inWindow = within(c.scheduledDate, today, horizon);

    if (want('upcoming') && (c.status === 'planned' || c.status === 'in-progress') && inWindow) {
      const due = dues.conference(c);
      out.upcoming.push({
        ...base,
        section: 'upcoming',
        key: `upcoming:${c.id}`,
        due,
        status: due.status,
        scheduledAfterDue: compareIsoDates(c.scheduledDate, c.dueDate) > 0,
      });
    }

    // 002 §4.1: the chair meets the child and family before the conference; a to-do until it is recorded.
    if (
      want('family-meetings') &&
      notYetHeld &&
      c.familyMeetingRecorded === false &&
      within(c.scheduledDate, today, familyMeetingHorizon)
    ) {
      const s = deadlineStatus(today, c.scheduledDate, rules.calendar, rules.amberWorkingDays ?? 5);
      out['family-meetings'].push({
        ...base,
        section: 'family-meetings',
        key: `family-meetings:${c.id}`,
        status: s.status,
        due: null,
        workingDaysLeft: s.workingDaysLeft,
      });
    }

    // T-1 … T-4 (and D-1): not held by the due date, or planned for after it.
    if (want('overdue') && notYetHeld) {
      const pastDue = compareIsoDates(today, c.dueDate) > 0;
      const scheduledAfterDue = compareIsoDates(c.scheduledDate, c.dueDate) > 0;
      if (pastDue || scheduledAfterDue) {
        const due = dues.conference(c);
        out.overdue.push({
          ...base,
          section: 'overdue',
          key: `overdue:${c.id}`,
          due,
          status: due.status,
          pastDue,
          scheduledAfterDue,
          plannedDatePassed: compareIsoDates(c.scheduledDate, today) < 0,
          lateAgreement:
            c.lateAgreedBy?.trim() && c.lateReason?.trim()
              ? { agreedBy: c.lateAgreedBy.trim(), reason: c.lateReason.trim() }
              : null,
        });
      }
    }

    // T-1, T-2, T-4 after a cancellation: the children still need the conference until it is replaced (the
    // conference page's rule). A cancelled review is under reviews falling due; a cancelled reconvened one under dissent.
    if (
      want('cancelled') &&
      c.status === 'cancelled' &&
      c.type !== 'review' &&
      c.dueRule !== 'reconvene-after-dissent'
    ) {
      const childIds = c.children.map((k) => k.id);
      const others = [...new Set(childIds.flatMap((k) => (othersOf.get(k) ?? []).map((x) => x.o)))];
      const from = conferenceDueStart(c).from;
      const since = from ? replacementFrom(c.type, from, rules.settings) : c.scheduledDate;
      if (
        !cancelledConferenceReplaced(
          { id: c.id, type: c.type, status: c.status, scheduledDate: c.scheduledDate, childIds },
          since,
          others,
        )
      ) {
        const due = dues.conference(c);
        out.cancelled.push({ ...base, section: 'cancelled', key: `cancelled:${c.id}`, due, status: due.status });
      }
    }

    // T-5: every invited agency's report, shared with the family in time (police reports excepted).
    if (want('missing-reports') && notYetHeld && inWindow) {
      const due = dues.computed('reports-to-family', c.scheduledDate);
      const reports = reportsOf.get(c.id) ?? [];
      const reported = new Set(reports.map((r) => r.agency.id));
      const missing = new Map<string, AgencyRef>();
      for (const inv of invitedOf.get(c.id) ?? []) {
        if (!reported.has(inv.agency.id)) missing.set(inv.agency.id, inv.agency);
      }
      const notShared = reports
        .filter((r) => r.agency.kind !== POLICE && !r.withheldFromFamily)
        .filter((r) => r.sharedWithFamilyOn === null || compareIsoDates(r.sharedWithFamilyOn, due.due) > 0)
        .map((r) => ({ agency: r.agency, sharedOn: r.sharedWithFamilyOn }));
      if (missing.size || notShared.length) {
        out['missing-reports'].push({
          ...base,
          section: 'missing-reports',
          key: `missing-reports:${c.id}`,
          due,
          status: due.status,
          missing: [...missing.values()].sort((a, b) => a.name.localeCompare(b.name)),
          notShared,
        });
      }
    }

    // T-6 / T-7: each document the conference needs, against its own due date. Decisions not yet recorded keep
    // it listed; once they are, it stays listed, however late, until every document it needs has been issued.
    const awaitingDecisions = c.status === 'in-progress' && compareIsoDates(c.scheduledDate, today) < 0;
    if (want('records-due') && (c.status === 'held' || c.status === 'adjourned-inquorate' || awaitingDecisions)) {
      const deadlines = (['decision-letter', 'chair-summary', 'record-distribution'] as const).map((r) =>
        dues.computed(r, c.scheduledDate),
      );
      const item = { ...base, section: 'records-due' as const, key: `records-due:${c.id}`, deadlines };
      if (awaitingDecisions) {
        const next = deadlines.find((d) => d.status !== 'overdue');
        const due = next ?? deadlines[deadlines.length - 1]!;
        out['records-due'].push({
          ...item,
          due,
          status: next ? next.status : 'overdue',
          decisionsRecorded: false,
          documents: [],
        });
      } else {
        const excluded = exclusionsOf.get(c.id) ?? [];
        const names = new Map(excluded.map((x) => [x.inviteeId, x.name]));
        const documents = neededDocuments({
          status: c.status,
          outcomes: (outcomesOf.get(c.id) ?? []).map((o) => o.outcome),
          excludedInviteeIds: [...names.keys()],
        }).map((needed): RecordDocument => {
          const state: DocumentState =
            draftStates.get(documentKey(c.id, needed.kind, needed.subjectInviteeId)) ?? 'not-started';
          const rule = DOCUMENT_DEADLINES[needed.kind];
          const due = rule ? dues.computed(rule, c.scheduledDate) : null;
          const name = needed.subjectInviteeId ? names.get(needed.subjectInviteeId) : undefined;
          const sending =
            state === 'issued'
              ? (sendingOf.get(documentKey(c.id, needed.kind, needed.subjectInviteeId)) ?? null)
              : null;
          return {
            kind: needed.kind,
            label: name ? `${DOCUMENT_KIND_LABELS[needed.kind]}: ${name}` : DOCUMENT_KIND_LABELS[needed.kind],
            subjectInviteeId: needed.subjectInviteeId,
            state,
            stateLabel: state === 'issued' ? issuedLabel(sending) : DOCUMENT_STATE_LABELS[state],
            due,
            status: documentDelivered(state === 'issued', sending) ? 'met' : (due?.status ?? null),
            sending,
          };
        });
        // T-6 / T-7: a document is done once issued and every recipient's copy has gone.
        const outstanding = documents.filter((doc) => doc.status !== 'met');
        const from = facts.writtenRecordFrom ?? null;
        const keptElsewhere =
          from !== null &&
          compareIsoDates(c.scheduledDate, from) < 0 &&
          deadlines.every((d) => compareIsoDates(today, d.due) > 0);
        if (outstanding.length && !keptElsewhere) {
          // The worst of the documents not yet issued: the earliest due date sets the item's status.
          const due =
            outstanding.flatMap((doc) => (doc.due ? [doc.due] : [])).sort((a, b) => compareIsoDates(a.due, b.due))[0] ??
            null;
          out['records-due'].push({
            ...item,
            due,
            status: due?.status ?? null,
            decisionsRecorded: true,
            documents,
          });
        }
      }
    }
  }

  // W-4: arrangements for recipients, open until done, under the conference they belong to.
  for (const task of want('document-tasks') ? facts.arrangementTasks : []) {
    const c = byId.get(task.conferenceId);
    if (!c) continue;
    out['document-tasks'].push({
      section: 'document-tasks',
      key: `document-tasks:${task.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: null,
      due: null,
      task,
      documentLabel: DOCUMENT_KIND_LABELS[task.kind],
    });
  }

  // W-5, T-8: amendment requests waiting for the chair, by their due date.
  for (const request of want('amendments') ? (facts.amendmentRequests ?? []) : []) {
    const c = byId.get(request.conferenceId);
    if (!c) continue;
    const due = dues.describe('record-amendments', request.dueOn, request.recordReceivedOn);
    const item: AmendmentItem = {
      section: 'amendments',
      key: `amendments:${request.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: due.status,
      due,
      request,
      documentLabel: `${DOCUMENT_KIND_LABELS[request.kind]}, version ${request.issueNumber}`,
    };
    out.amendments.push(item);
  }

  // T-3: reviews falling due for children whose latest plan is still in force.
  const reviewGroups = new Map<string, ReviewDueItem>();
  for (const p of want('reviews-due') ? facts.latestPlans : []) {
    const c = byId.get(p.conferenceId);
    const child = c && childOf(c, p.childId);
    if (!c || !child) continue;
    if (p.decisionOutcome !== null && !outcomeHasPlan(p.decisionOutcome)) continue;
    if (laterConferencePlanned(p.childId, c.scheduledDate)) continue;
    const due = dues.computed(
      c.type === 'review' ? 'next-review' : 'first-review',
      c.scheduledDate,
      `the ${TYPE_IN_TEXT[c.type]}`,
    );
    const fallsDue =
      compareIsoDates(due.due, horizon) <= 0 ||
      (p.nextReviewDate !== null && compareIsoDates(p.nextReviewDate, horizon) <= 0);
    if (!fallsDue) continue;
    const item =
      reviewGroups.get(c.id) ??
      ({
        section: 'reviews-due',
        key: `reviews-due:${c.id}`,
        conference: c,
        concerning: [],
        filterType: 'review',
        due,
        status: due.status,
        reviewDates: [],
        reviewDateAfterDue: false,
      } satisfies ReviewDueItem);
    item.concerning.push(child);
    item.reviewDates.push({ child, nextReviewDate: p.nextReviewDate });
    if (p.nextReviewDate !== null && compareIsoDates(p.nextReviewDate, due.due) > 0) item.reviewDateAfterDue = true;
    reviewGroups.set(c.id, item);
  }
  out['reviews-due'].push(...reviewGroups.values());

  // T-9: plans that ended at a held conference, with no meeting with the family recorded.
  const endedGroups = new Map<string, PlanEndedItem>();
  for (const e of want('plan-ended') ? facts.endedPlans : []) {
    const c = byId.get(e.conferenceId);
    const child = c && childOf(c, e.childId);
    if (!c || !child || c.status !== 'held' || e.planEndedMeetingDate !== null) continue;
    const item =
      endedGroups.get(c.id) ??
      (() => {
        const due = dues.computed('plan-ended-meeting', c.scheduledDate, 'the end of the plan at the conference');
        return {
          section: 'plan-ended',
          key: `plan-ended:${c.id}`,
          conference: c,
          concerning: [],
          filterType: c.type,
          due,
          status: due.status,
        } satisfies PlanEndedItem;
      })();
    item.concerning.push(child);
    endedGroups.set(c.id, item);
  }
  out['plan-ended'].push(...endedGroups.values());

  // D-1: referrals awaiting the senior manager's review, then reconvened conferences not yet convened: outstanding
  // until a conference is linked as the reconvened one (another conference for the child does not count).
  for (const r of want('dissent') ? facts.referrals : []) {
    const c = byId.get(r.conferenceId);
    const child = c && childOf(c, r.childId);
    if (!c || !child) continue;
    const referral = {
      id: r.id,
      referredTo: r.referredTo,
      referredOn: r.referredOn,
      reviewedOn: r.reviewedOn,
      reconveneDue: r.reconveneDue,
    };
    const base = {
      section: 'dissent' as const,
      key: `dissent:${r.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      referral,
    };
    if (r.reviewedOn === null) {
      // The procedure sets no timescale for the review itself; D-1 counts from it.
      out.dissent.push({ ...base, state: 'awaiting-review', status: null, due: null });
    } else if (r.reconveneDue !== null && r.reconvenedBy === null) {
      const due = dues.describe('reconvene-after-dissent', r.reconveneDue, r.reviewedOn);
      out.dissent.push({ ...base, state: 'reconvene-due', status: due.status, due });
    }
  }

  // 002 §3.7, §3.2: core groups due, lead social workers to appoint, interpreters not booked.
  const tasks = facts.coreGroupTasks;
  for (const t of want('core-groups') ? (tasks?.due ?? []) : []) {
    const c = byId.get(t.conferenceId);
    const child = c && childOf(c, t.childId);
    if (!c || !child) continue;
    out['core-groups'].push({
      section: 'core-groups',
      key: `core-groups:${c.id}:${child.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      status: t.due.status,
      due: null,
      coreGroup: t.due,
    });
  }
  for (const t of want('lead-social-worker') ? (tasks?.lead ?? []) : []) {
    const c = byId.get(t.conferenceId);
    const child = c && childOf(c, t.childId);
    if (!c || !child) continue;
    out['lead-social-worker'].push({
      section: 'lead-social-worker',
      key: `lead-social-worker:${c.id}:${child.id}`,
      conference: c,
      concerning: [child],
      filterType: c.type,
      status: t.status,
      due: null,
      deadline: t.deadline,
    });
  }
  for (const t of want('interpreters') ? (tasks?.interpreters ?? []) : []) {
    const c = byId.get(t.conferenceId);
    if (!c || c.status !== 'planned') continue;
    out.interpreters.push({
      section: 'interpreters',
      key: `interpreters:${c.id}`,
      conference: c,
      concerning: c.children,
      filterType: c.type,
      status: null,
      due: null,
      missing: t.missing,
    });
  }

  out.upcoming.sort(byConferenceDate);
  out.overdue.sort(byDueThenDate);
  out.cancelled.sort(byDueThenDate);
  out['reviews-due'].sort(byDueThenDate);
  out['missing-reports'].sort(byConferenceDate);
  out['records-due'].sort(byDueThenDate);
  out['document-tasks'].sort(
    (a, b) => a.task.createdAt.getTime() - b.task.createdAt.getTime() || a.key.localeCompare(b.key),
  );
  out.amendments.sort(byDueThenDate);
  out.dissent.sort((a, b) => compareIsoDates(a.referral.referredOn, b.referral.referredOn) || byDueThenDate(a, b));
  out['plan-ended'].sort(byDueThenDate);
  out['core-groups'].sort((a, b) => compareIsoDates(a.coreGroup.due, b.coreGroup.due) || a.key.localeCompare(b.key));
  out['lead-social-worker'].sort(
    (a, b) =>
      (a.deadline && b.deadline ? compareIsoDates(a.deadline, b.deadline) : a.deadline ? -1 : b.deadline ? 1 : 0) ||
      a.key.localeCompare(b.key),
  );
  out.interpreters.sort(byConferenceDate);
  out['family-meetings'].sort(byConferenceDate);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Filters (none of them personal: section, chair, status, type)

export interface DashboardFilter {
  /** Only conferences chaired by this person; null for every chair. */
  chairId: string | null;
  status: DeadlineRag | null;
  type: ConferenceType | null;
}

export function itemMatches(item: DashboardItem, f: DashboardFilter): boolean {
  if (f.chairId !== null && item.conference.chair?.id !== f.chairId) return false;
  if (f.status !== null && item.status !== f.status) return false;
  if (f.type !== null && item.filterType !== f.type) return false;
  return true;
}

export function filterDashboard(sections: DashboardSections, f: DashboardFilter): DashboardSections {
  const keep = <S extends DashboardSection>(items: Array<ItemOf<S>>) => items.filter((i) => itemMatches(i, f));
  return {
    upcoming: keep(sections.upcoming),
    overdue: keep(sections.overdue),
    cancelled: keep(sections.cancelled),
    'reviews-due': keep(sections['reviews-due']),
    'missing-reports': keep(sections['missing-reports']),
    'records-due': keep(sections['records-due']),
    'document-tasks': keep(sections['document-tasks']),
    amendments: keep(sections.amendments),
    dissent: keep(sections.dissent),
    'plan-ended': keep(sections['plan-ended']),
    'core-groups': keep(sections['core-groups']),
    'lead-social-worker': keep(sections['lead-social-worker']),
    interpreters: keep(sections.interpreters),
    'family-meetings': keep(sections['family-meetings']),
  };
}
