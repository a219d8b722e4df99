/**
 * Ingest, a background job: the received audio checked by content, hashed, encrypted and stored, read back,
 * its playback copy made, and only then marked stored; with recovery from a crash part-way through.
 */
import { createReadStream } from 'node:fs';
import { assertRecordingMove, type RecordingStatus } from '../../domain/recordings/index.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RecordingRecord } from './ports.ts';
import { RecordingError, binding, sha256OfFile } from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import { checkStoredFile } from './stored-file-check.ts';
import { discardUncommitted, makePlaybackCopy, notePending, playbackDerivative } from './playback-copy.ts';
import type { BlobStore } from '../blobs/blob-store.ts';

export class RecordingIngest extends RecordingPart {
  /**
   * Checks the received bytes by content, hashes them, encrypts and stores the original, reads it back
   * to prove it decrypts to the same hash, derives the playback copy and only then marks it stored.
   * Unusable audio is rejected with the reason; an infrastructure failure throws so the job retries.
   */
  async ingest(recordingId: string, opts: { signal?: AbortSignal } = {}): Promise<RecordingRecord['status']> {
    const system = { actor: { id: null, label: 'system: recording ingest' } };
    const recording = await this.deps.uow.run((repos) => repos.recordings.find(recordingId));
    if (!recording) throw new NotFoundError('The recording');
    if (recording.status !== 'processing') return recording.status;
    const staged = this.deps.staging.pathFor(recordingId);
    const reject = async (reason: string, details: Record<string, unknown> = {}) => {
      await this.deps.uow.run(async (repos) => {
        const current = await repos.recordings.find(recordingId, { lock: true });
        if (current?.status !== 'processing') return;
        assertRecordingMove('processing', 'rejected');
        await repos.recordings.update(recordingId, { status: 'rejected', rejectionReason: reason });
        await this.audit(repos, system, 'recording.rejected', recordingId, { reason, ...details }, 'failure');
      });
      // An upload's sender still has their file; a live recording's bytes are kept for an administrator.
      if (recording.source !== 'browser') await this.deps.staging.remove(recordingId);
      return 'rejected' as const;
    };
    const size = await this.deps.staging.size(recordingId);
    // Audio was acknowledged (an upload finished, chunks were received) but its staged file is gone or
    // shorter (a restore without the staging folder, a disk swap): never "no audio was received".
    if (recording.receivedBytes > 0 && (size === null || size < recording.receivedBytes))
      return this.markAudioMissing(recordingId, recording.receivedBytes, size);
    if (size === null || size === 0) return reject('No audio was received');

    const { sha256, size: hashedSize } = await sha256OfFile(staged);
    if (recording.clientSha256 && recording.clientSha256 !== sha256) {
      return reject('The file that arrived is not the file that was sent (its SHA-256 differs); upload it again', {
        expected: recording.clientSha256,
        actual: sha256,
      });
    }
    let facts;
    try {
      facts = await this.deps.audio.probe(staged, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        acceptCutEnd: recording.source === 'browser',
      });
    } catch (err) {
      if (err instanceof DomainError) return reject(err.message, { code: err.code });
      throw err;
    }

    const created: string[] = [];
    try {
      const original = await this.storeOriginal(recordingId, staged, sha256, created);
      const playback = await makePlaybackCopy(this.deps, recordingId, staged, created, {
        ...opts,
        scratchName: `${recordingId}-playback.mp3`,
      });

      const now = this.deps.clock.now();
      await this.deps.uow.run(async (repos) => {
        const current = await repos.recordings.find(recordingId, { lock: true });
        if (current?.status !== 'processing')
          throw new RecordingError('RECORDING_STATE', 'The recording changed while it was being stored');
        assertRecordingMove('processing', 'stored');
        await repos.recordings.update(recordingId, {
          status: 'stored',
          storedAt: now,
          originalSize: hashedSize,
          originalSha256: sha256,
          originalBlobKey: original.key,
          originalBlobSha256: original.sha256,
          originalBlobSize: original.size,
          container: facts.container,
          codec: facts.codec,
          durationMs: facts.durationMs,
          sampleRate: facts.sampleRate,
          channels: facts.channels,
          endsAbruptly: facts.cutEnd,
        });
        await repos.recordings.insertDerivative(playbackDerivative(recordingId, playback, sha256));
        // Committed with the recording: no longer pending.
        await repos.recordings.clearPendingBlobs(recordingId, created);
        await repos.recordings.insertFixityEvent({
          recordingId,
          derivativeId: null,
          trigger: 'ingest',
          result: 'ok',
          detail: null,
          checkedAt: now,
        });
        await this.audit(repos, system, 'recording.stored', recordingId, {
          sha256,
          size: hashedSize,
          durationMs: facts.durationMs,
          codec: facts.codec,
          container: facts.container,
          endsAbruptly: facts.cutEnd,
          encryptedSha256: original.sha256,
        });
      });
    } catch (err) {
      await discardUncommitted(this.deps, recordingId, created);
      throw err;
    }
    await this.deps.staging.remove(recordingId);
    this.deps.logger.info({ recordingId }, 'recording stored');
    return 'stored';
  }

  /**
   * The staged audio encrypted and stored as the original (its file noted as pending, its key added to `created`),
   * then read back in full to prove it decrypts to the SHA-256 the staged audio had.
   */
  private async storeOriginal(
    recordingId: string,
    staged: string,
    sha256: string,
    created: string[],
  ): Promise<Awaited<ReturnType<BlobStore['put']>>> {
    const label = binding(recordingId, 'original');
    const original = await this.deps.blobs.put(this.deps.cipher.encrypt(createReadStream(staged), label));
    created.push(original.key);
    await notePending(this.deps, recordingId, original.key);
    const readBack = await checkStoredFile(this.deps, original.key, label, sha256, original.sha256);
    if (readBack.result !== 'ok')
      throw new Error(`The stored original did not read back correctly: ${readBack.detail}`);
    return original;
  }

  /**
   * The acknowledged audio of a recording being stored is not in staging. The recording is kept, marked
   * `audio_missing` (audited as the system), and the fatal `recording-audio-missing` alert raised: staff
   * upload the audio again against the same recording. Staging is left as it is for whoever looks into it.
   */
  private async markAudioMissing(
    recordingId: string,
    receivedBytes: number,
    stagedBytes: number | null,
  ): Promise<RecordingStatus> {
    const system = { actor: { id: null, label: 'system: recording ingest' } };
    const marked = await this.deps.uow.run(async (repos) => {
      const current = await repos.recordings.find(recordingId, { lock: true });
      if (current?.status !== 'processing') return current?.status ?? null;
      assertRecordingMove('processing', 'audio_missing');
      await repos.recordings.update(recordingId, { status: 'audio_missing', audioMissingAt: this.deps.clock.now() });
      await this.audit(
        repos,
        system,
        'recording.audio_missing',
        recordingId,
        { receivedBytes, stagedBytes },
        'failure',
      );
      return 'audio_missing' as const;
    });
    if (marked !== 'audio_missing') return marked ?? 'processing';
    this.deps.logger.fatal(
      { alert: 'recording-audio-missing', recordingId, receivedBytes, stagedBytes },
      'the audio of an acknowledged recording is missing from staging: upload it again on the recording’s page',
    );
    return 'audio_missing';
  }

  /**
   * At start-up, before any job runs: ingests this node was running when it stopped (a crash, a kill) are
   * resumed at once instead of waiting for their job to expire. "This node's" are the recordings being
   * stored whose staged audio is in this node's staging (`stagedHere`). Encrypted files the interrupted
   * ingest wrote but never committed are removed first (never one the recording refers to), so the new
   * run leaves no second copy; then (after `beforeRequeue`, which cancels the stopped run's job) ingest is
   * queued again (it is idempotent). Returns the recordings
   * requeued and how many files were removed.
   */
  async recoverInterruptedIngests(
    stagedHere: ReadonlySet<string>,
    opts: { beforeRequeue?: (recordingId: string) => Promise<unknown> } = {},
  ): Promise<{ requeued: string[]; removed: number }> {
    const processing = await this.deps.uow.run((repos) => repos.recordings.listByStatus(['processing']));
    const requeued: string[] = [];
    let removed = 0;
    for (const r of processing) {
      if (!stagedHere.has(r.id)) continue;
      const { pending, referenced } = await this.deps.uow.run(async (repos) => ({
        pending: await repos.recordings.pendingBlobs(r.id),
        referenced: new Set(
          [
            (await repos.recordings.find(r.id))?.originalBlobKey ?? null,
            ...(await repos.recordings.listDerivatives(r.id, { withPeaks: false })).map((d) => d.blobKey),
          ].filter((k): k is string => k !== null),
        ),
      }));
      const orphans = pending.filter((k) => !referenced.has(k));
      for (const key of orphans) await this.deps.blobs.delete(key);
      await this.deps.uow.run((repos) => repos.recordings.clearPendingBlobs(r.id, pending));
      removed += orphans.length;
      await opts.beforeRequeue?.(r.id);
      await this.deps.queue.enqueueIngest(r.id);
      requeued.push(r.id);
    }
    if (requeued.length)
      this.deps.logger.warn({ recordingIds: requeued, filesRemoved: removed }, 'resumed ingests interrupted by a stop');
    return { requeued, removed };
  }

  /** Recordings stuck in processing after a crash are queued again (ingest is idempotent). */
  async requeueStalled(olderThanMs = 30 * 60_000): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - olderThanMs);
    const stalled = await this.deps.uow.run((repos) => repos.recordings.stalled(before));
    let n = 0;
    for (const s of stalled) {
      if (s.status === 'processing') {
        await this.deps.queue.enqueueIngest(s.id);
        n++;
      }
    }
    return n;
  }
}
