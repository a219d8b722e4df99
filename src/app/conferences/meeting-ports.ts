/** Persistence for the conference meeting use cases. */
export interface MeetingRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
}
