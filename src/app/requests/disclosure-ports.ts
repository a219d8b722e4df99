/**
 * Ports of the disclosure copy service (src/app/requests/disclosure-copies.ts): its tables, its job
 * queue and the audio tool that makes a redacted MP3. The blob store, the age cipher and the scratch
 * folder are the audio record's own ports (src/app/recordings/ports.ts, src/app/blobs/blob-store.ts).
 */

export type CopyState = 'queued' | 'running' | 'ready' | 'failed';
export const COPY_STATES: readonly CopyState[] = ['queued', 'running', 'ready', 'failed'];

export type CopyFill = 'silence' | 'tone';
export const COPY_FILLS: readonly CopyFill[] = ['silence', 'tone'];

/** One range a requester must not hear, on the recording's own timeline, as the plan gave it. */
export interface WithheldRangeInput {
  recordingId: string;
  startMs: number;
  endMs: number;
  /** A withholding reason code ('police', 'marac', …) or the chair's own words. */
  reason: string;
  explanation: string;
  /** Who approved withholding it (the chair's name or id, as the referral recorded it). */
  approvedBy: string;
}

/** What the job needs to make (or make again, after a crash) every file of a copy. */
export interface CopyPlan {
  recordingIds: string[];
  withheld: WithheldRangeInput[];
  /** the explanatory statement of each recording, as text, by recording id. */
  statements: Record<string, string>;
}

/** One line of the withheld-content log: the range, why, who approved it, and where it is in the copy. */
export interface WithheldLogEntry {
  startMs: number;
  endMs: number;
  reason: string;
  explanation: string;
  approvedBy: string;
  /**
   * Where it is in the copy: the span the copy states as withheld and the release check measured as
   * the fill alone, in samples at `sampleRate` (start included, end excluded) and in milliseconds.
   * Logs written before samples were recorded have only the milliseconds.
   */
  output: { startMs: number; endMs: number; startSample?: number; endSample?: number; sampleRate?: number };
}

export interface DisclosureCopyRecord {
  id: string;
  requestId: string;
  conferenceId: string;
  state: CopyState;
  percent: number;
  error: string | null;
  fill: CopyFill;
  plan: CopyPlan;
  attempts: number;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface DisclosureCopyFileRecord {
  id: string;
  copyId: string;
  recordingId: string;
  ordinal: number;
  statementId: string;
  statementText: string;
  originalSha256: string;
  sha256: string;
  sizeBytes: number;
  durationMs: number;
  noticeMs: number;
  blobKey: string;
  blobSha256: string;
  blobSize: number;
  withheldLog: WithheldLogEntry[];
  createdAt: Date;
}

export type CopyChange = Partial<
  Pick<DisclosureCopyRecord, 'state' | 'percent' | 'error' | 'attempts' | 'startedAt' | 'finishedAt'>
> & { updatedAt: Date };

export interface DisclosureCopiesRepository {
  /** The request a copy is for: its conference and step, or null when there is no such request. */
  requestFacts(requestId: string): Promise<{ conferenceId: string; state: string } | null>;
  insert(
    copy: Omit<
      DisclosureCopyRecord,
      'id' | 'percent' | 'error' | 'attempts' | 'startedAt' | 'finishedAt' | 'updatedAt'
    >,
  ): Promise<DisclosureCopyRecord>;
  /** With `lock`, the row is locked for the rest of the transaction. */
  find(id: string, opts?: { lock?: boolean }): Promise<DisclosureCopyRecord | null>;
  update(id: string, change: CopyChange): Promise<void>;
  /** Sets the percentage only while the copy is running and only upwards (progress never goes back). */
  setPercent(id: string, percent: number, at: Date): Promise<void>;
  listForRequest(requestId: string): Promise<DisclosureCopyRecord[]>;
  insertFile(file: Omit<DisclosureCopyFileRecord, 'id' | 'statementId'>): Promise<DisclosureCopyFileRecord>;
  /** In recording order. */
  listFiles(copyId: string): Promise<DisclosureCopyFileRecord[]>;
  /** Copies queued or running whose row has not changed since `before` (a crash, a lost job). */
  stalled(before: Date): Promise<string[]>;
  /** Every blob key a copy's file refers to (for the orphan sweep). */
  referencedBlobKeys(): Promise<string[]>;
}

export interface DisclosureQueue {
  enqueueCopy(copyId: string): Promise<void>;
}

/** Where a withheld range is in the copy (after the notice), in ms and in samples (end excluded). */
export interface RedactedRange {
  startMs: number;
  endMs: number;
  startSample: number;
  endSample: number;
}

/** The audio tool (src/infra/audio makeRedactedCopy): sample-exact fill, notice first, checked before release. */
export interface DisclosureAudio {
  makeRedactedCopy(opts: {
    input: string;
    output: string;
    withheld: Array<{ startMs: number; endMs: number }>;
    fill: CopyFill;
    notice?: { kind: 'speech'; text: string; gapMs?: number } | { kind: 'tone'; seconds: number; gapMs?: number };
    durationMs?: number;
    /** The recording's playback copy: when it can be, the copy is spliced from it (only the seams re-encoded). */
    playbackCopy?: string;
    onProgress?: (fraction: number) => void;
  }): Promise<{
    durationMs: number;
    statedRanges: RedactedRange[];
    noticeSamples: number;
    sampleRate: number;
    sha256: string;
    sizeBytes: number;
    /** Spliced from the playback copy, or made in full from the original (and then why, when a playback copy was given). */
    method: 'spliced' | 'full';
    fallbackReason?: string;
  }>;
  /** Whether a spoken notice can be made here (espeak-ng); otherwise a tone and the written notice. */
  speechAvailable(): Promise<boolean>;
}

/** A private scratch folder (0700) for plaintext while a copy is made; files are removed after. */
export interface CopyScratch {
  scratchPath(name: string): string;
}
