/**
 * Ingest, a background job: the received audio checked by its container (cheaply, before anything is kept),
 * then read once: hashed, encrypted, written and flushed in one streaming pass, and marked stored as soon as that
 * pass commits. Making it playable (the full decode, the playback copy, its waveform) is the next job
 * (recording-playable.ts); a crash between the two is recovered by queueing that job again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { assertRecordingMove, type RecordingStatus } from '../../domain/recordings/index.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { AudioFacts, RecordingRecord } from './ports.ts';
import { RecordingError, binding, type RecordingServiceDeps } from './recording-shared.ts';
import { RecordingPart } from './recording-part.ts';
import { discardUncommitted, notePending } from './playback-copy.ts';
import type { BlobStore, StoredBlob } from '../blobs/blob-store.ts';

/** The staged file is read in pieces this large (the encrypted file is written in batches of about as much). */
const READ_SIZE = 1 << 20;

export class RecordingIngest extends RecordingPart {
  /**
   * Checks the received bytes by their container, then reads them once: SHA-256, age encryption, large writes and
   * an fsync in one pass, the encrypted file's own SHA-256 taken from the bytes as they are written. The header and
   * final chunk are read back (cheap: the file key unwraps, the final chunk authenticates, the plaintext size is the
   * size hashed); the full decrypt-and-compare is the fixity cycle's. Marked stored, and the job that makes it
   * playable queued. Unusable audio is rejected with the reason; an infrastructure failure throws so the job retries.
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

    // The cheap checks by content, before anything is kept: what the file is by its first bytes and, for WAV and
    // Ogg, that it reaches the end its container states. A file not recognised by its first bytes is decoded in full
    // here instead (what it is cannot be told more cheaply), so it is rejected with the reason, as before.
    const acceptCutEnd = recording.source === 'browser';
    let container: string;
    let facts: AudioFacts | null = null;
    try {
      const checked = await this.deps.audio.checkContainer(staged, { acceptCutEnd });
      if (checked === null) {
        facts = await this.deps.audio.probe(staged, { ...(opts.signal ? { signal: opts.signal } : {}), acceptCutEnd });
        container = facts.container;
      } else container = checked.container;
    } catch (err) {
      if (err instanceof DomainError) return reject(err.message, { code: err.code });
      throw err;
    }

    const created: string[] = [];
    try {
      const {
        original,
        sha256,
        size: hashedSize,
      } = await this.storeOriginal(recordingId, staged, created, opts.signal);
      if (recording.clientSha256 && recording.clientSha256 !== sha256) {
        await discardUncommitted(this.deps, recordingId, created);
        return await reject(
          'The file that arrived is not the file that was sent (its SHA-256 differs); upload it again',
          { expected: recording.clientSha256, actual: sha256 },
        );
      }
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
          // What the full decode finds is recorded by the playable job (here only when it was decoded already).
          ...(facts ? factsChange(facts) : {}),
          playable: 'preparing',
          playableProblem: null,
        });
        // Committed with the recording: no longer pending.
        await repos.recordings.clearPendingBlobs(recordingId, created);
        // Checked as it was written: both SHA-256s taken from the bytes as they went by, the file flushed, and its
        // header and final chunk read back. Every chunk is decrypted and compared by the fixity cycle.
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
          container,
          encryptedSha256: original.sha256,
          playable: 'preparing',
        });
      });
    } catch (err) {
      await discardUncommitted(this.deps, recordingId, created);
      throw err;
    }
    this.deps.logger.info({ recordingId }, 'recording stored');
    // The staged audio stays until the playable job has made the playback copy from it. A failure to queue is
    // not a failure to store: the stalled-job sweep queues it again.
    await this.deps.queue.enqueuePlayable(recordingId).catch((err: unknown) => {
      this.deps.logger.warn(
        { recordingId, err: (err as Error).message },
        'could not queue the job that makes the stored recording playable: the stalled sweep will',
      );
    });
    return 'stored';
  }

  /**
   * The one pass: the staged audio read once, hashed as it is read, encrypted, and written with large writes and an
   * fsync (the encrypted file's SHA-256 taken from the bytes as they are written). The stored file is noted as pending
   * (its key added to `created`) and its header and final chunk read back. With a sealer (the file system store) the
   * pass runs on its worker thread; otherwise here, through the blob store's `put`.
   */
  private async storeOriginal(
    recordingId: string,
    staged: string,
    created: string[],
    signal: AbortSignal | undefined,
  ): Promise<{ original: StoredBlob; sha256: string; size: number }> {
    const label = binding(recordingId, 'original');
    if (this.deps.sealer) {
      // The same pass on a worker thread (the file system store): this thread only waits for its result.
      const sealed = await this.deps.sealer.sealStaged(staged, label, signal ? { signal } : {});
      created.push(sealed.blob.key);
      await notePending(this.deps, recordingId, sealed.blob.key);
      await readBackEnds(this.deps.blobs, this.deps.cipher, sealed.blob, label, sealed.size);
      return { original: sealed.blob, sha256: sealed.sha256, size: sealed.size };
    }
    const hash = createHash('sha256');
    let size = 0;
    async function* hashed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const piece of source) {
        hash.update(piece);
        size += piece.length;
        yield piece;
      }
    }
    const plaintext = Readable.from(hashed(createReadStream(staged, { highWaterMark: READ_SIZE })), {
      objectMode: false,
    });
    const original = await this.deps.blobs.put(this.deps.cipher.encrypt(plaintext, label));
    created.push(original.key);
    await notePending(this.deps, recordingId, original.key);
    await readBackEnds(this.deps.blobs, this.deps.cipher, original, label, size);
    return { original, sha256: hash.digest('hex'), size };
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
   * stored, or stored and being made playable, whose staged audio is in this node's staging (`stagedHere`).
   * Encrypted files the interrupted job wrote but never committed are removed first (never one the recording
   * refers to), so the new run leaves no second copy; then (after `beforeRequeue`, which cancels the stopped
   * run's job) ingest, or the job that makes it playable, is queued again (both are idempotent). Returns the
   * recordings requeued and how many files were removed.
   */
  async recoverInterruptedIngests(
    stagedHere: ReadonlySet<string>,
    opts: { beforeRequeue?: (recordingId: string, job: 'ingest' | 'playable') => Promise<unknown> } = {},
  ): Promise<{ requeued: string[]; removed: number }> {
    const { processing, preparing } = await this.deps.uow.run(async (repos) => ({
      processing: (await repos.recordings.listByStatus(['processing'])).map((r) => r.id),
      preparing: await repos.recordings.awaitingPlayable(),
    }));
    const requeued: string[] = [];
    let removed = 0;
    const jobs = [
      ...processing.map((id) => ({ id, job: 'ingest' as const })),
      ...preparing.map((id) => ({ id, job: 'playable' as const })),
    ];
    for (const { id, job } of jobs) {
      if (!stagedHere.has(id)) continue;
      const { pending, referenced } = await this.deps.uow.run(async (repos) => ({
        pending: await repos.recordings.pendingBlobs(id),
        referenced: new Set(
          [
            (await repos.recordings.find(id))?.originalBlobKey ?? null,
            ...(await repos.recordings.listDerivatives(id, { withPeaks: false })).map((d) => d.blobKey),
          ].filter((k): k is string => k !== null),
        ),
      }));
      const orphans = pending.filter((k) => !referenced.has(k));
      for (const key of orphans) await this.deps.blobs.delete(key);
      await this.deps.uow.run((repos) => repos.recordings.clearPendingBlobs(id, pending));
      removed += orphans.length;
      await opts.beforeRequeue?.(id, job);
      if (job === 'ingest') await this.deps.queue.enqueueIngest(id);
      else await this.deps.queue.enqueuePlayable(id);
      requeued.push(id);
    }
    if (requeued.length)
      this.deps.logger.warn({ recordingIds: requeued, filesRemoved: removed }, 'resumed ingests interrupted by a stop');
    return { requeued, removed };
  }

  /**
   * Recordings stuck in processing after a crash are queued again (ingest is idempotent), and stored recordings
   * still not playable after as long have the job that makes them playable queued again (idempotent too).
   */
  async requeueStalled(olderThanMs = 30 * 60_000): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - olderThanMs);
    const { stalled, preparing } = await this.deps.uow.run(async (repos) => ({
      stalled: await repos.recordings.stalled(before),
      preparing: await repos.recordings.awaitingPlayable(before),
    }));
    let n = 0;
    for (const s of stalled) {
      if (s.status === 'processing') {
        await this.deps.queue.enqueueIngest(s.id);
        n++;
      }
    }
    for (const id of preparing) {
      await this.deps.queue.enqueuePlayable(id);
      n++;
    }
    return n;
  }
}

/** What the full decode found, as the recording's columns. */
export function factsChange(facts: AudioFacts) {
  return {
    container: facts.container,
    codec: facts.codec,
    durationMs: facts.durationMs,
    sampleRate: facts.sampleRate,
    channels: facts.channels,
    endsAbruptly: facts.cutEnd,
  };
}

/**
 * The cheap read-back of a file just written: its size as stored, and its header and final chunk (the file key
 * unwraps with the service's identity, the binding is the recording's, the final chunk authenticates, and the
 * plaintext size is the size that was hashed). Throws when any of that does not hold, so the job retries.
 */
async function readBackEnds(
  blobs: BlobStore,
  cipher: RecordingServiceDeps['cipher'],
  stored: StoredBlob,
  label: string,
  plaintextSize: number,
): Promise<void> {
  const { size } = await blobs.stat(stored.key);
  if (size !== stored.size)
    throw new Error(`The stored original is ${size} bytes long, not the ${stored.size} bytes written`);
  const readRange = async (start: number, end: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of await blobs.getRange(stored.key, start, end)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const readBack = await cipher.plaintextSize(readRange, stored.size, label);
  if (readBack !== plaintextSize)
    throw new Error(`The stored original reads back as ${readBack} bytes of audio, not the ${plaintextSize} hashed`);
}
