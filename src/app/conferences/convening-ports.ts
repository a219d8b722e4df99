import type { IsoDate, RuleName } from '../../domain/calendar/index.ts';
import type { InvitationMethod, VenueKind } from '../../domain/conferences/invitations.ts';
import type { InviteeKind } from '../../domain/conferences/invitees.ts';
import type { ConferenceStatus } from '../../domain/conferences/lifecycle.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import type { AgencyKind } from '../../domain/people/index.ts';

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
  agencyId: string | null;
  agencyName: string | null;
  agencyKind: AgencyKind | null;
  name: string;
  roleTitle: string | null;
  email: string | null;
  address: string | null;
  /** whether the professional's agency has had direct contact with the child and family. */
  directContact: boolean;
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
  agencyId: string | null;
  directContact: boolean;
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

  /** Saves the conference, its children and its parts together. */
  insertConference(conference: NewConference, childIds: readonly string[], parts: ReadonlyArray<Omit<ConferencePartRecord, 'id'>>): Promise<string>;
  findConference(conferenceId: string): Promise<ConferenceRecord | null>;
  listParts(conferenceId: string): Promise<ConferencePartRecord[]>;
  /** Every conference any of the children is in, newest first. */
  listConferencesForChildren(childIds: readonly string[]): Promise<ConferenceListing[]>;
  /** Children linked to a person who is also linked to this child, where that person has PR for at least one of the two. */
  siblingsOf(childId: string): Promise<SiblingRecord[]>;

  /** Locks the conference's row until the transaction ends, so two people adding invitees at once cannot both add the same person. */
  lockConference(conferenceId: string): Promise<void>;
  listInvitees(conferenceId: string): Promise<InviteeRecord[]>;
  insertInvitee(conferenceId: string, invitee: NewInvitee): Promise<string>;
  /** Records how and when the invitation went; false when no such invitee in this conference. */
  markInvitationSent(conferenceId: string, inviteeId: string, method: InvitationMethod, at: Date): Promise<boolean>;

  listReports(conferenceId: string): Promise<ReportRecord[]>;
  insertReport(conferenceId: string, report: NewReport): Promise<string>;
  /** False when no such report in this conference. */
  markReportShared(conferenceId: string, reportId: string, sharedOn: IsoDate): Promise<boolean>;
  markReportWithheld(conferenceId: string, reportId: string, reason: string): Promise<boolean>;
}
