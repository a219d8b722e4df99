/** The rows of each dashboard section. */
import type { DeadlineRag, IsoDate } from '../calendar/index.ts';
import type { DocumentState } from '../documents/drafting.ts';
import type { DocumentKind } from '../documents/model.ts';
import type { SendingProgress } from '../documents/sending.ts';
import type { CoreGroupDue } from '../core-groups/core-groups.ts';
import type { ConferenceType } from './decisions.ts';
import type { DashboardSection } from './dashboard-sections.ts';
import type {
  DashboardChild,
  DashboardConference,
  AgencyRef,
  DashboardAmendmentRequest,
  DashboardArrangementTask,
} from './dashboard-facts.ts';
import type { DueDate } from './dashboard-dues.ts';

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
