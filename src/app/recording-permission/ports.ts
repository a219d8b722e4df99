/** Persistence for requests to record a meeting (P-1, P-2, P-3, P-6, T-11). */
import type {
  Alternative,
  GroundFinding,
  MeetingKind,
  ProfessionalView,
  RequestMethod,
  RequestStatus,
  UndertakingMethod,
} from '../../domain/recording-permission/requests.ts';

export type UndertakingFormat = 'pdf' | 'png' | 'jpeg';

export interface PermissionRequestRecord {
  id: string;
  conferenceId: string | null;
  childId: string | null;
  meetingKind: MeetingKind;
  /** For a meeting other than a conference (a conference's own date and time are read from the conference). */
  meetingDate: string | null;
  meetingTime: string | null;
  organiser: string | null;
  requesterKind: 'child' | 'family' | 'someone-else';
  requesterChildId: string | null;
  requesterPersonId: string | null;
  requesterName: string;
  askedAt: Date;
  method: RequestMethod;
  purpose: string;
  undertakingMethod: UndertakingMethod;
  undertakingFile: { blobKey: string; sha256: string; size: number; format: UndertakingFormat } | null;
  undertakingSignedAt: Date | null;
  undertakingSignedVia: 'upload' | 'online' | null;
  hoursBefore: number;
  late: boolean;
  status: RequestStatus;
  notEligibleReason: string | null;
  grounds: GroundFinding[];
  alternatives: Alternative[];
  alternativesNote: string | null;
  reasons: string | null;
  decidedByUserId: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  confirmedAt: Date | null;
  confirmedByEmail: boolean;
  version: number;
  createdAt: Date;
}

export type NewPermissionRequest = Omit<
  PermissionRequestRecord,
  | 'id'
  | 'grounds'
  | 'alternatives'
  | 'alternativesNote'
  | 'reasons'
  | 'decidedByUserId'
  | 'decidedByName'
  | 'decidedAt'
  | 'confirmedAt'
  | 'confirmedByEmail'
  | 'version'
  | 'createdAt'
> & { createdByUserId: string; at: Date };

export interface PermissionRequestChange {
  status?: RequestStatus;
  undertakingFile?: { blobKey: string; sha256: string; size: number; format: UndertakingFormat };
  undertakingSigned?: { at: Date; via: 'upload' | 'online' };
  decision?: {
    grounds: GroundFinding[];
    alternatives: Alternative[];
    alternativesNote: string | null;
    reasons: string;
    byUserId: string;
  };
  confirmed?: { byUserId: string; byEmail: boolean };
  at: Date;
}

export interface ProfessionalViewRecord {
  inviteeId: string;
  view: ProfessionalView;
  reason: string | null;
  recordedAt: Date;
}

export interface PermissionLinkRecord {
  id: string;
  requestId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  confirmedAt: Date | null;
  confirmedName: string | null;
  codeHash: string | null;
  codeIssuedAt: Date | null;
  codeExpiresAt: Date | null;
  codeAttempts: number;
  codesIssued: number;
  codeUsedAt: Date | null;
}

/** What waits for one decision-maker (the dashboard, T-11, P-3). */
export interface DecisionCounts {
  waiting: number;
  shortNotice: number;
  soonest: { date: string; time: string } | null;
  unconfirmed: number;
}

export interface RecordingPermissionRepository {
  insert(r: NewPermissionRequest): Promise<PermissionRequestRecord>;
  find(id: string, opts?: { lock?: boolean }): Promise<PermissionRequestRecord | null>;
  /** Oldest asked first. */
  listForConference(conferenceId: string): Promise<PermissionRequestRecord[]>;
  /** Requests about this child: its meetings other than conferences and every conference it is in; oldest asked first. */
  listForChild(childId: string): Promise<PermissionRequestRecord[]>;
  /** Requests not yet decided (waiting for the undertaking or a decision), oldest asked first. */
  listWaiting(): Promise<PermissionRequestRecord[]>;
  /**
   * T-11, P-3: for the person who decides (the chair of the conference, or the social worker of the child for
   * another meeting): how many requests wait for their decision, how many of them were asked at short notice, the
   * soonest of their meetings (England date and "HH:MM"), and how many decided requests they decide or recorded are
   * not yet confirmed to the requester. One statement (the dashboard's budget).
   */
  countWaitingFor(userId: string): Promise<DecisionCounts>;
  /** Decided requests not yet confirmed to the requester (P-3). */
  listUnconfirmed(): Promise<PermissionRequestRecord[]>;
  /** Whether the conference has a request to record it from someone who may ask (the invitations say so, P-6). */
  conferenceHasRequest(conferenceId: string): Promise<boolean>;
  /** Saves the change at the expected version; null when someone else changed it first. */
  update(id: string, version: number, change: PermissionRequestChange): Promise<PermissionRequestRecord | null>;
  /** Stored files of signed undertakings (the blob sweep keeps them). */
  referencedBlobKeys(): Promise<string[]>;

  /** P-6: one view per professional invitee; recording again replaces it. */
  saveView(
    requestId: string,
    v: { inviteeId: string; view: ProfessionalView; reason: string | null; byUserId: string; at: Date },
  ): Promise<void>;
  listViews(requestId: string): Promise<ProfessionalViewRecord[]>;

  insertLink(l: {
    requestId: string;
    tokenHash: string;
    createdAt: Date;
    expiresAt: Date;
    byUserId: string;
  }): Promise<string>;
  findLinkByToken(tokenHash: string, opts?: { lock?: boolean }): Promise<PermissionLinkRecord | null>;
  /** The link in force for the request (else the newest), if any. */
  latestLink(requestId: string): Promise<PermissionLinkRecord | null>;
  updateLink(
    id: string,
    change: Partial<
      Pick<
        PermissionLinkRecord,
        | 'revokedAt'
        | 'confirmedAt'
        | 'confirmedName'
        | 'codeHash'
        | 'codeIssuedAt'
        | 'codeExpiresAt'
        | 'codeAttempts'
        | 'codesIssued'
        | 'codeUsedAt'
      >
    >,
  ): Promise<void>;
}
