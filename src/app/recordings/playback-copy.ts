/**
 * The playback copy of a recording, made the one way at ingest (from the staged audio) and in a repair (from
 * the decrypted original): an MP3 and its waveform, encrypted, stored and noted as pending until it is committed.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { DerivativeRecord } from './ports.ts';
import { binding, sha256OfFile, type RecordingServiceDeps } from './recording-shared.ts';

/** A playback copy stored but not yet committed: its file is noted as pending. */
export interface MadePlayback {
  size: number;
  sha256: string;
  durationMs: number;
  peaks: number[];
  blob: Awaited<ReturnType<BlobStore['put']>>;
}

/**
 * Makes the playback copy (MP3, ffmpeg) and its waveform from the plaintext audio at `input`, encrypts and stores
 * it, and notes the stored file as pending (its key added to `created`) so a crash before the caller commits leaves
 * a record for the start-up recovery. The scratch file (`scratchName` in staging) is removed whatever happens.
 */
export async function makePlaybackCopy(
  deps: Pick<RecordingServiceDeps, 'audio' | 'blobs' | 'cipher' | 'staging' | 'uow'>,
  recordingId: string,
  input: string,
  created: string[],
  opts: { signal?: AbortSignal; scratchName: string },
): Promise<MadePlayback> {
  const scratch = deps.staging.scratchPath(opts.scratchName);
  try {
    await deps.audio.makePlaybackCopy(input, scratch, { signal: opts.signal });
    const hash = await sha256OfFile(scratch);
    const facts = await deps.audio.probe(scratch, { signal: opts.signal });
    const peaks = await deps.audio.computePeaks(scratch, { peaksPerSecond: 10, signal: opts.signal });
    const blob = await deps.blobs.put(deps.cipher.encrypt(createReadStream(scratch), binding(recordingId, 'playback')));
    created.push(blob.key);
    await notePending(deps, recordingId, blob.key);
    return { size: hash.size, sha256: hash.sha256, durationMs: facts.durationMs, peaks, blob };
  } finally {
    await rm(scratch, { force: true });
  }
}

/** The row of a made playback copy: it names the original it was made from, and the damaged copy it replaces. */
export function playbackDerivative(
  recordingId: string,
  made: MadePlayback,
  originalSha256: string,
  replaces: string | null = null,
): Omit<DerivativeRecord, 'id' | 'createdAt'> {
  return {
    originalRecordingId: recordingId,
    kind: 'playback',
    mediaType: 'audio/mpeg',
    size: made.size,
    sha256: made.sha256,
    durationMs: made.durationMs,
    blobKey: made.blob.key,
    blobSha256: made.blob.sha256,
    blobSize: made.blob.size,
    peaks: { perSecond: 10, values: made.peaks },
    originalSha256,
    details: replaces === null ? null : { replaces },
  };
}

/**
 * Notes an encrypted file an ingest or a repair wrote, before anything else can fail, so a crash before the commit
 * leaves a record of it for the start-up recovery to remove (never a second, unreferenced copy).
 */
export async function notePending(
  deps: Pick<RecordingServiceDeps, 'uow' | 'blobs'>,
  recordingId: string,
  blobKey: string,
): Promise<void> {
  try {
    await deps.uow.run((repos) => repos.recordings.addPendingBlob(recordingId, blobKey));
  } catch (err) {
    await deps.blobs.delete(blobKey).catch(() => undefined);
    throw err;
  }
}

/** After a failure before the commit: the files written are removed with their pending notes (never throws). */
export async function discardUncommitted(
  deps: Pick<RecordingServiceDeps, 'uow' | 'blobs'>,
  recordingId: string,
  created: readonly string[],
): Promise<void> {
  for (const key of created) await deps.blobs.delete(key).catch(() => undefined);
  await deps.uow.run((repos) => repos.recordings.clearPendingBlobs(recordingId, created)).catch(() => undefined);
}
