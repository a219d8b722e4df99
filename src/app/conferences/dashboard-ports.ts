import type { ChildAccessFacts } from '../../domain/access/child-access.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { DashboardFacts, DashboardSection } from '../../domain/conferences/dashboard.ts';
import type { ReviewsDueBy } from '../../domain/conferences/dashboard-window.ts';

/** The dates that bound what a dashboard needs from the database. */
export interface DashboardWindow {
  today: IsoDate;
  /** Last day of "the next 30 days". */
  horizon: IsoDate;
  /** Held conferences on or after this date may still have a T-6 / T-7 date to come. */
  heldSince: IsoDate;
  /**
   * The first conference date whose written record is kept in the service (WRITTEN_RECORD_FROM); null: every
   * conference's. Earlier conferences are not loaded for documents owed once their T-7 margin has passed.
   */
  writtenRecordFrom: IsoDate | null;
  /**
   * T-3: plans made at conferences held after these dates are not due for review by the horizon, so are not loaded
   * unless the plan's own next review date is by then. Absent: every plan in force is loaded.
   */
  reviewsDueBy?: ReviewsDueBy;
  /** Conferences to load whatever their dates: those with W-4 arrangements still to do. */
  conferenceIds: readonly string[];
  /** Only what these sections need is loaded; null: every section. */
  sections?: readonly DashboardSection[] | null;
  /** Only conferences this account chairs (the chair filter, in the query); null: every chair. */
  chairId?: string | null;
  /** Only the conferences in `conferenceIds` (the rows of a page), none from the window's dates. */
  namedOnly?: boolean;
}

/** T-6 / T-7: the dates that bound which conferences could be under records due. */
export interface RecordsDueWindow {
  today: IsoDate;
  heldSince: IsoDate;
  writtenRecordFrom: IsoDate | null;
  /** Conferences to consider whatever their dates: those with an issued copy not yet sent. */
  conferenceIds: readonly string[];
}

/**
 * T-6 / T-7: what classifying records due needs, for every conference that could be under it: the conferences
 * (their children's and chair's names left blank: no row is shown from these), their children's access facts, each
 * child's latest decision, who was excluded, and the drafts' states. Sending progress is the caller's to add.
 */
export interface RecordsDueFacts {
  conferences: Array<DashboardFacts['conferences'][number]>;
  childAccess: Map<string, ChildAccessFacts>;
  decisionOutcomes: Array<DashboardFacts['decisionOutcomes'][number]>;
  exclusions: Array<DashboardFacts['exclusions'][number]>;
  documents: Array<Omit<DashboardFacts['documents'][number], 'sending'>>;
}

/**
 * Everything the dashboard classifies but the documents' drafts and tasks (the written record's repository
 * holds those), plus the access facts of every child in those conferences.
 */
export interface DashboardSnapshot extends Omit<DashboardFacts, 'documents' | 'arrangementTasks'> {
  childAccess: ReadonlyMap<string, ChildAccessFacts>;
  /** The chairs of the conferences in the window under every chair (for the chair filter's list). */
  chairIds: readonly string[];
}

/** Persistence for the conference dashboard use cases. */
export interface DashboardRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
  /**
   * Loads, in a fixed number of queries whatever the number of conferences, every conference that
   * may belong on a dashboard in the window, with its children, their access facts, invitations,
   * reports, latest plans, ended plans, D-1 referrals, and for held and adjourned ones the decisions and
   * exclusions that say which documents they need. Records due (T-6, T-7) is not in the window: its conferences
   * come from recordsDueFacts, and are loaded here by name (a page's rows). Not filtered by who is looking.
   */
  loadSnapshot(window: DashboardWindow): Promise<DashboardSnapshot>;
  /**
   * T-6 / T-7: in one statement, every conference that could be under records due, with only what says whether it
   * is and when its documents are due (no names), so the section is counted and ordered without loading its rows.
   */
  recordsDueFacts(window: RecordsDueWindow): Promise<RecordsDueFacts>;
}
