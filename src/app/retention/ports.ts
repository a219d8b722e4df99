/**
 * Ports of retention and disposal: the council's schedules, the facts each candidate record's date counts
 * from, legal holds, proposals and their items, and the destruction of an item's rows. The stored files are the
 * blob store's (src/app/blobs/blob-store.ts).
 */
import type { AuditLog } from '../audit/audit-log.ts';
import type { IsoDate } from '../../domain/calendar/iso-date.ts';
import type { ItemState, ProposalState } from '../../domain/retention/disposal.ts';
import type { DisposableKind, RecordKind } from '../../domain/retention/schedules.ts';

export interface StoredSchedule {
  kind: RecordKind;
  value: unknown;
  version: number;
  updatedAt: Date;
  updatedByName: string | null;
}

/** Where a candidate comes from, for the review list: no names, only the children's local references. */
export interface CandidateContext {
  conferenceId: string;
  conferenceDate: IsoDate;
  conferenceType: string;
  /** Local references of the conference's children who are not restricted. */
  childReferences: string[];
  /** Some child of the conference is restricted: the list says so instead of naming their reference. */
  restricted: boolean;
}

export interface RecordingCandidate extends CandidateContext {
  kind: 'recording';
  id: string;
  recordingKind: string;
  childBirthDates: Array<IsoDate | null>;
  /** Files of copies made from it that are still kept. */
  copiesKept: number;
}

export interface CopyCandidate extends CandidateContext {
  kind: 'copy-sent';
  id: string;
  /** The request's reference number (CR-yyyy-nnnn is derived from it). */
  requestNumber: number;
  requestReceivedOn: IsoDate;
  sentAt: Date | null;
  files: number;
}

/** A conference's written record (its id is the conference's). */
export interface ConferenceRecordCandidate extends CandidateContext {
  kind: 'conference-record';
  id: string;
  childBirthDates: Array<IsoDate | null>;
  /** Recordings of the conference not yet destroyed: the written record waits for them. */
  recordingsKept: number;
}

/** A request for a copy of a recording. */
export interface CopyRequestCandidate extends CandidateContext {
  kind: 'copy-request';
  id: string;
  requestNumber: number;
  requestReceivedOn: IsoDate;
  /** When it was closed, refused or withdrawn; null while it is open. */
  closedAt: Date | null;
  /** Copies sent for it whose files are still kept: the request waits for them. */
  copiesKept: number;
}

export type Candidate = RecordingCandidate | CopyCandidate | ConferenceRecordCandidate | CopyRequestCandidate;

export interface HoldRecord {
  id: string;
  kind: DisposableKind;
  itemId: string;
  reason: string;
  placedBy: string;
  placedByName: string;
  placedAt: Date;
  removedBy: string | null;
  removedByName: string | null;
  removedAt: Date | null;
  removalReason: string | null;
}

/** One stored file destroyed with an item: what it was, and the SHA-256s that identify it. */
export interface DestroyedFile {
  /** 'original' | 'playback' | … | 'disclosure-copy' */
  what: string;
  blobKey: string;
  /** SHA-256 of the stored (encrypted) bytes; null for a file an interrupted ingest left unrecorded. */
  blobSha256: string | null;
  blobSize: number;
  /** SHA-256 of the content itself (the original recording's evidence hash, the MP3 sent). */
  contentSha256: string | null;
}

/** What destroying one item removes, written before anything is removed. No personal data. */
export interface ItemEvidence {
  files: DestroyedFile[];
  /** Rows removed or cleared, by table, with counts. */
  rows: Record<string, number>;
  conferenceId: string | null;
}

export interface ProposalRecord {
  id: string;
  number: number;
  state: ProposalState;
  note: string | null;
  proposedBy: string;
  proposedByName: string;
  proposedAt: Date;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: Date | null;
  declinedBy: string | null;
  declinedByName: string | null;
  declinedAt: Date | null;
  declineReason: string | null;
  completedAt: Date | null;
  /** The schedules in force when it was proposed, in words, by kind. */
  schedules: Record<string, string>;
  version: number;
  itemCount: number;
}

export interface ProposalItemRecord {
  kind: DisposableKind;
  itemId: string;
  dueOn: IsoDate;
  state: ItemState;
  evidence: ItemEvidence | null;
  destroyedAt: Date | null;
}

export interface RetentionRepository {
  listSchedules(): Promise<StoredSchedule[]>;
  /** Returns the new version, or null when it changed since `expectedVersion` (0: never saved). */
  saveSchedule(
    kind: RecordKind,
    change: { value: unknown; updatedBy: string; at: Date; expectedVersion: number },
  ): Promise<number | null>;

  /** Recordings (stored or rejected; none still arriving) and copies (ready or failed) not yet destroyed. */
  recordingCandidates(ids?: readonly string[]): Promise<RecordingCandidate[]>;
  copyCandidates(ids?: readonly string[]): Promise<CopyCandidate[]>;
  /** Conferences whose written record is not yet destroyed. */
  conferenceRecordCandidates(ids?: readonly string[]): Promise<ConferenceRecordCandidate[]>;
  /** Requests for copies not yet destroyed (open ones too: their date is not known yet). */
  copyRequestCandidates(ids?: readonly string[]): Promise<CopyRequestCandidate[]>;

  /**
   * Takes, for the rest of the transaction, the lock that both placing a legal hold on an item and destroying it
   * take: a hold is placed wholly before or wholly after a destruction, never in the middle of one.
   */
  lockItem(kind: DisposableKind, itemId: string): Promise<void>;

  currentHolds(): Promise<HoldRecord[]>;
  findHold(id: string): Promise<HoldRecord | null>;
  /** Null when the item already has a current hold. */
  insertHold(hold: {
    kind: DisposableKind;
    itemId: string;
    reason: string;
    placedBy: string;
    at: Date;
  }): Promise<string | null>;
  /** False when it was removed meanwhile. */
  removeHold(id: string, change: { removedBy: string; at: Date; reason: string }): Promise<boolean>;

  /** `kind:id` of every item pending in a proposal still proposed or approved. */
  liveItemKeys(): Promise<Set<string>>;
  insertProposal(p: {
    note: string | null;
    proposedBy: string;
    at: Date;
    schedules: Record<string, string>;
    items: Array<{ kind: DisposableKind; itemId: string; dueOn: IsoDate }>;
  }): Promise<{ id: string; number: number }>;
  findProposal(id: string, opts?: { lock?: boolean }): Promise<ProposalRecord | null>;
  listProposals(): Promise<ProposalRecord[]>;
  proposalItems(id: string): Promise<ProposalItemRecord[]>;
  /** Approves or declines from `expectedVersion`; false when it changed meanwhile. */
  decideProposal(
    id: string,
    expectedVersion: number,
    change: { state: 'approved'; by: string; at: Date } | { state: 'declined'; by: string; at: Date; reason: string },
  ): Promise<boolean>;
  /** Approved proposals with items still pending (for the sweep that resumes destruction after a crash). */
  unfinishedProposals(): Promise<string[]>;
  completeProposal(id: string, at: Date): Promise<void>;

  setItemEvidence(proposalId: string, kind: DisposableKind, itemId: string, evidence: ItemEvidence): Promise<void>;
  markItem(
    proposalId: string,
    kind: DisposableKind,
    itemId: string,
    state: 'destroyed' | 'held',
    at: Date,
  ): Promise<void>;

  /**
   * What destroying an item removes: its stored files (with their SHA-256s) and its rows by table. A recording: its
   * original, every derived file and copy file; a copy sent: its files; a conference record: its issued documents
   * and reports; a request for a copy: none (its copies are destroyed first). Null when the item is gone.
   */
  itemEvidence(kind: DisposableKind, id: string): Promise<ItemEvidence | null>;
  /**
   * Removes an item's rows through the database's disposal function for its kind (migrations 0037 and 0042). Safe to
   * repeat. The database refuses unless the proposal, approved by a second person, still has the item pending and
   * no legal hold is current on it.
   */
  destroyItemRows(kind: DisposableKind, proposalId: string, id: string): Promise<void>;
}

export interface RetentionStores {
  retention: RetentionRepository;
  audit: AuditLog;
}

/** One transaction over the retention tables and the audit log: a change is never saved unaudited. */
export interface RetentionUnitOfWork {
  run<T>(fn: (repos: RetentionStores) => Promise<T>): Promise<T>;
}

export interface DisposalQueue {
  enqueueDisposal(proposalId: string): Promise<unknown>;
}

/** The certificate as a PDF's bytes. */
export interface CertificateRenderer {
  render(certificate: DisposalCertificate): Promise<Uint8Array>;
}

export interface DisposalCertificate {
  proposalId: string;
  number: number;
  reference: string;
  proposedByName: string;
  proposedAt: Date;
  approvedByName: string;
  approvedAt: Date;
  completedAt: Date;
  schedules: Record<string, string>;
  destroyed: Array<{
    kind: DisposableKind;
    what: string;
    itemId: string;
    dueOn: IsoDate;
    destroyedAt: Date;
    evidence: ItemEvidence;
  }>;
  /** Items a legal hold placed after approval kept. */
  keptOnHold: Array<{ kind: DisposableKind; what: string; itemId: string }>;
}
