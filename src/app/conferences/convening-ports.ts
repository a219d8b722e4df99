import type { IsoDate, RuleName } from '../../domain/calendar/index.ts';
import type { InvitationMethod, VenueKind } from '../../domain/conferences/invitations.ts';
import type { CscStaffRole, InviteeKind } from '../../domain/conferences/invitees.ts';
import type { ConferenceStatus } from '../../domain/conferences/lifecycle.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import type { ConferenceLink } from '../../domain/conferences/reconvening.ts';
import type { AgencyKind } from '../../domain/people/index.ts';
import { ConflictError } from '../../domain/shared/errors.ts';

/** A member of staff named on a conference, with the email address invitations give for contact. */
export interface StaffContact {
  id: string;
  name: string;
  email: string;
}

/** A conference as stored. Dates are `YYYY-MM-DD`; `startTime` is `HH:MM` in England. */
export interface ConferenceRecord {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  startTime: string;
  durationMinutes: number;
  venueKind: VenueKind;
  venueDetails: string | null;
  onlineLink: string | null;
  chair: StaffContact | null;
  minuteTaker: StaffContact | null;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  previousConference: { id: string; type: ConferenceType; scheduledDate: IsoDate } | null;
  noticeOfMoveDate: IsoDate | null;
  /** The statutory rule and due date worked out when it was convened. */
  dueRule: RuleName;
  dueDate: IsoDate;
  lateAgreedBy: string | null;
  lateReason: string | null;
  cancelledReason: string | null;
  createdByUserId: string | null;
  version: number;
  createdAt: Date;
  /** the new date the chair set when the conference was adjourned as not quorate. */
  reconveneDate: IsoDate | null;
  /** D-1: from the latest decisions' referrals, the earliest review that decided to reconvene and its due date. */
  dissent: { reviewedOn: IsoDate; reconveneDue: IsoDate } | null;
  /** The conference linked as reconvening this one (Q-1 or D-1). */
  reconvenedAs: ConferenceLink | null;
  /** The earlier conference this one reconvenes. */
  reconvenes: ConferenceLink | null;
}

export interface NewConference {
  type: ConferenceType;
  scheduledDate: IsoDate;
  startTime: string;
  durationMinutes: number;
  venueKind: VenueKind;
  venueDetails: string | null;
  onlineLink: string | null;
  chairUserId: string;
  minuteTakerUserId: string;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  previousConferenceId: string | null;
  noticeOfMoveDate: IsoDate | null;
  dueRule: RuleName;
  dueDate: IsoDate;
  lateAgreedBy: string | null;
  lateReason: string | null;
  createdByUserId: string;
}

/** A conference of some of the children that is, or was, to be reconvened (Q-1 adjourned, or D-1 reconvene). */
export interface ReconveneCandidate {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  childIds: string[];
  reconveneDate: IsoDate | null;
  dissent: { reviewedOn: IsoDate; reconveneDue: IsoDate } | null;
  reconvenedAs: ConferenceLink | null;
}

export interface ConferencePartRecord {
  id: string;
  ordinal: number;
  label: string;
  startOffsetMinutes: number;
  durationMinutes: number;
}

/** One line of a child's list of conferences. */
export interface ConferenceListing {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  startTime: string;
  childIds: string[];
}

/** Someone invited, with what the invitation needs to name them, joined from their own record. */
export interface InviteeRecord {
  id: string;
  kind: InviteeKind;
  personId: string | null;
  childId: string | null;
  professionalId: string | null;
  /** Children's social care staff invited from their accounts (the allocated social worker, a team manager). */
  userId: string | null;
  staffRole: CscStaffRole | null;
  agencyId: string | null;
  agencyName: string | null;
  agencyKind: AgencyKind | null;
  name: string;
  roleTitle: string | null;
  email: string | null;
  address: string | null;
  /** whether the professional's agency has had direct contact with the child and family. */
  directContact: boolean;
  /** The language an interpreter is needed in (null: none needed); for an interpreter, the language they interpret. */
  interpreterLanguage: string | null;
  /** An InvitationMethod once sent; null until then; the meeting writes `arrived-on-the-day` for people who came uninvited. */
  invitationMethod: string | null;
  invitedAt: Date | null;
  createdAt: Date;
}

export interface NewInvitee {
  kind: InviteeKind;
  personId: string | null;
  childId: string | null;
  professionalId: string | null;
  userId?: string | null;
  staffRole?: CscStaffRole | null;
  agencyId: string | null;
  directContact: boolean;
  interpreterLanguage: string | null;
}

/** An invitation as it was issued: what was sent, kept exactly. */
export interface InvitationIssueRecord {
  id: string;
  conferenceId: string;
  inviteeId: string;
  /** 1, 2, … for each invitee. */
  issueNumber: number;
  channel: InvitationMethod;
  recipientLines: string[];
  recipientEmail: string | null;
  subject: string;
  body: string;
  /** SHA-256 of the body's UTF-8 bytes, hex. */
  bodySha256: string;
  issuedAt: Date;
  issuedBy: { id: string | null; name: string };
  createdAt: Date;
}

export interface NewInvitationIssue {
  inviteeId: string;
  channel: InvitationMethod;
  recipientLines: readonly string[];
  recipientEmail: string | null;
  subject: string;
  body: string;
  issuedAt: Date;
  issuedByUserId: string | null;
  issuedByLabel: string;
}

/** The database refused a second invitation of the same person, child or professional to one conference. */
export class AlreadyInvitedError extends ConflictError {
  /** Which of the invitee's ids was already invited. */
  readonly key: 'personId' | 'childId' | 'professionalId' | 'userId';
  constructor(key: 'personId' | 'childId' | 'professionalId' | 'userId') {
    super('This person is already invited to the conference', key);
    this.name = 'AlreadyInvitedError';
    this.key = key;
  }
}

export interface ReportRecord {
  id: string;
  agencyId: string;
  agencyName: string;
  agencyKind: AgencyKind;
  blobKey: string | null;
  fileSha256: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  receivedAt: Date;
  sharedWithFamilyOn: IsoDate | null;
  withheldFromFamily: boolean;
  withheldReason: string | null;
  uploadedBy: { id: string; name: string } | null;
}

export interface NewReport {
  agencyId: string;
  blobKey: string;
  fileSha256: string;
  mediaType: string;
  sizeBytes: number;
  receivedAt: Date;
  uploadedByUserId: string;
}

/** A child who could join a sibling group: shares a family member who holds PR for at least one of them. */
export interface SiblingRecord {
  childId: string;
  /** The people they share. */
  sharedPersonIds: string[];
}

/** Persistence for convening conferences, invitations and reports. */
export interface ConveningRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
  /** The children a conference is about, or null when there is no such conference. */
  conferenceChildIds(conferenceId: string): Promise<string[] | null>;
  /** The children of many conferences in one statement, by conference id (conferences that do not exist are left out). */
  conferenceChildIdsMany(conferenceIds: readonly string[]): Promise<Map<string, string[]>>;

  /** Saves the conference, its children and its parts together. */
  insertConference(
    conference: NewConference,
    childIds: readonly string[],
    parts: ReadonlyArray<Omit<ConferencePartRecord, 'id'>>,
  ): Promise<string>;
  findConference(conferenceId: string): Promise<ConferenceRecord | null>;
  listParts(conferenceId: string): Promise<ConferencePartRecord[]>;
  /** The type and date of many conferences in one statement, by id (conferences that do not exist are left out). */
  conferenceHeadings(
    conferenceIds: readonly string[],
  ): Promise<Map<string, { id: string; type: ConferenceType; scheduledDate: IsoDate }>>;
  /** The parts of many conferences in one statement, by conference id, each conference's in order. */
  listPartsMany(conferenceIds: readonly string[]): Promise<Map<string, ConferencePartRecord[]>>;
  /** Every conference any of the children is in, newest first. */
  listConferencesForChildren(childIds: readonly string[]): Promise<ConferenceListing[]>;
  /**
   * Conferences of any of these children that were adjourned with a new date set or whose
   * latest decisions carry a review that decided to reconvene (D-1), linked or not; oldest first.
   */
  listReconveneCandidates(childIds: readonly string[]): Promise<ReconveneCandidate[]>;
  /** Links `reconvenedId` as the conference reconvening `conferenceId`. */
  linkReconvened(conferenceId: string, reconvenedId: string): Promise<void>;
  /** The council's own children's social care agency (the oldest of that kind), or null when none is recorded. */
  childrensSocialCareAgency(): Promise<{ id: string; name: string } | null>;
  /** Children linked to a person who is also linked to this child, where that person has PR for at least one of the two. */
  siblingsOf(childId: string): Promise<SiblingRecord[]>;

  /** Locks the conference's row until the transaction ends, so two people adding invitees at once cannot both add the same person. */
  lockConference(conferenceId: string): Promise<void>;
  listInvitees(conferenceId: string): Promise<InviteeRecord[]>;
  /** Throws AlreadyInvitedError when the person, child or professional is already invited (a unique index). */
  insertInvitee(conferenceId: string, invitee: NewInvitee): Promise<string>;
  /** False when no such invitee in this conference. */
  setInterpreterLanguage(conferenceId: string, inviteeId: string, language: string | null): Promise<boolean>;
  /** Stores an issued invitation with the next number for the invitee and the SHA-256 of its body. */
  insertInvitationIssue(conferenceId: string, issue: NewInvitationIssue): Promise<InvitationIssueRecord>;
  /** Oldest first; for one invitee, or for the whole conference. */
  listInvitationIssues(conferenceId: string, inviteeId?: string): Promise<InvitationIssueRecord[]>;
  /** Records how and when the invitation went; false when no such invitee in this conference. */
  markInvitationSent(conferenceId: string, inviteeId: string, method: InvitationMethod, at: Date): Promise<boolean>;

  listReports(conferenceId: string): Promise<ReportRecord[]>;
  insertReport(conferenceId: string, report: NewReport): Promise<string>;
  /** False when no such report in this conference. */
  markReportShared(conferenceId: string, reportId: string, sharedOn: IsoDate): Promise<boolean>;
  markReportWithheld(conferenceId: string, reportId: string, reason: string): Promise<boolean>;
  /** Every blob key a report refers to, for the sweep that removes files no record refers to. */
  listReportBlobKeys(): Promise<string[]>;
}
