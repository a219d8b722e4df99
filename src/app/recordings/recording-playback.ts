/**
 * Listening: a reason given and audited, then byte ranges of the playback copy. A copy found damaged while
 * it is played is reported as a failed fixity check and its repair queued.
 */
import { isId, parseId } from '../../domain/shared/ids.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { DomainError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { BlobRangeError } from '../blobs/blob-store.ts';
import { sequentialReader } from '../blobs/sequential-reader.ts';
import type { Clock, Repositories } from '../unit-of-work.ts';
import type { FixityResult, OpenedRange, PlaybackLookup } from './ports.ts';
import {
  LISTENING_WINDOW_MS,
  LISTEN_REASON_MAX,
  RecordingError,
  binding,
  copyDamaged,
  type RecordingServiceDeps,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import type { PlaybackRepair } from './playback-repair.ts';

import { OpenedCopies, PLAYBACK_GRANT_MS } from './opened-copies.ts';

export { PLAYBACK_GRANT_MS };

/** A signed playback grant, when it expires, and how many seconds from now that is (by the service's clock). */
export interface IssuedGrant {
  token: string;
  expiresAt: Date;
  seconds: number;
}

export class RecordingPlayback extends RecordingPart {
  private readonly repairs: PlaybackRepair;
  /** Copies opened in the last few minutes, so a player's next Range request reads only what it serves. */
  private readonly opened: OpenedCopies;

  constructor(deps: RecordingServiceDeps, repairs: PlaybackRepair) {
    super(deps);
    this.repairs = repairs;
    this.opened = new OpenedCopies(deps.clock, PLAYBACK_GRANT_MS);
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
   *
   * With a playback grant that this service signed for this user, this recording and playing, and that
   * has not expired, the per-record access check is not run again: one statement reads the recording's state, the
   * reason to listen (withdrawn or lapsed is refused at once) and the copy. A grant is issued, and its issue audited,
   * only after the full check; so a change of access (an exclusion added, an investigator's complaint closed) is
   * honoured on Range requests within PLAYBACK_GRANT_MS, and on every page at once. Without a valid grant the full
   * check is run, as for any view, and a new grant is issued to be sent back.
   */
  async playback(actor: Actor, ctx: RequestContext, recordingId: string, opts: { grant?: string | undefined } = {}) {
    recordingId = parseId(recordingId) ?? recordingId;
    const now = this.deps.clock.now();
    let found: PlaybackLookup;
    let grant: IssuedGrant | null = null;
    if (this.granted(actor, recordingId, opts.grant, now)) {
      if (!isId(recordingId)) throw new NotFoundError('The recording');
      const since = new Date(now.getTime() - LISTENING_WINDOW_MS);
      const lookup = this.deps.playbackLookup
        ? await this.deps.playbackLookup(recordingId, actor.id, since)
        : await this.deps.uow.run((repos) => repos.recordings.playbackLookup(recordingId, actor.id, since));
      if (!lookup) throw new NotFoundError('The recording');
      found = playable(lookup);
    } else {
      ({ found, grant } = await this.authorise(actor, ctx, recordingId, now));
    }
    const derivative = found.derivative!;
    const label = binding(recordingId, 'playback');
    // One stored file read straight through for this request's pieces, closed when the response ends.
    const file = sequentialReader(this.deps.blobs, derivative.blobKey, derivative.blobSize);
    // Opened at the first read, or taken from a request of the last few minutes that opened it (OpenedCopies: then
    // only the chunks served are read and authenticated), and kept for this request's later pieces. The payload key
    // is held past the request, in memory, for at most PLAYBACK_GRANT_MS: the identity keys it comes from are held
    // in memory for as long as the service runs, so that adds no exposure; no plaintext is kept past the request.
    const cached = OpenedCopies.key(derivative.blobKey, label, derivative.blobSize);
    let opened: Promise<OpenedRange> | null = null;
    return {
      size: derivative.size,
      mediaType: derivative.mediaType,
      grant,
      read: async (start: number, end: number): Promise<Buffer> => {
        try {
          opened ??= this.open(cached, file.read, derivative.blobSize, label);
          return await (await opened).read(start, end);
        } catch (err) {
          // A response that ended first (the player seeked elsewhere, the connection closed) is not damage.
          if (file.closed) throw err;
          // Any other failure, the next request opens the copy afresh and checks its final chunk again.
          this.opened.delete(cached);
          if (err instanceof BlobRangeError) {
            file.close();
            throw err;
          }
          file.close();
          await this.reportDamagedPlayback(recordingId, derivative.id, err, ctx);
          throw copyDamaged();
        }
      },
      close: () => file.close(),
    };
  }

  /** The copy opened by a request of the last few minutes, read through `read`; else opened now, and kept. */
  private async open(
    cached: string,
    read: (start: number, end: number) => Promise<Buffer>,
    blobSize: number,
    label: string,
  ): Promise<OpenedRange> {
    const reopen = this.opened.get(cached);
    if (reopen) return reopen(read);
    const fresh = await this.deps.cipher.openRange(read, blobSize, label);
    // Kept only once its header is unwrapped and its final chunk verified (truncation refused), which openRange did.
    if (fresh.reopen) this.opened.set(cached, fresh.reopen);
    return fresh;
  }

  /** The full per-record check (a denial audited), the copy to play, and a grant whose issue is audited. */
  private async authorise(
    actor: Actor,
    ctx: RequestContext,
    recordingId: string,
    now: Date,
  ): Promise<{ found: PlaybackLookup; grant: IssuedGrant | null }> {
    return this.withRecording(actor, ctx, recordingId, 'view', 'recording.play', async (repos) => {
      const found = playable(await lookUp(repos, now, actor, recordingId));
      const until = new Date(found.lastPlay!.getTime() + LISTENING_WINDOW_MS);
      return { found, grant: await issueGrant(this.deps, repos, ctx, actor, recordingId, now, until) };
    });
  }

  /** Whether `token` is a grant this service signed, unaltered, for this user to play this recording, not expired. */
  private granted(actor: Actor, recordingId: string, token: string | undefined, now: Date): boolean {
    if (!token || !this.deps.grants) return false;
    const claims = this.deps.grants.verify(token);
    return (
      claims !== null &&
      claims.userId === actor.id &&
      claims.recordingId === recordingId &&
      claims.purpose === 'play' &&
      claims.expiresAt > now.getTime()
    );
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
 * A playback grant for this person and recording, after the full access check made in the caller's unit of work,
 * its issue audited there: it expires PLAYBACK_GRANT_MS from now, never after `until` (the end of the listening
 * window). Null when grants are not configured.
 */
export async function issueGrant(
  deps: Pick<RecordingServiceDeps, 'grants'>,
  repos: Repositories,
  ctx: RequestContext,
  actor: Actor,
  recordingId: string,
  now: Date,
  until: Date,
): Promise<IssuedGrant | null> {
  if (!deps.grants) return null;
  const expiresAt = new Date(Math.min(now.getTime() + PLAYBACK_GRANT_MS, until.getTime()));
  const token = deps.grants.sign({ userId: actor.id, recordingId, purpose: 'play', expiresAt: expiresAt.getTime() });
  await repos.audit.record({
    action: 'recording.play_granted',
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: { type: 'recording', id: recordingId },
    outcome: 'success',
    details: { expiresAt: expiresAt.toISOString() },
  });
  return { token, expiresAt, seconds: Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)) };
}

/** What every Range request reads, in one statement, in the caller's unit of work. */
async function lookUp(repos: Repositories, now: Date, actor: Actor, recordingId: string): Promise<PlaybackLookup> {
  const since = new Date(now.getTime() - LISTENING_WINDOW_MS);
  const found = await repos.recordings.playbackLookup(recordingId, actor.id, since);
  if (!found) throw new NotFoundError('The recording');
  return found;
}

/** The lookup when the copy may be played now; else why not, in the order the player's page explains it. */
function playable(found: PlaybackLookup): PlaybackLookup {
  if (found.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
  if (!found.lastPlay)
    throw new RecordingError('REASON_NEEDED', 'Give the reason you need to listen before playing the recording');
  if (!found.derivative) throw new NotFoundError('The playback copy');
  if (found.copyFailed) throw copyDamaged(found.originalFailed);
  return found;
}
