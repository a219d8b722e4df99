/** Persistence for core groups (002 §3.7, §3.10, §3.11). Plans themselves are read through the meeting repository. */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { Attendance, Progress } from '../../domain/core-groups/core-groups.ts';

export interface CoreGroupRecordVersion {
  version: number;
  planId: string;
  attendance: Array<{ inviteeId: string; attendance: Attendance }>;
  progress: Array<{ ordinal: number; progress: Progress; note: string | null }>;
  notes: string | null;
  /** Why this version replaced the one before; null for the first. */
  changeReason: string | null;
  recordedByUserId: string;
  recordedByName: string | null;
  recordedAt: Date;
}

export interface CoreGroupMeetingRecord {
  id: string;
  childId: string;
  conferenceId: string;
  sequence: number;
  meetingDate: IsoDate;
  chairUserId: string;
  chairName: string | null;
  version: number;
  createdAt: Date;
  /** The latest version of its record; null while it is only scheduled. */
  record: CoreGroupRecordVersion | null;
}

export interface NewCoreGroupMeeting {
  childId: string;
  conferenceId: string;
  sequence: number;
  meetingDate: IsoDate;
  chairUserId: string;
  createdByUserId: string;
  at: Date;
}

export interface NewCoreGroupRecord extends Omit<CoreGroupRecordVersion, 'recordedByName'> {
  meetingId: string;
}

export interface LeadAppointment {
  userId: string;
  name: string | null;
  appointedAt: Date;
}

/** One child's plan in force, as the dashboard needs it (002 §3.7), with their core group meetings' dates. */
export interface CoreGroupDashboardPlan {
  conferenceId: string;
  childId: string;
  conferenceDate: IsoDate;
  firstCoreGroupDate: IsoDate | null;
  leadSocialWorkerUserId: string | null;
  appointedUserId: string | null;
  /** The latest meeting with a record kept. */
  lastHeld: IsoDate | null;
  /** The earliest meeting scheduled with no record yet. */
  nextScheduled: IsoDate | null;
}

export interface CoreGroupsRepository {
  /** The held conference of the child's latest plan (by conference date), or null when none. */
  planConferenceId(childId: string): Promise<string | null>;
  /** The child's meetings under the plan made at `conferenceId` (none: every plan's), oldest first, with their latest records. */
  listMeetings(childId: string, conferenceId?: string): Promise<CoreGroupMeetingRecord[]>;
  findMeeting(meetingId: string, opts?: { lock?: boolean }): Promise<CoreGroupMeetingRecord | null>;
  /** Every version of a meeting's record, oldest first. */
  recordVersions(meetingId: string): Promise<CoreGroupRecordVersion[]>;
  /** The next sequence number for the child's meetings. */
  nextSequence(childId: string): Promise<number>;
  insertMeeting(m: NewCoreGroupMeeting): Promise<string>;
  /** Adds a version of the record and bumps the meeting's version; false when the meeting's version has moved on. */
  insertRecord(r: NewCoreGroupRecord, expectedVersion: number): Promise<boolean>;
  latestAppointment(conferenceId: string, childId: string): Promise<LeadAppointment | null>;
  appoint(a: {
    conferenceId: string;
    childId: string;
    userId: string;
    appointedByUserId: string;
    at: Date;
  }): Promise<void>;
  /** Every child's latest plan at a held conference where the latest decision keeps a plan, in one query. */
  plansInForce(): Promise<CoreGroupDashboardPlan[]>;
  /** Invitations with an interpreter language, at conferences still planned, in one query (002 §3.2). */
  plannedInterpreterLanguages(): Promise<Array<{ conferenceId: string; kind: string; interpreterLanguage: string }>>;
  /** 002 §3.7: claims the reminder for one due date; false when it was already sent (by this node or another). */
  claimReminder(r: {
    conferenceId: string;
    childId: string;
    dueOn: IsoDate;
    sentOn: IsoDate;
    at: Date;
  }): Promise<boolean>;
  setReminderRecipient(
    r: { conferenceId: string; childId: string; dueOn: IsoDate },
    recipientUserId: string,
    messageId: string,
  ): Promise<void>;
  listReminders(
    childId: string,
  ): Promise<Array<{ conferenceId: string; dueOn: IsoDate; recipientUserId: string | null }>>;
}
