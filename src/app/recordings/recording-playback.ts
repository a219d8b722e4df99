/**
 * Listening: a reason given and audited, then byte ranges of the playback copy. A copy found damaged while
 * it is played is reported as a failed fixity check and its repair queued.
 */
import { parseId } from '../../domain/shared/ids.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { DomainError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { BlobRangeError } from '../blobs/blob-store.ts';
import type { Clock, Repositories } from '../unit-of-work.ts';
import type { DerivativeRecord, FixityResult } from './ports.ts';
import {
  LISTENING_WINDOW_MS,
  LISTEN_REASON_MAX,
  RecordingError,
  binding,
  copyDamaged,
  copyFailedCheck,
  latestPlayback,
  originalFailedCheck,
  type RecordingServiceDeps,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import type { PlaybackRepair } from './playback-repair.ts';

export class RecordingPlayback extends RecordingPart {
  private readonly repairs: PlaybackRepair;

  constructor(deps: RecordingServiceDeps, repairs: PlaybackRepair) {
    super(deps);
    this.repairs = repairs;
  }

  /** Gives the reason to listen; audited. Lets this person play the recording for the next few hours. */
  async startListening(actor: Actor, ctx: RequestContext, recordingId: string, reason: string): Promise<void> {
    const why = reason.trim();
    if (!why)
      throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why you need to listen to the recording' }]);
    if (why.length > LISTEN_REASON_MAX)
      throw new InvalidDetailsError([
        { field: 'reason', message: `The reason must be ${LISTEN_REASON_MAX} characters or fewer` },
      ]);
    await this.withRecording(actor, ctx, recordingId, 'view', 'recording.played', async (repos, recording) => {
      if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
      await this.audit(repos, ctx, 'recording.played', recordingId, { reason: why });
    });
  }

  /**
   * The playback copy's size and a reader of plaintext byte ranges, for HTTP Range requests. Only for
   * someone who has given a reason to listen within the window (so every play is audited).
   */
  async playback(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
  ): Promise<{ size: number; mediaType: string; read(start: number, end: number): Promise<Buffer> }> {
    recordingId = parseId(recordingId) ?? recordingId;
    const { derivative, reasonGiven, damaged, originalDamaged } = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.play',
      async (repos, recording) => {
        if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        return playableCopy(repos, this.deps.clock.now(), actor, recordingId);
      },
    );
    if (!reasonGiven)
      throw new RecordingError('REASON_NEEDED', 'Give the reason you need to listen before playing the recording');
    if (!derivative) throw new NotFoundError('The playback copy');
    if (damaged) throw copyDamaged(originalDamaged);
    const key = derivative.blobKey;
    const readRange = async (start: number, end: number): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const c of await this.deps.blobs.getRange(key, start, end)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    const label = binding(recordingId, 'playback');
    // Opened at the first read and kept for this request's later pieces only: the header is unwrapped and the
    // final chunk verified once per request, and the file key never outlives the request.
    let opened: ReturnType<RecordingServiceDeps['cipher']['openRange']> | null = null;
    return {
      size: derivative.size,
      mediaType: derivative.mediaType,
      read: async (start, end) => {
        try {
          opened ??= this.deps.cipher.openRange(readRange, derivative.blobSize, label);
          return await (await opened).read(start, end);
        } catch (err) {
          if (err instanceof BlobRangeError) throw err;
          await this.reportDamagedPlayback(recordingId, derivative.id, err, ctx);
          throw copyDamaged();
        }
      },
    };
  }

  /**
   * A playback copy that failed while being played (missing, unreadable, or not decrypting): recorded as a
   * failed fixity check of that copy and alerted exactly as the fixity cycle does (the `recording-fixity`
   * alert, audited as a failed check), so the daily re-check keeps raising it until it is dealt with.
   */
  private async reportDamagedPlayback(
    recordingId: string,
    derivativeId: string,
    err: unknown,
    ctx: RequestContext,
  ): Promise<void> {
    const result: FixityResult =
      err instanceof NotFoundError ? 'missing' : err instanceof DomainError ? 'unreadable' : 'mismatch';
    const detail =
      result === 'missing'
        ? 'The stored file is missing (found while playing)'
        : `The stored file does not decrypt (found while playing): ${(err as Error).message}`;
    await this.deps.uow.run(async (repos) => {
      await repos.recordings.insertFixityEvent({
        recordingId,
        derivativeId,
        trigger: 'on-demand',
        result,
        detail,
        checkedAt: this.deps.clock.now(),
      });
      await this.audit(
        repos,
        ctx,
        'recording.fixity_checked',
        recordingId,
        { trigger: 'on-demand', results: [{ derivativeId, result }], while: 'playing' },
        'failure',
      );
    });
    this.deps.logger.fatal({ alert: 'recording-fixity', recordingId, result }, detail);
    // The job checks the original before making anything from it.
    await this.repairs.queueRepair(recordingId, derivativeId);
  }
}

/** When this person may play the recording until, or null when they must give a reason first. */
export async function playableUntil(
  repos: Repositories,
  clock: Clock,
  actor: Actor,
  recordingId: string,
): Promise<Date | null> {
  const now = clock.now();
  const last = await repos.recordings.lastPlay(recordingId, actor.id, new Date(now.getTime() - LISTENING_WINDOW_MS));
  return last ? new Date(last.getTime() + LISTENING_WINDOW_MS) : null;
}

/**
 * What every Range request reads, in the caller's unit of work: whether this person gave a reason to listen within
 * the window, the playback copy played now (without its waveform), and whether it, or the original too, failed its
 * latest check. Kept in one place so it can become a single lookup.
 */
async function playableCopy(
  repos: Repositories,
  now: Date,
  actor: Actor,
  recordingId: string,
): Promise<{ derivative: DerivativeRecord | null; reasonGiven: boolean; damaged: boolean; originalDamaged: boolean }> {
  const last = await repos.recordings.lastPlay(recordingId, actor.id, new Date(now.getTime() - LISTENING_WINDOW_MS));
  const derivative = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
  const fixity = derivative ? await repos.recordings.listFixityEvents(recordingId) : [];
  const damaged = derivative ? copyFailedCheck(fixity, derivative.id) : false;
  return { derivative, reasonGiven: last !== null, damaged, originalDamaged: damaged && originalFailedCheck(fixity) };
}
