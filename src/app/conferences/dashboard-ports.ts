/** Persistence for the conference dashboard use cases. */
export interface DashboardRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
}
