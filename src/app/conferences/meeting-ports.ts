import type { IsoDate } from '../../domain/calendar/index.ts';
import type { AttendanceStatus } from '../../domain/conferences/attendance.ts';
import type { Category, ConferenceType, Outcome } from '../../domain/conferences/decisions.ts';
import type { ConferenceStatus } from '../../domain/conferences/lifecycle.ts';
import type { CscStaffRole } from '../../domain/conferences/invitees.ts';
import type { ExclusionExtent, PartDetails, ReferralOutcome } from '../../domain/conferences/meeting.ts';
import type { RelationshipKind } from '../../domain/people/index.ts';

/** The conference as the meeting sees it. */
export interface MeetingConference {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  /** Scheduled start, "HH:MM" (England). */
  startTime: string;
  durationMinutes: number;
  venueKind: string;
  venueDetails: string | null;
  chairUserId: string | null;
  chairName: string | null;
  /** 002 §4.1: the cover chair recorded now, who may act as chair while the assigned chair cannot. */
  coverChairUserId?: string | null;
  coverChairName?: string | null;
  previousConferenceId: string | null;
  /** the time the conference actually started, "HH:MM" (England), noted when the chair opened it. */
  actualStartTime: string | null;
  /** when the chair recorded that those present were told about the recording. */
  reminderGivenAt: Date | null;
  /** the time the conference actually ended, "HH:MM" (England), noted when it was concluded. */
  actualEndTime: string | null;
  proceededInquorateReason: string | null;
  adjournmentSafetySteps: string | null;
  /** the new date set when an inquorate conference was adjourned. */
  reconveneDate: IsoDate | null;
  reconvenedConferenceId: string | null;
  cancelledReason: string | null;
  version: number;
}

export interface MeetingChild {
  childId: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  allocatedSocialWorkerId: string | null;
  allocatedSocialWorkerName: string | null;
  childViews: string | null;
}

export interface MeetingPart {
  id: string;
  ordinal: number;
  label: string;
  startOffsetMinutes: number;
  durationMinutes: number;
}

export interface MeetingInvitee {
  id: string;
  kind: string;
  /** The person's, child's or professional's name. */
  name: string;
  personId: string | null;
  childId: string | null;
  professionalId: string | null;
  /** Children's social care staff on the register from their accounts (see CSC_STAFF_ROLES). */
  userId: string | null;
  staffRole: CscStaffRole | null;
  agencyId: string | null;
  agencyName: string | null;
  agencyKind: string | null;
  roleTitle: string | null;
  directContact: boolean;
  /** The language an interpreter is needed in (null: none); for an interpreter, the language they interpret. */
  interpreterLanguage: string | null;
  invitationMethod: string | null;
  invitedAt: Date | null;
  /** A family or network member's relationship to each child in the conference. */
  relationships: Array<{ childId: string; relationship: RelationshipKind; parentalResponsibility: boolean }>;
}

export interface NewInvitee {
  kind: string;
  personId: string | null;
  childId: string | null;
  professionalId: string | null;
  /** Children's social care staff on the register from their accounts (see CSC_STAFF_ROLES). */
  userId?: string | null;
  staffRole?: CscStaffRole | null;
  agencyId: string | null;
  directContact: boolean;
  invitationMethod: string | null;
}

export interface AttendanceRecord {
  partId: string;
  inviteeId: string;
  status: AttendanceStatus;
  /** Minutes from the part's start. */
  joinedAtMinutes: number | null;
  leftAtMinutes: number | null;
  exclusionExtent: ExclusionExtent | null;
  exclusionReason: string | null;
  howViewsHeard: string | null;
  interpreterUsed: boolean;
}

export interface ReferralRecord {
  id: string;
  decisionId: string;
  referredTo: string;
  referredOn: IsoDate;
  reviewedOn: IsoDate | null;
  outcome: ReferralOutcome | null;
  reconveneDue: IsoDate | null;
}

export interface AgencyViewRecord {
  agencyId: string;
  agencyName: string;
  view: 'agrees' | 'dissents';
  note: string | null;
}

export interface DecisionRecord {
  id: string;
  conferenceId: string;
  childId: string;
  version: number;
  outcome: Outcome;
  category: Category | null;
  reasons: string;
  equallySplit: boolean;
  seniorManagerReferralRequired: boolean;
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedByName: string | null;
  recordedAt: Date;
  agencyViews: AgencyViewRecord[];
  referral: ReferralRecord | null;
}

export interface NewDecision {
  conferenceId: string;
  childId: string;
  version: number;
  outcome: Outcome;
  category: Category | null;
  reasons: string;
  equallySplit: boolean;
  seniorManagerReferralRequired: boolean;
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedAt: Date;
  agencyViews: ReadonlyArray<{ agencyId: string; view: 'agrees' | 'dissents'; note: string | null }>;
  referral: Omit<ReferralRecord, 'id' | 'decisionId'> | null;
}

export interface PlanRecord {
  id: string;
  conferenceId: string;
  childId: string;
  version: number;
  leadSocialWorkerUserId: string | null;
  leadSocialWorkerName: string | null;
  firstCoreGroupDate: IsoDate | null;
  contingencyPlan: string | null;
  nextReviewDate: IsoDate | null;
  planEndedMeetingDate: IsoDate | null;
  /** Why this version was recorded after the conference was held; null before. */
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedByName: string | null;
  recordedAt: Date;
  actions: Array<{ ordinal: number; action: string; who: string; byWhen: IsoDate | null }>;
  coreGroupInviteeIds: string[];
}

export interface NewPlan {
  conferenceId: string;
  childId: string;
  version: number;
  leadSocialWorkerUserId: string | null;
  firstCoreGroupDate: IsoDate | null;
  contingencyPlan: string | null;
  nextReviewDate: IsoDate | null;
  planEndedMeetingDate: IsoDate | null;
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedAt: Date;
  actions: ReadonlyArray<{ action: string; who: string; byWhen: IsoDate | null }>;
  coreGroupInviteeIds: readonly string[];
}

export interface SummaryRecord {
  id: string;
  version: number;
  worries: string;
  positives: string;
  changes: string;
  /** Why this version was recorded after the conference was held; null before. */
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedByName: string | null;
  recordedAt: Date;
}

/** What the meeting records on the conference itself: its status, and with it the facts of the day. */
export interface ConferenceChange {
  status: ConferenceStatus;
  proceededInquorateReason?: string;
  adjournmentSafetySteps?: string;
  actualStartTime?: string;
  reminderGivenAt?: Date;
  actualEndTime?: string;
  reconveneDate?: IsoDate;
}

/** A child's current outcome: the latest version of the decision and plan at their latest held conference. */
export interface CurrentOutcome {
  childId: string;
  conferenceId: string;
  conferenceType: ConferenceType;
  conferenceDate: IsoDate;
  decision: DecisionRecord;
  plan: PlanRecord | null;
}

/** Persistence for the conference meeting use cases. */
export interface MeetingRepository {
  /** True when the conference exists. */
  conferenceExists(conferenceId: string): Promise<boolean>;
  /** With `lock`, the row is locked until the transaction ends, so versions and status changes are serialised. */
  findConference(conferenceId: string, opts?: { lock?: boolean }): Promise<MeetingConference | null>;
  listChildren(conferenceId: string): Promise<MeetingChild[]>;
  /** The children of many conferences in one statement, by conference id, each in listChildren's order. */
  listChildrenOfConferences(conferenceIds: readonly string[]): Promise<Map<string, MeetingChild[]>>;
  listParts(conferenceId: string): Promise<MeetingPart[]>;
  listInvitees(conferenceId: string): Promise<MeetingInvitee[]>;
  listAttendance(conferenceId: string): Promise<AttendanceRecord[]>;

  /** Changes the status (and the facts of the day given with it), bumping the conference's version. */
  updateConference(conferenceId: string, change: ConferenceChange): Promise<void>;

  insertPart(conferenceId: string, part: PartDetails): Promise<MeetingPart>;
  updatePart(partId: string, part: PartDetails): Promise<void>;
  deletePart(partId: string): Promise<void>;

  /** Inserts or replaces each person's line of the register for a part. */
  saveAttendance(rows: readonly AttendanceRecord[]): Promise<void>;
  setDirectContact(inviteeId: string, directContact: boolean): Promise<void>;
  insertInvitee(conferenceId: string, invitee: NewInvitee): Promise<string>;

  /** Every version, oldest first. */
  listDecisions(conferenceId: string): Promise<DecisionRecord[]>;
  insertDecision(decision: NewDecision): Promise<string>;
  recordReferralReview(
    referralId: string,
    review: { reviewedOn: IsoDate; outcome: ReferralOutcome; reconveneDue: IsoDate | null },
  ): Promise<void>;

  /** Every version, oldest first. */
  listPlans(conferenceId: string): Promise<PlanRecord[]>;
  insertPlan(plan: NewPlan): Promise<string>;

  /** Every version, oldest first. */
  listSummaries(conferenceId: string): Promise<SummaryRecord[]>;
  insertSummary(summary: {
    conferenceId: string;
    version: number;
    worries: string;
    positives: string;
    changes: string;
    changeReason: string | null;
    recordedByUserId: string | null;
    recordedAt: Date;
  }): Promise<string>;

  setChildViews(conferenceId: string, childId: string, views: string): Promise<void>;

  /** For each child (all children when null) with a decision at a held conference, the current outcome and plan. */
  currentOutcomes(childIds: readonly string[] | null): Promise<CurrentOutcome[]>;
}
