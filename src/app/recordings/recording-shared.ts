/**
 * What the recordings' use cases share (R-1 … R-6): who may do what, their settings and dependencies, their errors,
 * and the small rules read from a recording's rows (which playback copy is played, whether it is damaged).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hasAnyRole, type Actor, type Role } from '../../domain/access/roles.ts';
import { liveStateOf, type LiveSession } from '../../domain/recordings/index.ts';
import { AccessDeniedError, DomainError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import type {
  AudioTools,
  BreakRecord,
  DerivativeRecord,
  FixityEventRecord,
  IngestQueue,
  OriginalSealer,
  PlaybackGrantSigner,
  RecordingAuditEvent,
  RecordingCipher,
  RecordingRecord,
  RecordingsRepository,
  RecordingStaging,
} from './ports.ts';

/** Who makes and manages recordings: the chair records; business support uploads and looks after them. */
export const RECORDING_ROLES: readonly Role[] = ['chair', 'business_support'];
/** Who may take away a copy of an original (an export, fixity-checked first). */
export const EXPORT_ROLES: readonly Role[] = ['chair', 'business_support', 'access_to_records', 'qa_manager'];
/** A reason given to listen lets that person play the recording for this long. */
export const LISTENING_WINDOW_MS = 3 * 3_600_000;
export const LISTEN_REASON_MAX = 500;

export interface RecordingLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

export interface RecordingServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  cipher: RecordingCipher;
  /**
   * Stores the original at ingest in one pass off the main thread (the file system blob store); without it, the pass
   * runs in process through `blobs.put` and `cipher.encrypt` (an S3 bucket).
   */
  sealer?: OriginalSealer;
  audio: AudioTools;
  staging: RecordingStaging;
  queue: IngestQueue;
  logger: RecordingLogger;
  settings: { maxBytes: number; fixityCycleDays: number; fixityRecheckFailedDays?: number };
  /** Signs and checks playback grants; without it every Range request takes the full access check. */
  grants?: PlaybackGrantSigner;
  /**
   * The Range request's one lookup (RecordingsRepository.playbackLookup) run on its own, outside a transaction: a
   * single read needs none, and on PostgreSQL a transaction costs two more round trips. Without it, in a unit of work.
   */
  playbackLookup?: RecordingsRepository['playbackLookup'];
}

/**
 * A recording whose latest fixity check failed is checked again after this many days (not the whole
 * cycle), raising the alert each time, until the failure has been dealt with.
 */
export const FIXITY_FAILED_RECHECK_DAYS = 1;
/** Uploads (and live recordings with no audio) still receiving after this long are cancelled. */
export const ABANDONED_UPLOAD_MS = 7 * 86_400_000;

/**
 * whether a recording needs someone to act, at `now` — the one test behind the list at /recordings/attention,
 * its count on the dashboards and the banner on the recording's own page: its audio went missing before it was
 * stored, or it is a live recording from a browser, with audio, still receiving a week or more after it began.
 */
export function needsAttention(
  r: Pick<RecordingRecord, 'status' | 'source' | 'receivedBytes' | 'startedAt'>,
  now: Date,
): boolean {
  if (r.status === 'audio_missing') return true;
  return (
    r.status === 'receiving' &&
    r.source === 'browser' &&
    r.receivedBytes > 0 &&
    r.startedAt.getTime() <= now.getTime() - ABANDONED_UPLOAD_MS
  );
}

export class RecordingError extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(code, message, field);
    this.name = 'RecordingError';
  }
}

/** A chunk ahead of the next one expected: the sender must resend from `expected` (nothing is appended out of order). */
export class ChunkGapError extends RecordingError {
  readonly expected: number;
  constructor(expected: number) {
    super('CHUNK_GAP', `Chunk ${expected} is needed next`);
    this.name = 'ChunkGapError';
    this.expected = expected;
  }
}

/** Who queues a repair the service finds it needs, and runs it. */
export const REPAIR_SYSTEM: RequestContext = { actor: { id: null, label: 'system: playback repair' } };

/**
 * The playback copy played and checked: the newest. A copy found damaged is kept (rows are never changed) and
 * a repaired one added after it, so older copies are superseded, never played or checked again.
 */
export function latestPlayback(derivatives: readonly DerivativeRecord[]): DerivativeRecord | null {
  return derivatives.filter((d) => d.kind === 'playback').at(-1) ?? null;
}

/** Whether the original's latest check failed (nothing can be made from it). */
export function originalFailedCheck(events: readonly FixityEventRecord[]): boolean {
  const last = events.filter((e) => e.derivativeId === null).at(-1);
  return last !== undefined && last.result !== 'ok';
}

/**
 * Whether a repair of this (damaged) copy is queued: by the service when it found the damage, or by staff, and
 * not since found never to have reached the queue.
 */
export function repairQueuedFor(events: readonly RecordingAuditEvent[], derivativeId: string): boolean {
  const last = events
    .filter(
      (e) =>
        (e.action === 'recording.playback_repair_queued' || e.action === 'recording.playback_repair_not_queued') &&
        e.details['derivativeId'] === derivativeId,
    )
    .at(-1);
  return last?.action === 'recording.playback_repair_queued';
}

export const binding = (recordingId: string, what: 'original' | 'playback') => `recording:${recordingId}:${what}`;
export const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Whether a recording takes a file now: an upload still waiting for its file, or any recording whose
 * acknowledged audio went missing before ingest (staff upload the audio again against it).
 */
export function waitsForFile(recording: Pick<RecordingRecord, 'source' | 'status'>): boolean {
  return recording.status === 'audio_missing' || (recording.status === 'receiving' && recording.source !== 'browser');
}

/** Whether the latest check of this derived copy failed (it is not played until it is dealt with). */
export function copyFailedCheck(events: readonly FixityEventRecord[], derivativeId: string): boolean {
  const last = events.filter((e) => e.derivativeId === derivativeId).at(-1);
  return last !== undefined && last.result !== 'ok';
}

export const copyDamaged = (originalDamaged = false) =>
  originalDamaged
    ? new RecordingError(
        'COPY_DAMAGED',
        'This recording cannot be played: the copy made for listening and the original both failed their integrity checks. The council’s IT team has been told.',
      )
    : new RecordingError(
        'COPY_DAMAGED',
        'This recording is being repaired: the copy made for listening failed its integrity check and a new one is being made from the original. Try again later.',
      );

export function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!hasAnyRole(actor, roles)) throw new AccessDeniedError(`Only ${what} can do this`);
}

export function liveSession(recording: RecordingRecord, breaks: BreakRecord[]): LiveSession {
  const state = liveStateOf({ breaks: breaks.map((b) => ({ ...b })) }, recording.liveStoppedAt !== null);
  return {
    state,
    breaks: breaks.map((b) => ({
      atMs: b.atMs,
      startedAt: b.startedAt,
      endedAt: b.endedAt,
      reason: b.reason,
      participantChanges: b.participantChanges,
    })),
  };
}

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
