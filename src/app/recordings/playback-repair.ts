/** Repairing a damaged playback copy: queued once per damaged copy, made again from a sound original. */
import { parseId } from '../../domain/shared/ids.ts';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../domain/access/roles.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import {
  RECORDING_ROLES,
  REPAIR_SYSTEM,
  RecordingError,
  binding,
  copyFailedCheck,
  latestPlayback,
  originalFailedCheck,
  repairQueuedFor,
  requireRole,
} from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import { checkStoredFile } from './stored-file-check.ts';
import { discardUncommitted, makePlaybackCopy, playbackDerivative } from './playback-copy.ts';

export class PlaybackRepair extends RecordingPart {
  /**
   * Queues a new playback copy for a damaged one, once per damaged copy (audited as the system). A failure to
   * queue is logged, never thrown: the copy stays damaged and alerted, and staff can ask again from the page.
   */
  async queueRepair(recordingId: string, derivativeId: string): Promise<void> {
    try {
      const queued = await this.deps.uow.run(async (repos) => {
        await repos.recordings.find(recordingId, { lock: true });
        if (repairQueuedFor(await repos.recordings.auditEvents(recordingId), derivativeId)) return false;
        await this.audit(repos, REPAIR_SYSTEM, 'recording.playback_repair_queued', recordingId, {
          derivativeId,
          requestedBy: 'system',
        });
        return true;
      });
      if (queued) await this.enqueueRepair(recordingId, derivativeId);
    } catch (err) {
      this.deps.logger.error(
        { recordingId, err: (err as Error).message },
        'could not queue the repair of a damaged playback copy: ask for it on the recording’s page',
      );
    }
  }

  /**
   * Queues the job after the queuing was audited (never inside that transaction); when the queue cannot take
   * it, that is audited too, so the page offers the repair again instead of saying it is under way.
   */
  private async enqueueRepair(recordingId: string, derivativeId: string): Promise<void> {
    try {
      await this.deps.queue.enqueuePlaybackRepair(recordingId);
    } catch (err) {
      await this.deps.uow.run((repos) =>
        this.audit(
          repos,
          REPAIR_SYSTEM,
          'recording.playback_repair_not_queued',
          recordingId,
          { derivativeId, error: (err as Error).message },
          'failure',
        ),
      );
      throw err;
    }
  }

  /**
   * The chair or business support ask for a damaged playback copy to be made again from the original, when no
   * repair has started (audited). Refused when the copy is not damaged, or the original failed its check too.
   */
  async requestPlaybackRepair(actor: Actor, ctx: RequestContext, recordingId: string): Promise<void> {
    requireRole(actor, RECORDING_ROLES, 'the chair or business support');
    const derivativeId = await this.withRecording(
      actor,
      ctx,
      recordingId,
      'view',
      'recording.playback_repair_queued',
      async (repos, recording) => {
        if (recording.status !== 'stored') throw new RecordingError('NOT_STORED', 'This recording is not stored yet');
        const playback = latestPlayback(await repos.recordings.listDerivatives(recording.id, { withPeaks: false }));
        const fixity = await repos.recordings.listFixityEvents(recording.id);
        if (!playback || !copyFailedCheck(fixity, playback.id))
          throw new RecordingError('NOT_DAMAGED', 'The copy of this recording made for listening is not damaged');
        if (originalFailedCheck(fixity))
          throw new RecordingError(
            'ORIGINAL_DAMAGED',
            'The original failed its integrity check too, so no new copy can be made from it. The council’s IT team has been told.',
          );
        if (repairQueuedFor(await repos.recordings.auditEvents(recording.id), playback.id))
          throw new RecordingError('REPAIR_STARTED', 'The copy is already being repaired');
        await this.audit(repos, ctx, 'recording.playback_repair_queued', recording.id, {
          derivativeId: playback.id,
          requestedBy: 'staff',
        });
        return playback.id;
      },
      // One request at a time: the service's own queuing locks the recording too.
      { lock: true },
    );
    await this.enqueueRepair(parseId(recordingId) ?? recordingId, derivativeId);
  }

  /**
   * The job: when the newest playback copy is damaged and the original passes its check (decrypts, SHA-256 as
   * recorded), a new playback copy and waveform are made from the original as at ingest and stored as a new
   * copy, which is played and checked from then on; audited with both copies' SHA-256s. The damaged copy is then
   * retired: its file removed. When the original fails too, nothing is made: the failure is recorded and the fatal
   * alert raised. Returns what it did; an infrastructure failure throws so the job retries.
   */
  async repairPlayback(
    recordingId: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<'repaired' | 'not-needed' | 'original-damaged'> {
    recordingId = parseId(recordingId) ?? recordingId;
    const { recording, damaged } = await this.deps.uow.run(async (repos) => {
      const recording = await repos.recordings.find(recordingId);
      const playback = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
      const fixity = await repos.recordings.listFixityEvents(recordingId);
      return { recording, damaged: playback && copyFailedCheck(fixity, playback.id) ? playback : null };
    });
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'stored' || !damaged) return 'not-needed';

    const originalLabel = binding(recordingId, 'original');
    const original = await checkStoredFile(
      this.deps,
      recording.originalBlobKey!,
      originalLabel,
      recording.originalSha256!,
      recording.originalBlobSha256!,
    );
    if (original.result !== 'ok') {
      await this.deps.uow.run(async (repos) => {
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'on-demand',
          result: original.result,
          detail: original.detail,
          checkedAt: this.deps.clock.now(),
        });
        await this.audit(
          repos,
          REPAIR_SYSTEM,
          'recording.fixity_checked',
          recordingId,
          { trigger: 'on-demand', results: [{ derivativeId: null, result: original.result }], while: 'repairing' },
          'failure',
        );
      });
      this.deps.logger.fatal(
        { alert: 'recording-fixity', recordingId, result: original.result },
        `the original failed its check, so its damaged playback copy cannot be made again: ${original.detail ?? ''}`,
      );
      return 'original-damaged';
    }

    const created: string[] = [];
    const source = this.deps.staging.scratchPath(`${recordingId}-repair.original`);
    try {
      await pipeline(
        this.deps.cipher.decrypt(await this.deps.blobs.get(recording.originalBlobKey!), originalLabel),
        createWriteStream(source, { mode: 0o600 }),
      );
      const made = await makePlaybackCopy(this.deps, recordingId, source, created, {
        ...opts,
        scratchName: `${recordingId}-repair.mp3`,
      });
      const now = this.deps.clock.now();
      await this.deps.uow.run(async (repos) => {
        await repos.recordings.find(recordingId, { lock: true });
        const current = latestPlayback(await repos.recordings.listDerivatives(recordingId, { withPeaks: false }));
        if (current?.id !== damaged.id)
          throw new RecordingError('RECORDING_STATE', 'The playback copy changed while it was being repaired');
        const newId = await repos.recordings.insertDerivative(
          playbackDerivative(recordingId, made, recording.originalSha256!, damaged.id),
        );
        await repos.recordings.clearPendingBlobs(recordingId, created);
        // The original just passed its check, and the new copy was checked as it was made.
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'on-demand',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: newId,
          trigger: 'ingest',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await this.audit(repos, REPAIR_SYSTEM, 'recording.playback_repaired', recordingId, {
          damagedDerivativeId: damaged.id,
          derivativeId: newId,
          oldSha256: damaged.sha256,
          newSha256: made.sha256,
          oldEncryptedSha256: damaged.blobSha256,
          newEncryptedSha256: made.blob.sha256,
          originalSha256: recording.originalSha256,
          durationMs: made.durationMs,
        });
      });
    } catch (err) {
      await discardUncommitted(this.deps, recordingId, created);
      throw err;
    } finally {
      await rm(source, { force: true });
    }
    // The damaged copy is retired: its row stays (rows are never changed, and the new copy names the one it replaces)
    // but its file goes, so backups and key rotation no longer hold it. If it cannot be removed now it is no longer
    // referenced, so the orphan sweep removes it.
    await this.deps.blobs.delete(damaged.blobKey).catch((err: unknown) => {
      this.deps.logger.warn(
        { recordingId, err: (err as Error).message },
        'could not remove the damaged playback copy just replaced: the orphan sweep will',
      );
    });
    this.deps.logger.info({ recordingId }, 'damaged playback copy made again from the original');
    return 'repaired';
  }
}
