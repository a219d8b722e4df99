/** The playback copy of a recording: made from plaintext audio, encrypted and stored, noted until committed. */
import { createReadStream } from 'node:fs';
import type { BlobStore } from '../blobs/blob-store.ts';
import { binding, sha256OfFile, type RecordingServiceDeps } from './recording-shared.ts';

/**
 * The playback copy (MP3, ffmpeg) and its waveform made from the plaintext audio at `input`, encrypted and
 * stored: at ingest from the staged audio, in a repair from the decrypted original. `scratch` is the caller's.
 */
export async function makePlayback(
  deps: Pick<RecordingServiceDeps, 'audio' | 'blobs' | 'cipher'>,
  recordingId: string,
  input: string,
  scratch: string,
  opts: { signal?: AbortSignal },
): Promise<{
  size: number;
  sha256: string;
  durationMs: number;
  peaks: number[];
  blob: Awaited<ReturnType<BlobStore['put']>>;
}> {
  await deps.audio.makePlaybackCopy(input, scratch, { signal: opts.signal });
  const hash = await sha256OfFile(scratch);
  const facts = await deps.audio.probe(scratch, { signal: opts.signal });
  const peaks = await deps.audio.computePeaks(scratch, { peaksPerSecond: 10, signal: opts.signal });
  const blob = await deps.blobs.put(deps.cipher.encrypt(createReadStream(scratch), binding(recordingId, 'playback')));
  return { size: hash.size, sha256: hash.sha256, durationMs: facts.durationMs, peaks, blob };
}

/**
 * Notes an encrypted file this ingest wrote, before anything else can fail, so a crash before the commit
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
