/** Persistence for recording gone wrong (P-8, P-9). */
import type {
  ActionDecision,
  CovertAction,
  PublicationAnswer,
  UnpermittedOutcome,
} from '../../domain/recording-incidents/incidents.ts';

export interface UnpermittedRecordingRecord {
  id: string;
  conferenceId: string;
  personInviteeId: string | null;
  personDescription: string | null;
  askedToStopAt: string;
  meetingHaltedAt: string | null;
  askedToLeaveAt: string | null;
  outcome: UnpermittedOutcome;
  outcomeAt: string;
  notes: string | null;
  recordedByUserId: string | null;
  recordedByName: string | null;
  createdAt: Date;
}

export type NewUnpermittedRecording = Omit<UnpermittedRecordingRecord, 'id' | 'recordedByName'>;

export interface CovertActionRecord {
  id: string;
  incidentId: string;
  action: CovertAction;
  description: string | null;
  decision: ActionDecision;
  doneOn: string;
  doneBy: string;
  outcome: string | null;
  recordedByUserId: string | null;
  createdAt: Date;
}

export type NewCovertAction = Omit<CovertActionRecord, 'id'>;

export interface CovertIncidentRecord {
  id: string;
  conferenceId: string;
  childIds: string[];
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: PublicationAnswer;
  publishedWhere: string | null;
  publishedOn: string | null;
  takenDown: PublicationAnswer | null;
  takenDownOn: string | null;
  chairUserId: string | null;
  chairMessageId: string | null;
  outcome: string | null;
  closedOn: string | null;
  closedByUserId: string | null;
  reportedByUserId: string | null;
  reportedByName: string | null;
  version: number;
  createdAt: Date;
  actions: CovertActionRecord[];
}

export interface NewCovertIncident {
  conferenceId: string;
  childIds: readonly string[];
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: PublicationAnswer;
  publishedWhere: string | null;
  publishedOn: string | null;
  takenDown: PublicationAnswer | null;
  takenDownOn: string | null;
  chairUserId: string | null;
  reportedByUserId: string;
  at: Date;
}

/** An open incident for the dashboards: ids and dates only. */
export interface OpenCovertIncident {
  id: string;
  conferenceId: string;
  foundOn: string;
  chairUserId: string | null;
  actionCount: number;
}

/** P-9: an open incident, for the reminders: when it was recorded and when its chair was last reminded. */
export interface IncidentForReminder {
  id: string;
  conferenceId: string;
  reportedAt: Date;
  /** The day the last reminder was sent; null before the first. */
  lastRemindedOn: string | null;
}

/** P-9: a reminder sent (or due with no one to remind: no recipient and no message). */
export interface CovertReminderRecord {
  dueOn: string;
  sentOn: string;
  recipientUserId: string | null;
  messageId: string | null;
}

export interface RecordingIncidentsRepository {
  insertUnpermitted(r: NewUnpermittedRecording): Promise<UnpermittedRecordingRecord>;
  /** In the order they happened. */
  listUnpermitted(conferenceId: string): Promise<UnpermittedRecordingRecord[]>;

  insertCovert(i: NewCovertIncident): Promise<string>;
  /** The chair's email queued with the incident. */
  setChairMessage(incidentId: string, messageId: string): Promise<void>;
  findCovert(id: string, opts?: { lock?: boolean }): Promise<CovertIncidentRecord | null>;
  /** Oldest found first. */
  listCovert(conferenceId: string): Promise<CovertIncidentRecord[]>;
  insertAction(a: NewCovertAction): Promise<CovertActionRecord>;
  /** Adds one to the version (an action recorded); null when the version has moved on. */
  touch(id: string, version: number, at: Date): Promise<boolean>;
  close(
    id: string,
    version: number,
    c: { outcome: string; closedOn: string; closedByUserId: string; at: Date },
  ): Promise<boolean>;
  /** Every open incident, oldest found first. */
  listOpen(): Promise<OpenCovertIncident[]>;
  /** P-9: every open incident with its last reminder, oldest found first. */
  listForReminders(): Promise<IncidentForReminder[]>;
  /**
   * P-9: claims the reminder of an incident due on a day; false when it was already claimed (by this node or
   * another one running the same scheduled job).
   */
  claimReminder(r: { incidentId: string; dueOn: string; sentOn: string; at: Date }): Promise<boolean>;
  /** P-9: the email queued for a claimed reminder, and to whom. */
  setReminderMessage(incidentId: string, dueOn: string, recipientUserId: string, messageId: string): Promise<void>;
  /** P-9: an incident's reminders, in the order they fell due. */
  listReminders(incidentId: string): Promise<CovertReminderRecord[]>;
}
