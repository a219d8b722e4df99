import type { ChildAccessFacts } from '../../domain/access/child-access.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { DashboardFacts } from '../../domain/conferences/dashboard.ts';

/** The dates that bound what a dashboard needs from the database. */
export interface DashboardWindow {
  today: IsoDate;
  /** Last day of "the next 30 days". */
  horizon: IsoDate;
  /** Held conferences on or after this date may still have a T-6 / T-7 date to come. */
  heldSince: IsoDate;
}

/** Everything the dashboard classifies, plus the access facts of every child in those conferences. */
export interface DashboardSnapshot extends DashboardFacts {
  childAccess: ReadonlyMap<string, ChildAccessFacts>;
}

/** Persistence for the conference dashboard use cases. */
export interface DashboardRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
  /**
   * Loads, in a fixed number of queries whatever the number of conferences, every conference that
   * may belong on a dashboard in the window, with its children, their access facts, invitations,
   * reports, latest plans, ended plans and D-1 referrals. Not filtered by who is looking.
   */
  loadSnapshot(window: DashboardWindow): Promise<DashboardSnapshot>;
}
