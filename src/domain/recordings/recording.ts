/**
 * The audio record of a conference (R-1 … R-6): what a recording is, where it came from, and the
 * life of one from the first byte received to an original that is stored, encrypted and provable.
 *
 * A recording is evidence. Its original is kept bit for bit; everything else (a playback copy
 * for browsers, a disclosure copy for a requester) is derived from it and names it. Nothing in this
 * module ever changes an original: the states below only describe how far ingest has got.
 */
import { DomainError } from '../shared/errors.ts';

/** the meeting itself, or the chair's dictation of decisions, recommendations and summary afterwards. */
export const RECORDING_KINDS = ['meeting', 'dictation'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];

export const RECORDING_KIND_LABELS: Record<RecordingKind, string> = {
  meeting: 'Recording of the conference',
  dictation: 'Chair’s dictation after the conference (decisions, recommendations and summary)',
};

/** recorded in the browser, or a file made in MS Teams, by a dictaphone, or some other way. */
export const RECORDING_SOURCES = ['browser', 'teams', 'dictaphone', 'other'] as const;
export type RecordingSource = (typeof RECORDING_SOURCES)[number];

export const RECORDING_SOURCE_LABELS: Record<RecordingSource, string> = {
  browser: 'Recorded in this service',
  teams: 'Microsoft Teams recording',
  dictaphone: 'Dictaphone or room recorder',
  other: 'Another recording device',
};

/**
 * Ingest states. `receiving`: bytes are arriving (live recording or upload). `processing`: all bytes
 * are in and are being checked, encrypted and stored. `stored`: the original is durably stored and
 * its SHA-256 recorded: only now is it shown as a recording. `rejected`: nothing usable was kept,
 * with the reason. `stored` and `rejected` are final. `audio_missing`: the audio was acknowledged (every
 * byte received) but its staged file was gone when ingest came to it (a restore without the staging folder,
 * a disk swap): nothing is rejected, and staff upload the audio again against the same recording, which
 * then goes back to `processing` and is checked as any upload is.
 */
export const RECORDING_STATUSES = ['receiving', 'processing', 'stored', 'rejected', 'audio_missing'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const RECORDING_STATUS_LABELS: Record<RecordingStatus, string> = {
  receiving: 'Receiving audio',
  processing: 'Checking and storing',
  stored: 'Stored',
  rejected: 'Not stored',
  audio_missing: 'Audio missing',
};

const TRANSITIONS: Record<RecordingStatus, readonly RecordingStatus[]> = {
  receiving: ['processing', 'rejected'],
  processing: ['stored', 'rejected', 'audio_missing'],
  stored: [],
  rejected: [],
  audio_missing: ['processing'],
};

export class RecordingStateError extends DomainError {
  constructor(message: string) {
    super('RECORDING_STATE', message);
    this.name = 'RecordingStateError';
  }
}

export function canMoveRecording(from: RecordingStatus, to: RecordingStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws a plain-English error when the move is not allowed (a stored original never goes back). */
export function assertRecordingMove(from: RecordingStatus, to: RecordingStatus): void {
  if (canMoveRecording(from, to)) return;
  if (from === 'stored') throw new RecordingStateError('This recording is already stored and cannot change');
  if (from === 'rejected') throw new RecordingStateError('This recording was not stored; start a new one instead');
  throw new RecordingStateError(
    `A recording that is ${RECORDING_STATUS_LABELS[from].toLowerCase()} cannot become ${RECORDING_STATUS_LABELS[to].toLowerCase()}`,
  );
}

// ------------------------------------------------------------------ live recording in the browser

/**
 * A live recording from the chair's page: recording ⇄ paused (a break, with its reason and any
 * change of who is present, R-2) → stopped. Offsets are in recording time (milliseconds of audio),
 * times of day are when the chair pressed the button.
 */
export type LiveState = 'recording' | 'paused' | 'stopped';

export interface LiveBreak {
  /** Milliseconds of audio recorded before the break. */
  atMs: number;
  startedAt: Date;
  endedAt: Date | null;
  reason: string;
  participantChanges: string | null;
}

export interface LiveSession {
  state: LiveState;
  breaks: LiveBreak[];
}

export const BREAK_REASON_MAX = 500;

export function liveStateOf(session: Pick<LiveSession, 'breaks'>, stopped: boolean): LiveState {
  if (stopped) return 'stopped';
  const last = session.breaks.at(-1);
  return last && last.endedAt === null ? 'paused' : 'recording';
}

/** Pausing asks why (R-2: each break with its reason). */
export function pauseLive(session: LiveSession, input: { atMs: number; at: Date; reason: string }): LiveSession {
  if (session.state !== 'recording')
    throw new RecordingStateError(
      session.state === 'paused' ? 'The recording is already paused' : 'The recording has stopped',
    );
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('INVALID_DETAILS', 'Enter the reason for the break', 'reason');
  if (reason.length > BREAK_REASON_MAX)
    throw new DomainError('INVALID_DETAILS', `The reason must be ${BREAK_REASON_MAX} characters or fewer`, 'reason');
  const previous = session.breaks.at(-1);
  if (!Number.isFinite(input.atMs) || input.atMs < 0 || (previous && input.atMs < previous.atMs)) {
    throw new DomainError('INVALID_DETAILS', 'The break must come after the last one', 'atMs');
  }
  return {
    state: 'paused',
    breaks: [
      ...session.breaks,
      { atMs: Math.round(input.atMs), startedAt: input.at, endedAt: null, reason, participantChanges: null },
    ],
  };
}

/** Resuming records any change in who is present after the break. */
export function resumeLive(session: LiveSession, input: { at: Date; participantChanges: string | null }): LiveSession {
  if (session.state !== 'paused')
    throw new RecordingStateError(
      session.state === 'recording' ? 'The recording is not paused' : 'The recording has stopped',
    );
  const changes = input.participantChanges?.trim() || null;
  if (changes && changes.length > BREAK_REASON_MAX) {
    throw new DomainError(
      'INVALID_DETAILS',
      `Changes to who is present must be ${BREAK_REASON_MAX} characters or fewer`,
      'participantChanges',
    );
  }
  const breaks = session.breaks.slice();
  const last = breaks.pop()!;
  if (input.at.getTime() < last.startedAt.getTime())
    throw new DomainError('INVALID_DETAILS', 'The break cannot end before it started', 'at');
  breaks.push({ ...last, endedAt: input.at, participantChanges: changes });
  return { state: 'recording', breaks };
}

export function stopLive(session: LiveSession, at: Date): LiveSession {
  if (session.state === 'stopped') throw new RecordingStateError('The recording has already stopped');
  const breaks = session.breaks.slice();
  const last = breaks.at(-1);
  if (session.state === 'paused' && last) breaks[breaks.length - 1] = { ...last, endedAt: at };
  return { state: 'stopped', breaks };
}

// ------------------------------------------------------------------ chunks of a live recording

/** The most a live recording may lose when a laptop fails: the browser sends a chunk this often. */
export const LIVE_CHUNK_MS = 5_000;
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

export type ChunkVerdict = { kind: 'append' } | { kind: 'duplicate' } | { kind: 'gap'; expected: number };

/**
 * Chunks are numbered from 0 and appended in order. A chunk sent again after a lost response is
 * accepted as a duplicate when its hash matches the one stored; a different chunk under the same
 * number, or a chunk ahead of the next expected one, is refused so the audio is never misordered.
 */
export function judgeChunk(next: number, seq: number, sha256: string, storedSha256ForSeq: string | null): ChunkVerdict {
  if (seq === next) return { kind: 'append' };
  if (seq < next) {
    if (storedSha256ForSeq === sha256) return { kind: 'duplicate' };
    throw new DomainError('CHUNK_CONFLICT', `Chunk ${seq} was already received with different content`);
  }
  return { kind: 'gap', expected: next };
}

// ------------------------------------------------------------------ fixity

/** A stored original is re-read on a cycle (default 90 days) and on every export; true when it is due. */
export function fixityDue(lastCheckedAt: Date | null, storedAt: Date, cycleDays: number, now: Date): boolean {
  const since = lastCheckedAt ?? storedAt;
  return now.getTime() - since.getTime() >= cycleDays * 86_400_000;
}

/** "1 h 02 min 05 s" style, for durations of recordings and offsets on the timeline. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** Parses "1:02:05", "62:05" or "5" (seconds) into milliseconds; null when it is not a time. */
export function parseOffset(text: string | null | undefined): number | null {
  const t = (text ?? '').trim();
  const m = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d{1,3})?)$/.exec(t);
  if (!m) return null;
  const parts = t.split(':');
  let seconds = 0;
  for (let i = 0; i < parts.length; i++) {
    const value = Number(parts[i]);
    if (i > 0 && value >= 60) return null;
    seconds = seconds * 60 + value;
  }
  return Math.round(seconds * 1000);
}
