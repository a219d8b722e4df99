/** Persistence for convening conferences. */
export interface ConveningRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
  /** The children a conference is about, or null when there is no such conference. */
  conferenceChildIds(conferenceId: string): Promise<string[] | null>;
}
