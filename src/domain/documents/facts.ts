/**
 * What the written record is built from (W-1, W-2; 002 §3.2, §3.5, §3.10; 003): the facts of one conference as
 * the meeting recorded them, gathered once by the application and handed to the pure builders. Every name and
 * label here is already in plain English; the builders only arrange them. Pure types: no I/O.
 */
import type { IsoDate } from '../calendar/index.ts';
import type { AttendanceStatus } from '../conferences/attendance.ts';
import type { Category, ConferenceType, Outcome } from '../conferences/decisions.ts';
import type { ConferenceStatus } from '../conferences/lifecycle.ts';
import type { InviteeKind } from '../conferences/invitees.ts';

/** The council the letters come from (configuration). */
export interface CouncilDetails {
  name: string;
  /** How a family or agency reaches conference business support: "Child protection conference team, 01234 567890". */
  contact: string;
}

export interface ConferenceFacts {
  id: string;
  type: ConferenceType;
  /** "Initial child protection conference". */
  typeLabel: string;
  status: ConferenceStatus;
  scheduledDate: IsoDate;
  /** "HH:MM" in England. */
  startTime: string;
  actualStartTime: string | null;
  actualEndTime: string | null;
  /** "Meeting room 2, Civic Centre" or "Online (Microsoft Teams)". */
  venue: string;
  chairName: string | null;
  /** T-1 (and T-2 for transfer-in): the recorded reason the conference was held later than its due date, if it was. */
  lateReason: string | null;
  /** why the chair went ahead although the conference was inquorate. */
  proceededInquorateReason: string | null;
  /** 002 §3.5: the steps agreed to keep the children safe until an adjourned conference reconvenes. */
  adjournmentSafetySteps: string | null;
  /** 002 §3.5: the date an adjourned, inquorate conference reconvenes. */
  reconveneDate: IsoDate | null;
  /** The next conference for these children (the review date set by the plan, or the reconvened date). */
  nextConferenceDate: IsoDate | null;
  /** 002 §1.3: a pre-birth conference's grounds for being held, in words; empty or absent otherwise. */
  preBirthGrounds?: readonly string[];
  /** 002 §2.2: why a review was brought forward, in words; null or absent when it was not. */
  broughtForwardReason?: string | null;
}

export interface ChildFacts {
  id: string;
  /** "Sam Smith". */
  name: string;
  dateOfBirth: IsoDate | null;
  /** Pre-birth conferences: the expected date of delivery. */
  expectedDeliveryDate: IsoDate | null;
  /** The child's views as recorded for the conference (002 §3.3), or null. */
  views: string | null;
  /** 002 §3.10: the child's legal status in words ("Interim care order"), or null when not recorded. */
  legalStatus?: string | null;
  /** 002 §1.1: as recorded on the child's record, or null. */
  nationality?: string | null;
  immigrationStatus?: string | null;
  /** 002 §3.2: whether the child was to attend, and how their views reached the conference; null when not decided. */
  attendance?: ChildAttendanceFacts | null;
}

/** 002 §3.2: the decision about a child attending their conference, in plain English. */
export interface ChildAttendanceFacts {
  /** "To attend the whole conference", "To attend part of the conference", "Not to attend". */
  decision: string;
  /** Attending part: which part and how it was arranged. */
  partArrangements: string | null;
  /** How the child's views reached the conference, each way in words then the note; null when none recorded. */
  viewsConveyed: string | null;
}

/** 002 §3.2: when and by whom an excluded person was told the reasons. */
export interface TellingFacts {
  on: IsoDate;
  by: string;
}

/** One person on the conference's register (W-2: names and roles of those present and their apologies). */
export interface AttendeeFacts {
  inviteeId: string;
  kind: InviteeKind;
  name: string;
  /** "Mother of Sam and Amy (parental responsibility)", "Class teacher", "Allocated social worker". */
  role: string;
  agencyName: string | null;
  /** The family member's person id (for withholding and the parent's copy), or null. */
  personId: string | null;
  childId: string | null;
  /** A family member with parental responsibility for at least one child in the conference. */
  parentalResponsibility: boolean;
  /** Their attendance over the conference: attended any part, else their status in the first part. */
  attendance: AttendanceStatus;
  /** 002 §3.2: excluded from all or part of the conference, the reason as given to them and how their views were heard. */
  exclusion: {
    extent: 'full' | 'partial';
    reason: string;
    howViewsHeard: string;
    /** 002 §3.2: the reasons told to them orally, and in writing once given; null or absent when not recorded. */
    toldOrally?: TellingFacts | null;
    toldInWriting?: TellingFacts | null;
  } | null;
  /** The language an interpreter was needed in, or null. */
  interpreterLanguage: string | null;
  /** W-4: recorded on the person: their first language when it is not English, and any sensory or other needs. */
  language: string | null;
  accessibilityNeeds: string | null;
  /** 002 §1.1: a family member's nationality and immigration status, as recorded on them, or null. */
  nationality?: string | null;
  immigrationStatus?: string | null;
}

export interface AgencyViewFacts {
  agencyName: string;
  view: 'agrees' | 'dissents';
  note: string | null;
}

export interface DecisionFacts {
  childId: string;
  outcome: Outcome;
  /** "A child protection plan is needed". */
  outcomeLabel: string;
  category: Category | null;
  /** "Neglect". */
  categoryLabel: string | null;
  reasons: string;
  /** D-4: every agency's view, dissent included. */
  agencyViews: readonly AgencyViewFacts[];
  /** D-4: the agencies were equally split and the chair decided. */
  equallySplit: boolean;
}

export interface PlanFacts {
  childId: string;
  leadSocialWorker: { name: string; contact: string | null } | null;
  firstCoreGroupDate: IsoDate | null;
  contingencyPlan: string | null;
  nextReviewDate: IsoDate | null;
  actions: readonly { action: string; who: string; byWhen: IsoDate | null }[];
  /** Core group members with their roles and agencies. */
  coreGroup: readonly { inviteeId: string; name: string; role: string; agencyName: string | null }[];
  /** 002 §3.9: when the plan ends, the date the lead social worker meets the child and family; null otherwise. */
  familyMeetingDate?: IsoDate | null;
}

/**
 * 002 §3.8, §3.9: the plan a child steps down to when the conference made no plan or ended one: a child in need
 * plan or a team around the child plan, its lead professional, the services that continue and, for a team around
 * the child, the first date the group meets the family and child.
 */
export interface StepDownFacts {
  childId: string;
  /** "Child in need plan", "Team around the child plan". */
  kindLabel: string;
  leadProfessional: string;
  services: string;
  firstMeetingDate: IsoDate | null;
}

/** 003: the chair's Worries / Positives / Changes, as recorded at the meeting. */
export interface SummaryFacts {
  worries: string;
  positives: string;
  changes: string;
}

/**
 * P-6, P-7: recording by the family: every request (made beforehand or during the meeting) with its decision, where
 * professionals disagreed each view, each round of asking everyone present with every answer and its outcome, the
 * limits the requester accepted, and the copies of the family's recording handed over (not the official record).
 */
export interface FamilyRecordingFacts {
  requests: ReadonlyArray<{
    requesterName: string;
    /** "Asked on 1 March 2026 at 10:00", "Asked during the meeting at 10:40". */
    asked: string;
    purpose: string;
    /** "Recording allowed: the reasons". */
    decision: string;
    /** P-6: each professional's view where they disagreed; empty otherwise. */
    disagreement: ReadonlyArray<{ name: string; view: string; reason: string | null }>;
    limitsAccepted: boolean;
    rounds: ReadonlyArray<{
      askedAt: string;
      occasion: string;
      consents: ReadonlyArray<{
        name: string;
        answer: string;
        reason: string | null;
        furtherAuthorisation: string | null;
      }>;
      outcome: string;
    }>;
  }>;
  limits: readonly string[];
  copies: ReadonlyArray<{ requesterName: string; handedOverOn: IsoDate }>;
}

/** One report the conference received: "Hillside Primary", or "Jane Smith (her own report)". */
export interface ReportReceivedFacts {
  from: string;
  receivedOn: IsoDate;
}

/** Everything the written record of one conference is built from. */
export interface DocumentFacts {
  council: CouncilDetails;
  conference: ConferenceFacts;
  children: readonly ChildFacts[];
  attendees: readonly AttendeeFacts[];
  /** The latest decision per child; empty before the decisions are recorded. */
  decisions: readonly DecisionFacts[];
  /** The latest plan per child that has one. */
  plans: readonly PlanFacts[];
  /** 002 §3.8, §3.9: the latest outline plan per child whose conference made no plan or ended one. */
  stepDowns?: readonly StepDownFacts[];
  summary: SummaryFacts | null;
  /**
   * 002 §3.2, §3.4: the reports the conference received, agencies' and the parents' own, by who sent them and when
   * (never their content), oldest first.
   */
  reportsReceived?: readonly ReportReceivedFacts[];
  /** the confirmed explanatory statements of the conference's recordings, in recording order. */
  recordingStatements: readonly string[];
  /** P-6, P-7: recording by the family; absent or null when nobody asked to record. */
  familyRecording?: FamilyRecordingFacts | null;
  /** P-8: each time someone was asked to stop recording against the parents' wishes, in plain English with its times. */
  unpermittedRecording?: readonly string[];
}
