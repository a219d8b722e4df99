import type { Readable } from 'node:stream';
import type { StoredBlob } from '../blobs/blob-store.ts';
import type {
  BookmarkKind,
  ExplanatoryStatement,
  RecordingKind,
  RecordingSource,
  RecordingStatus,
  WithheldFrom,
  WithholdingReason,
} from '../../domain/recordings/index.ts';

export interface RecordingRecord {
  id: string;
  conferenceId: string;
  conferencePartId: string | null;
  kind: RecordingKind;
  source: RecordingSource;
  status: RecordingStatus;
  rejectionReason: string | null;
  /** A short label the chair may give, added to the derived name (see domain/recordings/naming.ts). */
  label: string | null;
  clientSha256: string | null;
  originalSize: number | null;
  originalSha256: string | null;
  container: string | null;
  codec: string | null;
  durationMs: number | null;
  sampleRate: number | null;
  channels: number | null;
  /** A live recording that stops part-way through its last block of audio (the sender failed). */
  endsAbruptly: boolean;
  originalBlobKey: string | null;
  originalBlobSha256: string | null;
  originalBlobSize: number | null;
  nextChunk: number;
  receivedBytes: number;
  liveStoppedAt: Date | null;
  startedAt: Date;
  createdBy: string;
  createdAt: Date;
  processingStartedAt: Date | null;
  storedAt: Date | null;
  /** When ingest found the acknowledged audio missing from staging (status `audio_missing`). */
  audioMissingAt: Date | null;
  /**
   * once stored, whether it can be played: `preparing` (stored safely, its playback copy being made),
   * `ready`, or `undecodable` (the full decode found it cannot be played; the encrypted original is kept, and
   * `playableProblem` says why). Null before it is stored.
   */
  playable: RecordingPlayable | null;
  playableProblem: string | null;
  version: number;
}

export const RECORDING_PLAYABLE = ['preparing', 'ready', 'undecodable'] as const;
export type RecordingPlayable = (typeof RECORDING_PLAYABLE)[number];

export type NewRecording = Pick<
  RecordingRecord,
  'conferenceId' | 'conferencePartId' | 'kind' | 'source' | 'clientSha256' | 'startedAt' | 'createdBy'
>;

export type RecordingChange = Partial<
  Pick<
    RecordingRecord,
    | 'status'
    | 'rejectionReason'
    | 'originalSize'
    | 'originalSha256'
    | 'container'
    | 'codec'
    | 'durationMs'
    | 'sampleRate'
    | 'channels'
    | 'endsAbruptly'
    | 'originalBlobKey'
    | 'originalBlobSha256'
    | 'originalBlobSize'
    | 'nextChunk'
    | 'receivedBytes'
    | 'liveStoppedAt'
    | 'processingStartedAt'
    | 'storedAt'
    | 'clientSha256'
    | 'label'
    | 'audioMissingAt'
    | 'playable'
    | 'playableProblem'
  >
>;

export interface BreakRecord {
  ordinal: number;
  atMs: number;
  startedAt: Date;
  endedAt: Date | null;
  reason: string;
  participantChanges: string | null;
}

export interface DerivativeRecord {
  id: string;
  originalRecordingId: string;
  kind: 'playback' | 'disclosure';
  mediaType: string;
  size: number;
  sha256: string;
  durationMs: number;
  blobKey: string;
  blobSha256: string;
  blobSize: number;
  peaks: { perSecond: number; values: number[] } | null;
  originalSha256: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

export interface StatementRecord {
  version: number;
  content: ExplanatoryStatement;
  changeReason: string | null;
  confirmedBy: string;
  confirmedByName: string;
  confirmedAt: Date;
}

export interface BookmarkRecord {
  id: string;
  atMs: number;
  kind: BookmarkKind;
  label: string;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
}

export interface WithheldRecord {
  id: string;
  startMs: number;
  endMs: number;
  reason: WithholdingReason;
  explanation: string;
  withheldFrom: WithheldFrom;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
}

export type FixityTrigger = 'ingest' | 'scheduled' | 'on-demand' | 'export';
export type FixityResult = 'ok' | 'mismatch' | 'missing' | 'unreadable';

export interface FixityEventRecord {
  id: number;
  recordingId: string;
  derivativeId: string | null;
  trigger: FixityTrigger;
  result: FixityResult;
  detail: string | null;
  checkedAt: Date;
}

export interface RecordingsRepository {
  insert(recording: NewRecording): Promise<RecordingRecord>;
  /** With `lock`, the row is locked for the rest of the transaction. */
  find(id: string, opts?: { lock?: boolean }): Promise<RecordingRecord | null>;
  listForConference(conferenceId: string): Promise<RecordingRecord[]>;
  /** The recordings of many conferences in one statement, by conference id, each conference's in listForConference's order. */
  listForConferences(conferenceIds: readonly string[]): Promise<Map<string, RecordingRecord[]>>;
  /** Applies the change and bumps the version. */
  update(id: string, change: RecordingChange): Promise<void>;

  chunkSha256(recordingId: string, seq: number): Promise<string | null>;
  insertChunk(
    recordingId: string,
    chunk: { seq: number; sha256: string; size: number; receivedAt: Date },
  ): Promise<void>;

  listBreaks(recordingId: string): Promise<BreakRecord[]>;
  insertBreak(recordingId: string, b: BreakRecord): Promise<void>;
  endBreak(recordingId: string, ordinal: number, endedAt: Date, participantChanges: string | null): Promise<void>;

  insertDerivative(d: Omit<DerivativeRecord, 'id' | 'createdAt'>): Promise<string>;
  /** A recording's derived copies, oldest first; `withPeaks: false` leaves out the waveform (peaks null). */
  listDerivatives(recordingId: string, opts?: { withPeaks?: boolean }): Promise<DerivativeRecord[]>;

  listStatements(recordingId: string): Promise<StatementRecord[]>;
  insertStatement(
    recordingId: string,
    s: {
      version: number;
      content: ExplanatoryStatement;
      changeReason: string | null;
      confirmedBy: string;
      confirmedAt: Date;
    },
  ): Promise<void>;

  listBookmarks(recordingId: string): Promise<BookmarkRecord[]>;
  insertBookmark(
    recordingId: string,
    b: { atMs: number; kind: BookmarkKind; label: string; createdBy: string },
  ): Promise<string>;
  removeBookmark(recordingId: string, bookmarkId: string, by: string, at: Date): Promise<boolean>;

  listWithheld(recordingId: string): Promise<WithheldRecord[]>;
  insertWithheld(
    recordingId: string,
    w: {
      startMs: number;
      endMs: number;
      reason: WithholdingReason;
      explanation: string;
      withheldFrom: WithheldFrom;
      createdBy: string;
    },
  ): Promise<string>;
  removeWithheld(recordingId: string, segmentId: string, by: string, at: Date): Promise<boolean>;

  insertFixityEvent(e: Omit<FixityEventRecord, 'id'>): Promise<void>;
  listFixityEvents(recordingId: string): Promise<FixityEventRecord[]>;
  /**
   * Stored recordings whose last check (or storing) is older than `before`, oldest first; with
   * `failedBefore`, also those whose latest check failed and was made before `failedBefore`.
   */
  dueForFixity(before: Date, limit: number, opts?: { failedBefore?: Date }): Promise<string[]>;
  /** Recordings left in `processing` (a crash during ingest) or receiving uploads older than `before`. */
  stalled(before: Date): Promise<Array<{ id: string; status: RecordingStatus }>>;
  /** Recordings in any of these states, oldest first (for start-up recovery and the lists needing attention). */
  listByStatus(statuses: readonly RecordingStatus[]): Promise<RecordingRecord[]>;
  /** Stored recordings still being made playable (stored before `storedBefore`, when given), oldest first. */
  awaitingPlayable(storedBefore?: Date): Promise<string[]>;
  /** Notes an encrypted file an ingest has written, before the ingest commits it to the recording. */
  addPendingBlob(recordingId: string, blobKey: string): Promise<void>;
  /** The files an ingest of this recording wrote and never committed or cleaned up. */
  pendingBlobs(recordingId: string): Promise<string[]>;
  /** Forgets pending files: those given, or every one of the recording's (once committed or removed). */
  clearPendingBlobs(recordingId: string, blobKeys?: readonly string[]): Promise<void>;
  /**
   * Every blob key a recording or derivative refers to (for the orphan sweep and key rotation), except a damaged
   * playback copy's once a repaired copy replaces it: that copy is retired and its file removed.
   */
  referencedBlobKeys(): Promise<string[]>;
  /** The audit trail's entries about this recording, oldest first (the evidence page). */
  auditEvents(recordingId: string): Promise<RecordingAuditEvent[]>;
  /** When this user last gave a reason to listen to this recording (the audited play), if since `since`. */
  lastPlay(recordingId: string, userId: string, since: Date): Promise<Date | null>;
  /**
   * What a Range request of the playback copy needs, in one statement: the recording's state, this user's last
   * reason to listen since `since`, the copy played now (without its waveform) and whether the latest check of that
   * copy, or of the original, failed. Null when there is no such recording.
   */
  playbackLookup(recordingId: string, userId: string, since: Date): Promise<PlaybackLookup | null>;
}

/**
 * A short-lived, signed permission for one user to play one recording, issued after the full access
 * check and checked without the database. `expiresAt` is milliseconds since the epoch.
 */
export interface PlaybackGrantClaims {
  userId: string;
  recordingId: string;
  purpose: 'play';
  expiresAt: number;
}

export interface PlaybackGrantSigner {
  sign(claims: PlaybackGrantClaims): string;
  /** The claims of a grant this signer made and nobody altered, else null (expiry is the caller's to check). */
  verify(token: string): PlaybackGrantClaims | null;
}

export interface PlaybackLookup {
  status: RecordingStatus;
  conferenceId: string;
  lastPlay: Date | null;
  derivative: DerivativeRecord | null;
  copyFailed: boolean;
  originalFailed: boolean;
}

export interface RecordingAuditEvent {
  seq: number;
  at: Date;
  action: string;
  actorLabel: string;
  outcome: string;
  details: Record<string, unknown>;
}

// ------------------------------------------------------------------ infrastructure the use cases need

/** What ffprobe found in a file that is decodable audio. */
export interface AudioFacts {
  container: string;
  codec: string;
  durationMs: number;
  sampleRate: number;
  channels: number;
  hasVideo: boolean;
  /** A live recording that stops part-way through its last block (the sender failed); what came before is kept. */
  cutEnd: boolean;
}

/** Audio tools (ffprobe / ffmpeg): files are named by paths the service chose, never by users. */
export interface AudioTools {
  /**
   * The cheap checks by content (a few KiB read, nothing decoded): what the file is by its first bytes and, for WAV
   * and Ogg, that it reaches the end its container states. Null when its first bytes are not a kind of recording
   * this service recognises (decode it in full with `probe` to say why); throws an error with a plain-English
   * message when the container shows the file is cut short.
   */
  checkContainer(path: string, opts?: { acceptCutEnd?: boolean }): Promise<{ container: string } | null>;
  /** Throws an error with a plain-English message when the file is not usable audio. */
  probe(path: string, opts?: { signal?: AbortSignal; acceptCutEnd?: boolean }): Promise<AudioFacts>;
  /** A browser-playable, seekable copy (MP3). */
  makePlaybackCopy(
    input: string,
    output: string,
    opts?: { signal?: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<void>;
  /** Peak level per window (0..1) for the waveform. */
  computePeaks(input: string, opts?: { peaksPerSecond?: number; signal?: AbortSignal }): Promise<number[]>;
  /**
   * probe, makePlaybackCopy and computePeaks from ONE decode of `input`: the file is checked and refused exactly as
   * probe() checks and refuses it, its playback copy written at `output` (only when it is complete), and its
   * waveform measured from the same decoded timeline; `copy` is the written copy's SHA-256 and size.
   */
  makePlayable(
    input: string,
    output: string,
    opts?: {
      signal?: AbortSignal;
      acceptCutEnd?: boolean;
      peaksPerSecond?: number;
      onProgress?: (fraction: number) => void;
    },
  ): Promise<{ facts: AudioFacts; peaks: number[]; copy: { sha256: string; size: number } }>;
}

/**
 * a staged file stored encrypted in one pass away from the service's main thread: read once, its SHA-256 and
 * length taken, encrypted (age v1, bound to `binding`) into a new blob, written and flushed, all or nothing. Errors are
 * the ones the same pass would throw in process (the file system's, by code; an `AbortError` when `signal` aborts),
 * and nothing of the new blob is left behind after one.
 */
export interface OriginalSealer {
  sealStaged(
    file: string,
    binding: string,
    opts?: { signal?: AbortSignal },
  ): Promise<{ blob: StoredBlob; sha256: string; size: number }>;
}

/** An encrypted file opened for ranges of its plaintext (RecordingCipher.openRange). */
export interface OpenedRange {
  plaintextSize: number;
  /** Plaintext bytes [start, end]; every chunk they come from is authenticated before any byte is returned. */
  read(start: number, end: number): Promise<Buffer>;
  /**
   * The same stored file read again through another `readRange` (another request's), without reading its header,
   * unwrapping its key or decrypting its final chunk again: those were checked when it was opened. Every chunk a
   * range needs is still authenticated, so a file whose bytes have changed since fails its read. It holds the
   * payload key (derived from the file key) and never any plaintext: whoever keeps it keeps that key in memory, so
   * keep it only as briefly as the playback cache does (PLAYBACK_GRANT_MS at most). A cipher without it has each
   * request open the file afresh.
   */
  reopen?(readRange: (start: number, end: number) => Promise<Buffer>): OpenedRange;
}

/**
 * Encryption at rest (age v1). Every file is bound to a label (`recording:<id>:original`), so a file
 * stored under another recording fails to decrypt.
 */
export interface RecordingCipher {
  encrypt(plaintext: Readable, binding: string): Readable;
  /** The whole file, every chunk authenticated; an error means none of it may be trusted. */
  decrypt(ciphertext: Readable, binding: string): Readable;
  /** Plaintext size of an encrypted file, from its header and length. */
  plaintextSize(
    readRange: (start: number, end: number) => Promise<Buffer>,
    ciphertextSize: number,
    binding: string,
  ): Promise<number>;
  /**
   * Opens an encrypted file once for many ranges: its header is read and unwrapped, and its final chunk verified,
   * only here. The payload key lives in the returned reader and its `reopen`, in memory, for as long as the caller
   * holds them, never anywhere else (see {@link OpenedRange}).
   */
  openRange(
    readRange: (start: number, end: number) => Promise<Buffer>,
    ciphertextSize: number,
    binding: string,
  ): Promise<OpenedRange>;
  /** Plaintext bytes [start, end] decrypted from only the chunks that hold them. */
  decryptRange(
    readRange: (start: number, end: number) => Promise<Buffer>,
    ciphertextSize: number,
    binding: string,
    start: number,
    end: number,
  ): Promise<Buffer>;
}

/**
 * Plaintext staging while bytes arrive (live chunks, uploads), in a folder only the service can read.
 * Files are named by recording id; everything staged is removed once the original is stored.
 */
/** A staged recording's bytes as one stream, in order, and how many there are. */
export interface StagedAudio {
  size: number;
  stream: NodeJS.ReadableStream & AsyncIterable<Buffer>;
}

/**
 * Where a recording's bytes wait, before ingest stores the original: the node's own disk, or (with several nodes)
 * an object store every node reaches. `pathFor` is a node-local file: with shared staging it exists only once
 * `materialise` has copied the staged bytes there (owner-only), which the ingest job does before it runs.
 */
export interface RecordingStaging {
  pathFor(recordingId: string): string;
  /** The staged bytes as a stream and their size, from whichever node staged them; null when nothing is staged. */
  open(recordingId: string): Promise<StagedAudio | null>;
  /** Makes `pathFor(recordingId)` a complete node-local copy of the staged bytes (nothing to do on local staging). */
  materialise(recordingId: string): Promise<void>;
  /** The size of a finished upload not yet adopted: a local file's path, or the shared staging's own upload. */
  sourceSize(source: string): Promise<number>;
  /** Appends at `offset` (truncating anything past it left by a crash) and flushes to disk. */
  append(recordingId: string, offset: number, bytes: Uint8Array): Promise<void>;
  /** Moves a finished upload (a local file's path, or the shared staging's own upload) into staging under the recording's id. */
  adopt(recordingId: string, sourcePath: string): Promise<void>;
  size(recordingId: string): Promise<number | null>;
  remove(recordingId: string): Promise<void>;
  /** A scratch path for a derived file, removed by the caller. */
  scratchPath(name: string): string;
}

export interface IngestQueue {
  enqueueIngest(recordingId: string): Promise<void>;
  /** Making a stored recording playable (full decode, playback copy, waveform): the job after ingest, idempotent. */
  enqueuePlayable(recordingId: string): Promise<void>;
  /** A new playback copy made from the original, replacing a damaged one (a background job, idempotent). */
  enqueuePlaybackRepair(recordingId: string): Promise<void>;
}
