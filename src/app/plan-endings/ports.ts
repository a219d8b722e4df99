/** Persistence for plans ending, stepping down and moving away (002 §3.8, §3.9, T-4). */
import type { IsoDate } from '../../domain/calendar/index.ts';
import type { EndingReason, LookedAfterCriterion, StepDownKind } from '../../domain/plan-endings/index.ts';

export interface StepDownRecord {
  id: string;
  conferenceId: string;
  childId: string;
  version: number;
  kind: StepDownKind;
  leadProfessional: string;
  services: string;
  firstMeetingDate: IsoDate | null;
  changeReason: string | null;
  recordedByUserId: string | null;
  recordedAt: Date;
}

export type NewStepDown = Omit<StepDownRecord, 'id'>;

export interface EndingRecord {
  id: string;
  childId: string;
  planConferenceId: string;
  reason: EndingReason;
  endedOn: IsoDate;
  details: string | null;
  lookedAfterCriterion: LookedAfterCriterion | null;
  modToldOn: IsoDate | null;
  modResourcesConfirmed: boolean;
  authorisedByUserId: string | null;
  authorisedByName: string | null;
  authorisedOn: IsoDate | null;
  transferId: string | null;
  recordedByUserId: string | null;
  recordedAt: Date;
}

export type NewEnding = Omit<EndingRecord, 'id' | 'authorisedByName'>;

export type NoticeMethod = 'email' | 'letter';

export interface NoticeRecord {
  id: string;
  endingId: string;
  professionalId: string | null;
  recipientName: string;
  recipientRole: string | null;
  agencyName: string | null;
  method: NoticeMethod;
  outboxMessageId: string | null;
  letterText: string | null;
  createdAt: Date;
  postedAt: Date | null;
}

export type NewNotice = Omit<NoticeRecord, 'id' | 'postedAt'>;

export interface TransferRecord {
  id: string;
  childId: string;
  planConferenceId: string;
  authorityName: string;
  contactEmail: string;
  noticeOn: IsoDate;
  conferenceDue: IsoDate;
  packText: string;
  packMessageId: string | null;
  receivingConferenceOn: IsoDate | null;
  confirmationReceivedOn: IsoDate | null;
  version: number;
  recordedByUserId: string | null;
  recordedAt: Date;
}

export type NewTransfer = Omit<TransferRecord, 'id' | 'version'>;

/** A professional invited to any of the child's conferences (the core group is chosen from them), once each. */
export interface InvitedAgency {
  professionalId: string;
  name: string;
  roleTitle: string;
  agencyName: string;
  email: string | null;
}

export interface PlanEndingsRepository {
  listStepDowns(conferenceId: string): Promise<StepDownRecord[]>;
  insertStepDown(row: NewStepDown): Promise<string>;
  /** The ending of the plan made or continued at `planConferenceId`, if any. */
  findEnding(childId: string, planConferenceId: string): Promise<EndingRecord | null>;
  listEndings(childId: string): Promise<EndingRecord[]>;
  /** Null when the plan has already ended (one ending for each plan). */
  insertEnding(row: NewEnding): Promise<string | null>;
  insertNotice(row: NewNotice): Promise<string>;
  listNotices(endingId: string): Promise<NoticeRecord[]>;
  /** False when the letter is not this ending's, is an email, or was already posted. */
  markPosted(endingId: string, noticeId: string, by: { userId: string; at: Date }): Promise<boolean>;
  findTransfer(childId: string, planConferenceId: string, opts?: { lock?: boolean }): Promise<TransferRecord | null>;
  insertTransfer(row: NewTransfer): Promise<string | null>;
  setPackMessage(id: string, messageId: string): Promise<void>;
  updateTransfer(
    id: string,
    version: number,
    change: { receivingConferenceOn: IsoDate | null; confirmationReceivedOn: IsoDate | null; at: Date },
  ): Promise<TransferRecord | null>;
  invitedAgencies(childId: string): Promise<InvitedAgency[]>;
}
