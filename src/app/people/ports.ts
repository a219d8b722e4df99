/** Persistence for children, family and network members, professionals, agencies and case notes. */
export interface PeopleRepository {
  /** Facts the access rules need, or null when the child does not exist. */
  childAccessFacts(childId: string): Promise<{
    allocatedSocialWorkerId: string | null;
    restricted: boolean;
    namedStaffIds: string[];
  } | null>;
}
