/** Persistence for the family's recording on the day of a conference (P-1, P-4, P-5, P-6, P-7). Written once. */
import type { ConsentAnswer, ConsentOccasion, FamilyCopyFormat } from '../../domain/recording-consent/consent.ts';

export interface MeetingRequestRecord {
  id: string;
  conferenceId: string;
  requesterInviteeId: string;
  askedAt: string;
  purpose: string;
  limitsAccepted: boolean;
  recordedByUserId: string | null;
  createdAt: Date;
}

export type NewMeetingRequest = Omit<MeetingRequestRecord, 'id'>;

export interface ConsentRecord {
  inviteeId: string;
  answer: ConsentAnswer;
  reason: string | null;
  furtherAuthorisation: string | null;
}

export interface ConsentRoundRecord {
  id: string;
  conferenceId: string;
  permissionRequestId: string | null;
  meetingRequestId: string | null;
  occasion: ConsentOccasion;
  askedAt: string;
  recordedByUserId: string | null;
  recordedByName: string | null;
  createdAt: Date;
  consents: ConsentRecord[];
}

export type NewConsentRound = Omit<ConsentRoundRecord, 'id' | 'recordedByName'>;

export interface FamilyCopyRecord {
  id: string;
  conferenceId: string;
  permissionRequestId: string | null;
  meetingRequestId: string | null;
  handedOverOn: string;
  handedOverBy: string;
  format: FamilyCopyFormat;
  blobKey: string;
  sha256: string;
  size: number;
  encryptedSha256: string;
  encryptedSize: number;
  uploadedByUserId: string | null;
  uploadedByName: string | null;
  createdAt: Date;
}

/** The id is chosen by the service: the stored file is bound to it when encrypted. */
export type NewFamilyCopy = Omit<FamilyCopyRecord, 'uploadedByName'>;

export interface RecordingConsentRepository {
  insertMeetingRequest(r: NewMeetingRequest): Promise<MeetingRequestRecord>;
  /** Oldest first. */
  listMeetingRequests(conferenceId: string): Promise<MeetingRequestRecord[]>;
  insertRound(r: NewConsentRound): Promise<ConsentRoundRecord>;
  /** In the order they were recorded, each with its consents. */
  listRounds(conferenceId: string): Promise<ConsentRoundRecord[]>;
  insertCopy(c: NewFamilyCopy): Promise<FamilyCopyRecord>;
  findCopy(id: string): Promise<FamilyCopyRecord | null>;
  /** Oldest first. */
  listCopies(conferenceId: string): Promise<FamilyCopyRecord[]>;
  /** Stored files of the family's copies (the blob sweep keeps them). */
  referencedBlobKeys(): Promise<string[]>;
}
