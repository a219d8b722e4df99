/** The facts a dashboard classifies, as the caller loads them. */
import type { IsoDate, RuleName } from '../calendar/index.ts';
import type { ArrangementKind } from '../documents/arrangements.ts';
import type { DraftStatus } from '../documents/drafting.ts';
import type { DocumentKind } from '../documents/model.ts';
import type { SendingProgress } from '../documents/sending.ts';
import type { CoreGroupTasks } from '../core-groups/dashboard-tasks.ts';
import type { ConferenceType, Outcome } from './decisions.ts';
import type { ConferenceStatus } from './lifecycle.ts';
import type { ConferenceForChildren } from './rearrangement.ts';

// ---------------------------------------------------------------------------------------------
// Facts the caller loads

export interface DashboardChild {
  id: string;
  givenNames: string;
  familyName: string;
}

export interface StaffName {
  id: string;
  name: string;
}

export interface DashboardConference {
  id: string;
  type: ConferenceType;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  /** Local time in England, HH:MM. */
  startTime: string;
  chair: StaffName | null;
  /** The statutory rule and due date stored when the conference was convened. */
  dueRule: RuleName;
  dueDate: IsoDate;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  /** For a review: the conference it reviews (T-3 counts from its date). */
  previousConference: { date: IsoDate; type: ConferenceType } | null;
  noticeOfMoveDate: IsoDate | null;
  /** T-1: the senior manager who agreed a date outside the timescale, and why. */
  lateAgreedBy: string | null;
  lateReason: string | null;
  /** 002 §1.3: a pre-birth conference recorded at convening as likely to be followed by a premature birth (T-2). */
  prematureBirthLikely?: boolean;
  /** 002 §4.1: the chair's meeting with the child and family beforehand (or why not) is recorded. */
  familyMeetingRecorded?: boolean;
  /** The sibling group. */
  children: DashboardChild[];
}

export interface AgencyRef {
  id: string;
  name: string;
  kind: string;
}

export interface DashboardFacts {
  conferences: readonly DashboardConference[];
  /**
   * The first conference date whose written record is kept in the service: a conference held before it had its
   * letters and record sent another way, so it leaves once its T-6 / T-7 dates have passed. Null or absent: all.
   */
  writtenRecordFrom?: IsoDate | null;
  /** Agencies with a professional invited to each conference. */
  invitedAgencies: ReadonlyArray<{ conferenceId: string; agency: AgencyRef }>;
  reports: ReadonlyArray<{
    conferenceId: string;
    agency: AgencyRef;
    sharedWithFamilyOn: IsoDate | null;
    withheldFromFamily: boolean;
  }>;
  /** Each child's latest plan version (from their latest conference with a plan). */
  latestPlans: ReadonlyArray<{
    conferenceId: string;
    childId: string;
    nextReviewDate: IsoDate | null;
    decisionOutcome: Outcome | null;
  }>;
  /** Latest decisions "plan ends" at a conference, with the T-9 meeting date from the latest plan version there. */
  endedPlans: ReadonlyArray<{ conferenceId: string; childId: string; planEndedMeetingDate: IsoDate | null }>;
  /** D-1 referrals to a senior manager. */
  referrals: ReadonlyArray<{
    id: string;
    conferenceId: string;
    childId: string;
    referredTo: string;
    referredOn: IsoDate;
    reviewedOn: IsoDate | null;
    reconveneDue: IsoDate | null;
    /** The conference linked as reconvening the referral's conference (cancelled ones left out), or null. */
    reconvenedBy: string | null;
  }>;
  /**
   * For the children of cancelled conferences in \`conferences\`: their other conferences that count as
   * held or planned, for the replacement rule (cancelledConferenceReplaced). Each lists at least the
   * children it shares with a cancelled conference.
   */
  otherConferences: readonly ConferenceForChildren[];
  /** For the children in plans and referrals: the date of their latest conference that is planned, under way or held. */
  latestConferenceDate: ReadonlyMap<string, IsoDate>;
  /** For held and adjourned conferences: each child's latest decision there (which documents are needed). */
  decisionOutcomes: ReadonlyArray<{ conferenceId: string; childId: string; outcome: Outcome }>;
  /** For held and adjourned conferences: family members excluded from all or part of it (002 §3.2), each owed a letter. */
  exclusions: ReadonlyArray<{ conferenceId: string; inviteeId: string; name: string }>;
  /** The drafts of the conferences' documents and their states (T-6, T-7); a needed document with none is not started. */
  documents: ReadonlyArray<{
    conferenceId: string;
    kind: DocumentKind;
    subjectInviteeId: string | null;
    status: DraftStatus;
    /** Once issued: how many recipients of its latest issue have been sent their copy (T-6, T-7). */
    sending?: SendingProgress | null;
  }>;
  /** W-4: arrangements for recipients not yet done. */
  arrangementTasks: readonly DashboardArrangementTask[];
  /** Core groups due, lead social workers to appoint, interpreters not booked (002 §3.7, §3.2); none: nothing listed. */
  coreGroupTasks?: CoreGroupTasks;
  /** W-5, T-8: amendment requests waiting for the chair. */
  amendmentRequests?: readonly DashboardAmendmentRequest[];
}

/** W-5, T-8: a request to amend an issued document, waiting for the chair's decision. */
export interface DashboardAmendmentRequest {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  issueNumber: number;
  receivedOn: IsoDate;
  /** When the requester received the document: T-8 counts from here. */
  recordReceivedOn: IsoDate;
  /** T-8: 10 working days from the requester's receipt of the document. */
  dueOn: IsoDate;
  /** Received after the due date: still recorded, flagged. */
  late: boolean;
  points: number;
}

/** W-4: an arrangement made for someone receiving a document, open until it is marked done. */
export interface DashboardArrangementTask {
  id: string;
  conferenceId: string;
  kind: DocumentKind;
  recipientName: string;
  arrangement: ArrangementKind;
  language: string | null;
  detail: string | null;
  createdAt: Date;
}
