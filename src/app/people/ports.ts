import type {
  AgencyDetails,
  ChildDetails,
  PersonDetails,
  ProfessionalDetails,
  RelationshipKind,
} from '../../domain/people/index.ts';

/** A child's record as stored: their details plus who may see it and the edit version. */
export interface ChildRecord extends ChildDetails {
  id: string;
  allocatedSocialWorkerId: string | null;
  allocatedSocialWorkerName: string | null;
  restricted: boolean;
  namedStaffIds: string[];
  /** Optimistic concurrency: every change to the child's details bumps it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a search result needs: enough to tell children apart, and the facts the access rules need. */
export interface ChildSummary {
  id: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: string | null;
  expectedDeliveryDate: string | null;
  localReference: string;
  allocatedSocialWorkerId: string | null;
  restricted: boolean;
  namedStaffIds: string[];
}

export interface PersonRecord extends PersonDetails {
  id: string;
}

/** One person's link to one child: relationship and parental responsibility belong to the link. */
export interface FamilyMemberRecord {
  childId: string;
  person: PersonRecord;
  relationship: RelationshipKind;
  parentalResponsibility: boolean;
}

export interface AgencyRecord extends AgencyDetails {
  id: string;
}

export interface ProfessionalRecord extends ProfessionalDetails {
  id: string;
  agency: AgencyRecord;
}

export interface CaseNoteRecord {
  id: string;
  childId: string;
  authorUserId: string | null;
  authorLabel: string;
  kind: string;
  text: string;
  createdAt: Date;
}

export interface ChildSearchCriteria {
  /** Words that must each appear in the given or family names. */
  nameWords: string[];
  dateOfBirth: string | null;
  reference: string | null;
}

/**
 * Which children a query may even consider: canViewChild written as SQL, so a
 * limit on results never hides visible children behind invisible ones. The service still applies
 * canViewChild to every row.
 */
export interface ChildVisibility {
  userId: string;
  caseWide: boolean;
  socialWorker: boolean;
}

export interface NewChild extends ChildDetails {
  allocatedSocialWorkerId: string | null;
  restricted: boolean;
}

/** Persistence for children, family and network members, professionals, agencies and case notes. */
export interface PeopleRepository {
  /** Facts the access rules need, or null when the child does not exist. */
  childAccessFacts(childId: string): Promise<{
    allocatedSocialWorkerId: string | null;
    restricted: boolean;
    namedStaffIds: string[];
  } | null>;
  /** The full names of these family and network members in one statement, by id. */
  personNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** The same facts for many children in one statement, by child id (children that do not exist are left out). */
  childAccessFactsMany(
    childIds: readonly string[],
  ): Promise<Map<string, { allocatedSocialWorkerId: string | null; restricted: boolean; namedStaffIds: string[] }>>;

  insertChild(child: NewChild): Promise<string>;
  findChild(id: string): Promise<ChildRecord | null>;
  /** These children's records in one statement, in no particular order (children that do not exist are left out). */
  findChildren(ids: readonly string[]): Promise<ChildRecord[]>;
  /** The child holding this local case reference (case-insensitive), or null; `exceptId` leaves out the child being changed. */
  referenceInUse(reference: string, exceptId?: string): Promise<string | null>;
  /** Saves only when the stored version is `expectedVersion`; false when someone else saved first. */
  updateChild(id: string, expectedVersion: number, child: NewChild): Promise<boolean>;
  setNamedStaff(childId: string, userIds: readonly string[]): Promise<void>;
  searchChildren(criteria: ChildSearchCriteria, visibleTo: ChildVisibility, limit: number): Promise<ChildSummary[]>;

  insertPerson(person: PersonDetails): Promise<PersonRecord>;
  findPerson(id: string): Promise<PersonRecord | null>;
  updatePerson(id: string, person: PersonDetails): Promise<void>;
  /** Whether the person is linked to at least one child the viewer may see. */
  personVisibleTo(personId: string, visibleTo: ChildVisibility): Promise<boolean>;
  /** People linked to a visible child whose names contain every word, not already linked to `excludeChildId`. */
  searchPeople(
    nameWords: string[],
    visibleTo: ChildVisibility,
    excludeChildId: string,
    limit: number,
  ): Promise<Array<PersonRecord & { linkedChildren: number }>>;
  /** People linked to the child's siblings (children sharing a family member with it) the viewer may see, not yet linked to it. */
  siblingNetwork(
    childId: string,
    visibleTo: ChildVisibility,
  ): Promise<
    Array<{
      person: PersonRecord;
      siblingLinks: Array<{
        childId: string;
        givenNames: string;
        relationship: RelationshipKind;
        parentalResponsibility: boolean;
      }>;
    }>
  >;

  listFamily(childId: string): Promise<FamilyMemberRecord[]>;
  /** The family and network of many children in one statement, by child id, each child's in listFamily's order. */
  listFamilyMany(childIds: readonly string[]): Promise<Map<string, FamilyMemberRecord[]>>;
  findFamilyMember(childId: string, personId: string): Promise<FamilyMemberRecord | null>;
  insertFamilyLink(
    childId: string,
    personId: string,
    relationship: RelationshipKind,
    parentalResponsibility: boolean,
  ): Promise<void>;
  updateFamilyLink(
    childId: string,
    personId: string,
    relationship: RelationshipKind,
    parentalResponsibility: boolean,
  ): Promise<void>;
  deleteFamilyLink(childId: string, personId: string): Promise<boolean>;

  listAgencies(): Promise<AgencyRecord[]>;
  findAgency(id: string): Promise<AgencyRecord | null>;
  agencyNameInUse(name: string): Promise<boolean>;
  insertAgency(agency: AgencyDetails): Promise<AgencyRecord>;

  insertProfessional(p: ProfessionalDetails & { agencyId: string }): Promise<string>;
  findProfessional(id: string): Promise<ProfessionalRecord | null>;
  searchProfessionals(nameWords: string[], excludeChildId: string, limit: number): Promise<ProfessionalRecord[]>;
  listProfessionals(childId: string): Promise<ProfessionalRecord[]>;
  /** False when already linked. */
  linkProfessional(childId: string, professionalId: string): Promise<boolean>;
  unlinkProfessional(childId: string, professionalId: string): Promise<boolean>;

  insertCaseNote(note: {
    childId: string;
    authorUserId: string | null;
    authorLabel: string;
    kind: string;
    text: string;
    createdAt: Date;
  }): Promise<CaseNoteRecord>;
  /** Newest first. */
  listCaseNotes(childId: string): Promise<CaseNoteRecord[]>;
}
