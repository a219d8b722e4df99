/**
 * Disclosure copies: for a request, an MP3 of each recording with every range the
 * requester must not hear replaced, to the sample, by silence or a tone, a spoken notice first and the
 * explanatory statement in the file's ID3 text and kept as text beside it. The original is only
 * read: it is decrypted to a private scratch file, its SHA-256 checked on the way (a mismatch fails
 * the copy and raises the fixity alert), and it is never written.
 *
 * `start` records the copy and queues the `disclosure-copy` job, so a two-hour recording never holds up
 * the web process; `run` (the job) is idempotent: files already stored are kept, a crash part-way
 * resumes with the next recording. Progress is kept in the table as a percentage.
 */
import { isId } from '../../domain/shared/ids.ts';
import { cipherHashHolds } from '../blobs/key-custody.ts';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hasAnyRole, type Actor, type Role } from '../../domain/access/roles.ts';
import { formatLongDate } from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { statementText, WITHHOLDING_REASON_LABELS, type WithholdingReason } from '../../domain/recordings/index.ts';
import { REQUEST_STEP_ROLES, REQUEST_VIEW_ROLES } from '../../domain/requests/workflow.ts';
import {
  AccessDeniedError,
  DomainError,
  NotFoundError,
  InvalidDetailsError,
  ProblemList,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import type { RecordingLogger } from '../recordings/recording-service.ts';
import type { RecordingCipher, RecordingRecord } from '../recordings/ports.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import { id3Tag } from './disclosure-id3.ts';
import { decryptPlaybackSource } from './disclosure-playback.ts';
import { copyReadyWithin } from './request-access.ts';
import type {
  CopyFill,
  CopyPlan,
  CopyScratch,
  CopyState,
  DisclosureAudio,
  DisclosureCopyFileRecord,
  DisclosureCopyRecord,
  DisclosureQueue,
  WithheldLogEntry,
  WithheldRangeInput,
} from './disclosure-ports.ts';

/** Who prepares a copy (A-3, A-4: business support). */
const PREPARE_ROLES: readonly Role[] = REQUEST_STEP_ROLES['prepare-copy'];
/** Who may listen to a prepared copy: the preparer's role and everyone who may approve it. */
const LISTEN_ROLES: readonly Role[] = [
  ...new Set([...REQUEST_STEP_ROLES['prepare-copy'], ...REQUEST_STEP_ROLES['approve-copy']]),
];
/** Steps of the request at which no copy is made any more. */
const CLOSED_REQUEST_STATES = ['sent', 'notified', 'closed', 'refused', 'withdrawn'];

export const DEFAULT_MAX_ATTEMPTS = 3;
/** Silence between the notice and the recording. */
export const NOTICE_GAP_MS = 500;
export const REASON_MAX = 200;
export const EXPLANATION_MAX = 2_000;
export const STATEMENT_MAX = 20_000;
export const PURPOSE_MAX = 500;
/** Copies queued or running with no progress for this long are queued again (the job is idempotent). */
export const STALLED_COPY_MS = 30 * 60_000;

export const DEFAULT_NOTICES = {
  silence:
    'This is a copy of a recording of a child protection conference. It is confidential: do not share it with anyone or put it online. Some parts have been replaced with silence because they cannot be shared with you.',
  tone: 'This is a copy of a recording of a child protection conference. It is confidential: do not share it with anyone or put it online. Some parts have been replaced with a tone because they cannot be shared with you.',
  nothingWithheld:
    'This is a copy of a recording of a child protection conference. It is confidential: do not share it with anyone or put it online.',
} as const;

export interface DisclosureCopyServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  cipher: RecordingCipher;
  audio: DisclosureAudio;
  scratch: CopyScratch;
  queue: DisclosureQueue;
  logger: RecordingLogger;
  settings?: {
    fill?: CopyFill;
    maxAttempts?: number;
    notices?: { silence: string; tone: string; nothingWithheld: string };
  };
}

export interface StartCopyInput {
  requestId: string;
  conferenceId: string;
  recordingIds: string[];
  withheld: WithheldRangeInput[];
  /** R-2 text to carry, by recording id; otherwise the recording's latest confirmed statement. */
  statements?: Record<string, string>;
  /** Default: the service's setting (silence). */
  fill?: CopyFill;
}

export interface CopyFileView {
  fileId: string;
  statementFileId: string;
  recordingId: string;
  ordinal: number;
  fileName: string;
  statementFileName: string;
  sizeBytes: number;
  sha256: string;
  /** the original it was made from. */
  originalSha256: string;
  durationMs: number;
  noticeMs: number;
  statementText: string;
  withheld: Array<WithheldLogEntry & { reasonLabel: string }>;
}

export interface CopyStatus {
  copyId: string;
  requestId: string;
  conferenceId: string;
  state: CopyState;
  percent: number;
  error: string | null;
  fill: CopyFill;
  createdAt: Date;
  finishedAt: Date | null;
  files: CopyFileView[];
}

/** One file a requester can download (the MP3, and the statement as text beside it). */
export interface CopyFileEntry {
  fileId: string;
  kind: 'audio' | 'statement';
  recordingId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the file's bytes: its version, the requester's download's strong ETag. */
  sha256: string;
}

export interface OpenedCopyFile {
  stream: Readable;
  /** The whole file's size. */
  sizeBytes: number;
  /** The bytes served (inclusive), when a range was asked for. */
  range: { start: number; end: number } | null;
  fileName: string;
  mediaType: string;
  sha256: string;
}

export class DisclosureCopyError extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(code, message, field);
    this.name = 'DisclosureCopyError';
  }
}

/** A copy that cannot be made, whatever is tried again: recorded as failed, not retried. */
class CopyFailure extends Error {}

const bindingOf = (copyId: string, recordingId: string) => `disclosure:${copyId}:${recordingId}`;
const originalBinding = (recordingId: string) => `recording:${recordingId}:original`;
const SYSTEM: RequestContext = { actor: { id: null, label: 'system: disclosure copy' } };
const ctxOf = (actor: Actor): RequestContext => ({ actor: { id: actor.id, label: actor.name } });

function reasonLabel(reason: string): string {
  return WITHHOLDING_REASON_LABELS[reason as WithholdingReason] ?? reason;
}

/**
 * A withheld span as the copy states it: the times, rounded inward so they never claim a kept
 * sample, then the exact samples. "0:00:03.550 to 0:00:05.550 (samples 170400 to 266400 of 48000 a second)".
 */
export function withheldSpanText(o: WithheldLogEntry['output']): string {
  const times = `${clockOf(o.startMs, Math.ceil)} to ${clockOf(o.endMs, Math.floor)}`;
  return o.startSample === undefined || o.endSample === undefined || !o.sampleRate
    ? times
    : `${times} (samples ${o.startSample} to ${o.endSample} of ${o.sampleRate} a second)`;
}

/** "1:02:05.250": a moment in the copy, to the millisecond. */
function clockOf(ms: number, round: (x: number) => number = Math.round): string {
  // A whole millisecond computed from samples may come out a hair either side of it.
  const total = Math.max(0, round(Math.round(ms * 1e6) / 1e6));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const frac = total % 1000;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${h}:${pad(m)}:${pad(s)}.${pad(frac, 3)}`;
}

function fileNames(copyId: string, ordinal: number): { audio: string; statement: string } {
  const base = `copy-${copyId.slice(0, 8)}-recording-${ordinal}`;
  return { audio: `${base}.mp3`, statement: `${base}-statement.txt` };
}

/** The files of a ready copy, in order, read in the caller's transaction (none while it is not ready). */
export async function copyFilesWithin(repos: Repositories, copyId: string): Promise<CopyFileEntry[]> {
  if (!isId(copyId)) return [];
  const copy = await repos.disclosureCopies.find(copyId);
  if (!copy || copy.state !== 'ready') return [];
  return (await repos.disclosureCopies.listFiles(copyId)).flatMap((f) => {
    const names = fileNames(copy.id, f.ordinal);
    return [
      {
        fileId: f.id,
        kind: 'audio' as const,
        recordingId: f.recordingId,
        fileName: names.audio,
        mediaType: 'audio/mpeg',
        sizeBytes: f.sizeBytes,
        sha256: f.sha256,
      },
      {
        fileId: f.statementId,
        kind: 'statement' as const,
        recordingId: f.recordingId,
        fileName: names.statement,
        mediaType: 'text/plain; charset=utf-8',
        sizeBytes: Buffer.byteLength(f.statementText, 'utf8'),
        sha256: createHash('sha256').update(f.statementText, 'utf8').digest('hex'),
      },
    ];
  });
}

export class DisclosureCopyService {
  private readonly deps: DisclosureCopyServiceDeps;

  constructor(deps: DisclosureCopyServiceDeps) {
    this.deps = deps;
  }

  private get maxAttempts(): number {
    return this.deps.settings?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    copyId: string,
    details: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ) {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'disclosure_copy', id: copyId },
      outcome,
      details,
    });
  }

  // ---------------------------------------------------------------- starting a copy

  /**
   * Records a copy for the request (state queued) and queues the job that makes it. Refused when a
   * recording is not stored, failed its last integrity check, is not of this conference, or has no
   * explanatory statement; when a withheld range is not usable; or when the request is finished.
   */
  async start(actor: Actor, input: StartCopyInput, ctx: RequestContext = ctxOf(actor)): Promise<{ copyId: string }> {
    if (!hasAnyRole(actor, PREPARE_ROLES)) throw new AccessDeniedError('Only business support can prepare a copy');
    const plan = this.checkInput(input);
    const fill = input.fill ?? this.deps.settings?.fill ?? 'silence';
    if (fill !== 'silence' && fill !== 'tone')
      throw new InvalidDetailsError([{ field: 'fill', message: 'Select silence or a tone' }]);
    if (!isId(input.requestId)) throw new NotFoundError('The request');
    const copy = await withConferenceAccess(
      this.deps.uow,
      actor,
      input.conferenceId,
      'view',
      'disclosure_copy.started',
      ctx,
      async (repos) => {
        const request = await repos.disclosureCopies.requestFacts(input.requestId);
        if (!request || request.conferenceId !== input.conferenceId) throw new NotFoundError('The request');
        if (CLOSED_REQUEST_STATES.includes(request.state))
          throw new DisclosureCopyError(
            'REQUEST_FINISHED',
            'This request has been sent or has ended, so no new copy can be made for it',
          );
        const conference = await repos.meeting.findConference(input.conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const title = `Explanatory statement: ${CONFERENCE_TYPE_LABELS[conference.type]} on ${formatLongDate(conference.scheduledDate)}`;
        const problems = new ProblemList();
        const statements: Record<string, string> = {};
        for (const [i, recordingId] of plan.recordingIds.entries()) {
          const field = `recordingIds[${i}]`;
          const recording = await repos.recordings.find(recordingId);
          if (!recording || recording.conferenceId !== input.conferenceId) {
            problems.add(field, `Recording ${i + 1} is not a recording of this conference`);
            continue;
          }
          if (
            recording.status !== 'stored' ||
            !recording.originalSha256 ||
            !recording.originalBlobKey ||
            recording.durationMs === null
          ) {
            problems.add(field, `Recording ${i + 1} is not stored yet, so no copy can be made of it`);
            continue;
          }
          const lastCheck = (await repos.recordings.listFixityEvents(recordingId))
            .filter((e) => e.derivativeId === null)
            .at(-1);
          if (lastCheck && lastCheck.result !== 'ok') {
            problems.add(
              field,
              `Recording ${i + 1} failed its last integrity check, so no copy can be made of it until that has been dealt with`,
            );
            continue;
          }
          plan.withheld.forEach((w, j) => {
            if (w.recordingId === recordingId && w.startMs >= recording.durationMs!) {
              problems.add(
                `withheld[${j}].startMs`,
                `Withheld part ${j + 1} starts after the end of recording ${i + 1}`,
              );
            }
          });
          const given = input.statements?.[recordingId]?.trim();
          if (given) {
            statements[recordingId] = given;
            continue;
          }
          const confirmed = (await repos.recordings.listStatements(recordingId)).at(-1);
          if (!confirmed) {
            problems.add(
              `statements.${recordingId}`,
              `Confirm the explanatory statement of recording ${i + 1} before a copy is made`,
            );
            continue;
          }
          statements[recordingId] = statementText(confirmed.content, title);
        }
        problems.throwIfAny();
        const now = this.deps.clock.now();
        const created = await repos.disclosureCopies.insert({
          requestId: input.requestId,
          conferenceId: input.conferenceId,
          state: 'queued',
          fill,
          plan: { ...plan, statements },
          createdBy: actor.id,
          createdAt: now,
        });
        await this.audit(repos, ctx, 'disclosure_copy.started', created.id, {
          requestId: input.requestId,
          conferenceId: input.conferenceId,
          recordingIds: plan.recordingIds,
          withheldRanges: plan.withheld.length,
          fill,
        });
        return created;
      },
    );
    await this.deps.queue.enqueueCopy(copy.id);
    return { copyId: copy.id };
  }

  private checkInput(input: StartCopyInput): Omit<CopyPlan, 'statements'> {
    const p = new ProblemList();
    const ids = Array.isArray(input.recordingIds) ? input.recordingIds : [];
    if (ids.length === 0) p.add('recordingIds', 'Select the recording or recordings to copy');
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || !isId(id))
        p.add(`recordingIds[${i}]`, `Recording ${i + 1} is not a recording of this conference`);
    });
    if (new Set(ids).size !== ids.length) p.add('recordingIds', 'Select each recording once');
    const withheld = Array.isArray(input.withheld) ? input.withheld : [];
    const clean: WithheldRangeInput[] = [];
    withheld.forEach((w, j) => {
      const f = `withheld[${j}]`;
      const n = j + 1;
      if (!ids.includes(w.recordingId))
        p.add(`${f}.recordingId`, `Withheld part ${n} is not in a recording being copied`);
      if (!Number.isFinite(w.startMs) || w.startMs < 0)
        p.add(`${f}.startMs`, `Withheld part ${n} must start at a time in the recording`);
      if (!Number.isFinite(w.endMs) || !(w.endMs > w.startMs))
        p.add(`${f}.endMs`, `Withheld part ${n} must end after it starts`);
      const reason = (w.reason ?? '').trim();
      if (!reason) p.add(`${f}.reason`, `Give the reason withheld part ${n} is withheld`);
      else if (reason.length > REASON_MAX)
        p.add(`${f}.reason`, `The reason for withheld part ${n} must be ${REASON_MAX} characters or fewer`);
      const explanation = (w.explanation ?? '').trim();
      if (!explanation) p.add(`${f}.explanation`, `Explain why withheld part ${n} is withheld`);
      else if (explanation.length > EXPLANATION_MAX)
        p.add(
          `${f}.explanation`,
          `The explanation of withheld part ${n} must be ${EXPLANATION_MAX.toLocaleString('en-GB')} characters or fewer`,
        );
      const approvedBy = (w.approvedBy ?? '').trim();
      if (!approvedBy) p.add(`${f}.approvedBy`, `Say who approved withholding part ${n}`);
      else if (approvedBy.length > REASON_MAX)
        p.add(`${f}.approvedBy`, `Who approved withholding part ${n} must be ${REASON_MAX} characters or fewer`);
      clean.push({ recordingId: w.recordingId, startMs: w.startMs, endMs: w.endMs, reason, explanation, approvedBy });
    });
    Object.entries(input.statements ?? {}).forEach(([id, text]) => {
      if (typeof text === 'string' && text.trim().length > STATEMENT_MAX)
        p.add(
          `statements.${id}`,
          `The explanatory statement must be ${STATEMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
        );
    });
    p.throwIfAny();
    return { recordingIds: [...ids], withheld: clean };
  }

  // ---------------------------------------------------------------- the job

  /**
   * Makes every file of the copy not yet made. Idempotent: a copy already ready or failed is left
   * alone; files stored by an earlier attempt are kept. A copy that cannot be made (the original
   * failed its check, a range the tool refuses) is recorded as failed with the reason; any other
   * failure is recorded and thrown for the queue to retry, until the last attempt, which records it
   * as failed.
   */
  async run(copyId: string): Promise<CopyState> {
    const now = this.deps.clock.now();
    const claimed = await this.deps.uow.run(async (repos) => {
      const copy = await repos.disclosureCopies.find(copyId, { lock: true });
      if (!copy) throw new NotFoundError('The disclosure copy');
      if (copy.state === 'ready' || copy.state === 'failed') return { copy, run: false };
      const attempts = copy.attempts + 1;
      await repos.disclosureCopies.update(copyId, {
        state: 'running',
        attempts,
        startedAt: copy.startedAt ?? now,
        updatedAt: now,
      });
      return { copy: { ...copy, state: 'running' as const, attempts }, run: true };
    });
    if (!claimed.run) return claimed.copy.state;
    const copy = claimed.copy;
    try {
      const files = await this.makeFiles(copy);
      await this.deps.uow.run(async (repos) => {
        const at = this.deps.clock.now();
        await repos.disclosureCopies.update(copyId, {
          state: 'ready',
          percent: 100,
          error: null,
          finishedAt: at,
          updatedAt: at,
        });
        await this.audit(repos, SYSTEM, 'disclosure_copy.ready', copyId, {
          requestId: copy.requestId,
          files: files.map((f) => ({
            recordingId: f.recordingId,
            sha256: f.sha256,
            originalSha256: f.originalSha256,
            sizeBytes: f.sizeBytes,
            withheldRanges: f.withheldLog.length,
          })),
        });
      });
      this.deps.logger.info({ copyId, files: files.length }, 'disclosure copy ready');
      return 'ready';
    } catch (err) {
      const permanent = err instanceof CopyFailure || err instanceof DomainError;
      const last = copy.attempts >= this.maxAttempts;
      const message = (err as Error).message;
      const at = this.deps.clock.now();
      if (permanent || last) {
        const error = permanent ? message : `The copy could not be made after ${copy.attempts} attempts: ${message}`;
        await this.deps.uow.run(async (repos) => {
          await repos.disclosureCopies.update(copyId, { state: 'failed', error, finishedAt: at, updatedAt: at });
          await this.audit(
            repos,
            SYSTEM,
            'disclosure_copy.failed',
            copyId,
            { requestId: copy.requestId, error, attempts: copy.attempts },
            'failure',
          );
        });
        this.deps.logger.error(
          { copyId, attempts: copy.attempts, err: permanent ? undefined : err },
          'disclosure copy failed',
        );
        return 'failed';
      }
      await this.deps.uow.run((repos) =>
        repos.disclosureCopies.update(copyId, {
          state: 'queued',
          error: `Attempt ${copy.attempts} failed and the copy will be tried again: ${message}`,
          updatedAt: at,
        }),
      );
      this.deps.logger.warn(
        { copyId, attempts: copy.attempts, err },
        'disclosure copy attempt failed; it will be retried',
      );
      throw err;
    }
  }

  private async makeFiles(copy: DisclosureCopyRecord): Promise<DisclosureCopyFileRecord[]> {
    const plan = copy.plan;
    const n = plan.recordingIds.length;
    const existing = await this.deps.uow.run((repos) => repos.disclosureCopies.listFiles(copy.id));
    const done = new Map(existing.map((f) => [f.recordingId, f]));
    let reported = Math.max(0, ...existing.map((f) => Math.floor((100 * f.ordinal) / n)));
    let writes: Promise<void> = Promise.resolve();
    const progress = (index: number, fraction: number) => {
      const pct = Math.min(99, Math.floor((100 * (index + Math.min(1, Math.max(0, fraction)))) / n));
      if (pct <= reported) return;
      reported = pct;
      const at = this.deps.clock.now();
      writes = writes
        .then(() => this.deps.uow.run((repos) => repos.disclosureCopies.setPercent(copy.id, pct, at)))
        .catch((err: unknown) =>
          this.deps.logger.warn({ copyId: copy.id, err }, 'could not record the progress of a disclosure copy'),
        );
    };
    const speech = await this.deps.audio.speechAvailable();
    if (!speech)
      this.deps.logger.warn(
        { copyId: copy.id },
        'espeak-ng is not installed: the copy starts with a tone, and the notice is written in the file',
      );
    const out: DisclosureCopyFileRecord[] = [];
    for (const [index, recordingId] of plan.recordingIds.entries()) {
      const made = done.get(recordingId);
      if (made) {
        out.push(made);
        continue;
      }
      out.push(await this.makeFile(copy, index, recordingId, speech, (f) => progress(index, f)));
      progress(index, 1);
      await writes;
    }
    await writes;
    return out;
  }

  private async makeFile(
    copy: DisclosureCopyRecord,
    index: number,
    recordingId: string,
    speech: boolean,
    progress: (fraction: number) => void,
  ): Promise<DisclosureCopyFileRecord> {
    const recording = await this.deps.uow.run((repos) => repos.recordings.find(recordingId));
    if (
      !recording ||
      recording.status !== 'stored' ||
      !recording.originalBlobKey ||
      !recording.originalSha256 ||
      recording.durationMs === null
    ) {
      throw new CopyFailure(`Recording ${index + 1} is no longer stored, so no copy can be made of it`);
    }
    const stem = `copy-${copy.id}-${index + 1}`;
    const originalPath = this.deps.scratch.scratchPath(`${stem}.original`);
    const mp3Path = this.deps.scratch.scratchPath(`${stem}.mp3`);
    const taggedPath = this.deps.scratch.scratchPath(`${stem}.tagged.mp3`);
    const playbackPath = this.deps.scratch.scratchPath(`${stem}.playback.mp3`);
    const cleanUp = () =>
      Promise.all([originalPath, mp3Path, taggedPath, playbackPath].map((p) => rm(p, { force: true })));
    await cleanUp();
    try {
      await this.decryptOriginal(copy.id, index, recording, originalPath, (f) => progress(0.1 * f));
      // The playback copy, when it can be spliced from: only the frames around each withheld range are re-encoded.
      const playback = await decryptPlaybackSource(this.deps, recording, playbackPath);

      const ranges = copy.plan.withheld
        .filter((w) => w.recordingId === recordingId)
        .sort((a, b) => a.startMs - b.startMs);
      const notices = this.deps.settings?.notices ?? DEFAULT_NOTICES;
      const noticeText = ranges.length === 0 ? notices.nothingWithheld : notices[copy.fill];
      const redact = (gapMs: number) =>
        this.deps.audio.makeRedactedCopy({
          input: originalPath,
          output: mp3Path,
          withheld: ranges.map((r) => ({ startMs: r.startMs, endMs: r.endMs })),
          fill: copy.fill,
          notice: speech ? { kind: 'speech', text: noticeText, gapMs } : { kind: 'tone', seconds: 2, gapMs },
          durationMs: recording.durationMs!,
          ...(playback.usable ? { playbackCopy: playbackPath } : {}),
          onProgress: (f) => progress(0.1 + 0.8 * f),
        });
      // A copy whose length ends just past an MP3 frame edge is padded by the audio tool itself (redaction.ts, frameEdgePadding).
      const made = await redact(NOTICE_GAP_MS);
      // The original and the playback copy are no longer needed in plaintext.
      await Promise.all([rm(originalPath, { force: true }), rm(playbackPath, { force: true })]);
      // Which way the file was made, and why not spliced: facts about the files, no personal data.
      this.deps.logger.info(
        {
          copyId: copy.id,
          file: index + 1,
          method: made.method,
          ...(made.method === 'full' ? { reason: playback.usable ? made.fallbackReason : playback.reason } : {}),
        },
        'disclosure copy file made',
      );
      const noticeMs = (made.noticeSamples * 1000) / made.sampleRate;
      // each range as the copy states it, in samples: exactly what the release check measured as silent.
      const withheldLog: WithheldLogEntry[] = ranges.map((r, i) => {
        const o = made.statedRanges[i];
        if (!o) throw new Error('The audio tool did not say where a withheld range is in the copy');
        const output = {
          startMs: o.startMs,
          endMs: o.endMs,
          startSample: o.startSample,
          endSample: o.endSample,
          sampleRate: made.sampleRate,
        };
        return {
          startMs: r.startMs,
          endMs: r.endMs,
          reason: r.reason,
          explanation: r.explanation,
          approvedBy: r.approvedBy,
          output,
        };
      });

      // The ID3 tag: the written notice, the statement, what it was made from and what was withheld.
      const statement = copy.plan.statements[recordingId] ?? '';
      const tag = id3Tag({
        title: `Copy of a conference recording (${index + 1} of ${copy.plan.recordingIds.length})`,
        comment: noticeText,
        extra: [
          ['Explanatory statement', statement],
          ['Made from', `Original recording ${recordingId}, SHA-256 ${recording.originalSha256}`],
          [
            'Withheld',
            withheldLog.length === 0
              ? 'Nothing was withheld.'
              : withheldLog.map((w) => `${withheldSpanText(w.output)}: replaced with ${copy.fill}`).join('\n'),
          ],
        ],
      });
      const { sha256, size } = await this.writeTagged(tag, mp3Path, taggedPath);
      await rm(mp3Path, { force: true });
      progress(0.93);

      const binding = bindingOf(copy.id, recordingId);
      const stored = await this.deps.blobs.put(this.deps.cipher.encrypt(createReadStream(taggedPath), binding));
      try {
        // Read back: the stored file must decrypt to exactly what was made.
        const back = createHash('sha256');
        await pipeline(
          this.deps.cipher.decrypt(await this.deps.blobs.get(stored.key), binding),
          async (source: AsyncIterable<Buffer>) => {
            for await (const chunk of source) back.update(chunk);
          },
        );
        if (back.digest('hex') !== sha256) throw new Error('The stored copy did not read back correctly');
        const at = this.deps.clock.now();
        return await this.deps.uow.run(async (repos) => {
          const current = await repos.disclosureCopies.find(copy.id, { lock: true });
          if (current?.state !== 'running') throw new Error('The copy changed while it was being made');
          const already = (await repos.disclosureCopies.listFiles(copy.id)).find((f) => f.recordingId === recordingId);
          if (already) {
            await this.deps.blobs.delete(stored.key);
            return already;
          }
          return repos.disclosureCopies.insertFile({
            copyId: copy.id,
            recordingId,
            ordinal: index + 1,
            statementText: statement,
            originalSha256: recording.originalSha256!,
            sha256,
            sizeBytes: size,
            durationMs: Math.round(made.durationMs),
            noticeMs: Math.round(noticeMs),
            blobKey: stored.key,
            blobSha256: stored.sha256,
            blobSize: stored.size,
            withheldLog,
            createdAt: at,
          });
        });
      } catch (err) {
        await this.deps.blobs.delete(stored.key).catch(() => undefined);
        throw err;
      }
    } finally {
      await cleanUp();
    }
  }

  /**
   * Decrypts the original to a private scratch file (0600), hashing both the encrypted and the plain
   * bytes on the way. Any difference from what was stored (or a file that does not decrypt) fails the
   * copy, is recorded as a fixity event and raises the same alert as the fixity cycle.
   */
  private async decryptOriginal(
    copyId: string,
    index: number,
    recording: RecordingRecord,
    target: string,
    progress: (fraction: number) => void,
  ): Promise<void> {
    const fh = await open(target, 'wx', 0o600);
    await fh.close();
    const cipherHash = createHash('sha256');
    const plainHash = createHash('sha256');
    const total = recording.originalSize ?? 0;
    let seen = 0;
    let failure: { result: 'mismatch' | 'missing' | 'unreadable'; detail: string } | null = null;
    try {
      const encrypted = await this.deps.blobs.get(recording.originalBlobKey!);
      encrypted.on('data', (c: Buffer) => cipherHash.update(c));
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          plainHash.update(chunk);
          seen += chunk.length;
          if (total > 0) progress(seen / total);
          done(null, chunk);
        },
      });
      await pipeline(
        this.deps.cipher.decrypt(encrypted, originalBinding(recording.id)),
        tap,
        createWriteStream(target, { flags: 'r+', mode: 0o600 }),
      );
    } catch (err) {
      if (err instanceof NotFoundError) failure = { result: 'missing', detail: 'The stored original is missing' };
      else if ((err as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test(String((err as NodeJS.ErrnoException).code)))
        throw err;
      else failure = { result: 'mismatch', detail: `The stored original does not decrypt: ${(err as Error).message}` };
    }
    if (!failure) {
      // The recorded hash, or one the recordings key's rotation led to (src/app/blobs/key-custody.ts).
      const cipher = cipherHash.digest('hex');
      if (!(await cipherHashHolds(this.deps.uow, recording.originalBlobKey!, recording.originalBlobSha256!, cipher)))
        failure = { result: 'mismatch', detail: 'The encrypted original’s SHA-256 has changed' };
      else if (plainHash.digest('hex') !== recording.originalSha256)
        failure = { result: 'mismatch', detail: 'The recording’s SHA-256 has changed' };
    }
    const now = this.deps.clock.now();
    await this.deps.uow.run(async (repos) => {
      await repos.recordings.insertFixityEvent({
        recordingId: recording.id,
        derivativeId: null,
        trigger: 'export',
        result: failure?.result ?? 'ok',
        detail: failure
          ? `${failure.detail} (read to make disclosure copy ${copyId})`
          : `Read in full to make disclosure copy ${copyId}`,
        checkedAt: now,
      });
      await repos.audit.record({
        action: 'recording.fixity_checked',
        actor: SYSTEM.actor,
        subject: { type: 'recording', id: recording.id },
        outcome: failure ? 'failure' : 'success',
        details: {
          trigger: 'export',
          disclosureCopyId: copyId,
          results: [{ derivativeId: null, result: failure?.result ?? 'ok' }],
        },
      });
    });
    if (failure) {
      this.deps.logger.fatal(
        { alert: 'recording-fixity', recordingId: recording.id, result: failure.result, disclosureCopyId: copyId },
        failure.detail,
      );
      throw new CopyFailure(
        `Recording ${index + 1} failed its integrity check when it was read to make the copy (${failure.detail.charAt(0).toLowerCase()}${failure.detail.slice(1)}), so no copy was made. The failure has been reported.`,
      );
    }
  }

  /** The tag followed by the MP3, written 0600 and flushed to disk; its SHA-256 and size. */
  private async writeTagged(
    tag: Buffer,
    mp3Path: string,
    taggedPath: string,
  ): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(taggedPath, 'wx', 0o600);
    try {
      const write = async (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        await fh.write(chunk);
      };
      await write(tag);
      for await (const chunk of createReadStream(mp3Path, { highWaterMark: 1 << 20 })) await write(chunk as Buffer);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { sha256: hash.digest('hex'), size };
  }

  /** Copies left queued or running by a crash or a lost job are queued again. */
  async requeueStalled(olderThanMs = STALLED_COPY_MS): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - olderThanMs);
    const ids = await this.deps.uow.run((repos) => repos.disclosureCopies.stalled(before));
    for (const id of ids) await this.deps.queue.enqueueCopy(id);
    return ids.length;
  }

  async referencedBlobKeys(): Promise<string[]> {
    return this.deps.uow.run((repos) => repos.disclosureCopies.referencedBlobKeys());
  }

  // ---------------------------------------------------------------- reading

  private async withCopy<T>(
    actor: Actor,
    ctx: RequestContext,
    copyId: string,
    roles: readonly Role[],
    action: string,
    fn: (repos: Repositories, copy: DisclosureCopyRecord) => Promise<T>,
  ): Promise<T> {
    if (!hasAnyRole(actor, roles)) throw new AccessDeniedError('You do not have access to copies of recordings');
    const conferenceId = isId(copyId)
      ? await this.deps.uow.run(async (repos) => (await repos.disclosureCopies.find(copyId))?.conferenceId ?? null)
      : null;
    if (!conferenceId) throw new NotFoundError('The disclosure copy');
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', action, ctx, async (repos) => {
      const copy = await repos.disclosureCopies.find(copyId);
      if (!copy) throw new NotFoundError('The disclosure copy');
      return fn(repos, copy);
    });
  }

  /** State and percentage only, for a page that refreshes while the copy is made (not audited: nothing sensitive). */
  async progress(
    actor: Actor,
    copyId: string,
    ctx: RequestContext = ctxOf(actor),
  ): Promise<{ requestId: string; state: CopyState; percent: number; error: string | null }> {
    return this.withCopy(actor, ctx, copyId, REQUEST_VIEW_ROLES, 'disclosure_copy.progress', async (_repos, copy) => ({
      requestId: copy.requestId,
      state: copy.state,
      percent: copy.percent,
      error: copy.error,
    }));
  }

  /** Everything about a copy, its files and the withheld-content log. Audited as a view. */
  async status(actor: Actor, copyId: string, ctx: RequestContext = ctxOf(actor)): Promise<CopyStatus> {
    return this.withCopy(actor, ctx, copyId, REQUEST_VIEW_ROLES, 'disclosure_copy.viewed', async (repos, copy) => {
      const files = await repos.disclosureCopies.listFiles(copyId);
      await this.audit(repos, ctx, 'disclosure_copy.viewed', copyId, { requestId: copy.requestId });
      return {
        copyId: copy.id,
        requestId: copy.requestId,
        conferenceId: copy.conferenceId,
        state: copy.state,
        percent: copy.percent,
        error: copy.error,
        fill: copy.fill,
        createdAt: copy.createdAt,
        finishedAt: copy.finishedAt,
        files: files.map((f) => {
          const names = fileNames(copy.id, f.ordinal);
          return {
            fileId: f.id,
            statementFileId: f.statementId,
            recordingId: f.recordingId,
            ordinal: f.ordinal,
            fileName: names.audio,
            statementFileName: names.statement,
            sizeBytes: f.sizeBytes,
            sha256: f.sha256,
            originalSha256: f.originalSha256,
            durationMs: f.durationMs,
            noticeMs: f.noticeMs,
            statementText: f.statementText,
            withheld: f.withheldLog.map((w) => ({ ...w, reasonLabel: reasonLabel(w.reason) })),
          };
        }),
      };
    });
  }

  /** The copies made for a request, newest last (for the request page). */
  async listForRequest(
    actor: Actor,
    requestId: string,
    ctx: RequestContext = ctxOf(actor),
  ): Promise<Array<{ copyId: string; state: CopyState; percent: number; error: string | null; createdAt: Date }>> {
    if (!hasAnyRole(actor, REQUEST_VIEW_ROLES))
      throw new AccessDeniedError('You do not have access to copies of recordings');
    const conferenceId = isId(requestId)
      ? await this.deps.uow.run(
          async (repos) => (await repos.disclosureCopies.requestFacts(requestId))?.conferenceId ?? null,
        )
      : null;
    if (!conferenceId) throw new NotFoundError('The request');
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'disclosure_copy.list',
      ctx,
      async (repos) =>
        (await repos.disclosureCopies.listForRequest(requestId)).map((c) => ({
          copyId: c.id,
          state: c.state,
          percent: c.percent,
          error: c.error,
          createdAt: c.createdAt,
        })),
    );
  }

  /** The copy is ready, every file made, and it was made for this request. */
  async copyReady(copyId: string, requestId: string): Promise<boolean> {
    return this.deps.uow.run((repos) => copyReadyWithin(repos, copyId, requestId));
  }

  /** The files of a ready copy, for the requester's download page (none while it is not ready). */
  async list(copyId: string): Promise<CopyFileEntry[]> {
    return this.deps.uow.run((repos) => copyFilesWithin(repos, copyId));
  }

  /**
   * A file of a ready copy, decrypted (the whole file or one byte range), with a download name that
   * holds no personal data. The caller has decided who may have it (the requester's delivery, or
   * `listen` for staff); every open is audited with its purpose, except with `audited: true`: the caller has
   * audited what this open serves (the requester's download window, audited once when it was granted, whose
   * resumed pieces are not audited one by one).
   */
  async openFile(
    copyId: string,
    fileId: string,
    opts: { purpose: string; ctx: RequestContext; range?: { start: number; end: number }; audited?: true },
  ): Promise<OpenedCopyFile> {
    const purpose = opts.purpose.trim().slice(0, PURPOSE_MAX);
    if (!purpose) throw new DisclosureCopyError('PURPOSE_NEEDED', 'Say why the copy is being opened');
    if (!isId(copyId) || !isId(fileId)) throw new NotFoundError('The file');
    const found = await this.deps.uow.run(async (repos) => {
      const copy = await repos.disclosureCopies.find(copyId);
      if (!copy || copy.state !== 'ready') return null;
      const file = (await repos.disclosureCopies.listFiles(copyId)).find(
        (f) => f.id === fileId || f.statementId === fileId,
      );
      if (!file) return null;
      const kind = file.id === fileId ? ('audio' as const) : ('statement' as const);
      const size = kind === 'audio' ? file.sizeBytes : Buffer.byteLength(file.statementText, 'utf8');
      const range = opts.range ?? null;
      if (
        range &&
        !(
          Number.isSafeInteger(range.start) &&
          Number.isSafeInteger(range.end) &&
          range.start >= 0 &&
          range.start <= range.end &&
          range.end < size
        )
      ) {
        throw new DisclosureCopyError(
          'RANGE_NOT_SATISFIABLE',
          `The byte range ${range.start}-${range.end} is outside the file of ${size} bytes`,
        );
      }
      if (!opts.audited)
        await this.audit(repos, opts.ctx, 'disclosure_copy.file_opened', copyId, {
          requestId: copy.requestId,
          fileId,
          kind,
          purpose,
          ...(range ? { range: `${range.start}-${range.end}` } : {}),
        });
      return { copy, file, kind, size, range };
    });
    if (!found) throw new NotFoundError('The file');
    const { file, kind, size, range } = found;
    const names = fileNames(copyId, file.ordinal);
    if (kind === 'statement') {
      const bytes = Buffer.from(file.statementText, 'utf8');
      const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
      return {
        stream: Readable.from([body]),
        sizeBytes: size,
        range,
        fileName: names.statement,
        mediaType: 'text/plain; charset=utf-8',
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }
    const binding = bindingOf(copyId, file.recordingId);
    let stream: Readable;
    if (range) {
      const readRange = async (start: number, end: number): Promise<Buffer> => {
        const chunks: Buffer[] = [];
        for await (const c of await this.deps.blobs.getRange(file.blobKey, start, end)) chunks.push(c as Buffer);
        return Buffer.concat(chunks);
      };
      const cipher = this.deps.cipher;
      const slice = 1 << 20;
      stream = Readable.from(
        (async function* () {
          for (let s = range.start; s <= range.end; s += slice)
            yield await cipher.decryptRange(readRange, file.blobSize, binding, s, Math.min(range.end, s + slice - 1));
        })(),
        { objectMode: false },
      );
    } else {
      stream = this.deps.cipher.decrypt(await this.deps.blobs.get(file.blobKey), binding);
    }
    return { stream, sizeBytes: size, range, fileName: names.audio, mediaType: 'audio/mpeg', sha256: file.sha256 };
  }

  /**
   * Staff listen to a prepared copy before approving it (A-4; a second person approves): needs access
   * to every child of the conference and a reason, audited with the open.
   */
  async listen(
    actor: Actor,
    copyId: string,
    fileId: string,
    reason: string,
    opts: { range?: { start: number; end: number }; ctx?: RequestContext } = {},
  ): Promise<OpenedCopyFile> {
    const ctx = opts.ctx ?? ctxOf(actor);
    const why = reason.trim();
    if (!why) throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why you need to listen to the copy' }]);
    if (why.length > PURPOSE_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${PURPOSE_MAX} characters or fewer` },
      ]);
    await this.withCopy(actor, ctx, copyId, LISTEN_ROLES, 'disclosure_copy.file_opened', async () => undefined);
    return this.openFile(copyId, fileId, {
      purpose: `Staff check: ${why}`,
      ctx,
      ...(opts.range ? { range: opts.range } : {}),
    });
  }
}
