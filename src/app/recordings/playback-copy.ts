/**
 * The playback copy of a recording, made the one way at ingest (from the staged audio) and in a repair (from
 * the decrypted original): an MP3 and its waveform from the one decode that also checks the audio, encrypted, stored
 * and noted as pending until it is committed.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { AudioFacts, DerivativeRecord } from './ports.ts';
import { binding, type RecordingServiceDeps } from './recording-shared.ts';

/** A playback copy stored but not yet committed: its file is noted as pending. */
export interface MadePlayback {
  size: number;
  sha256: string;
  durationMs: number;
  peaks: number[];
  blob: Awaited<ReturnType<BlobStore['put']>>;
}

/** The waveform's resolution stored with every playback copy (the player draws from it). */
const PEAKS_PER_SECOND = 10;

/**
 * Makes a recording playable from ONE decode of the plaintext audio at `input`: the audio is checked as
 * `deps.audio.probe` checks it (the same refusals, as AudioRejectedError / DomainError), and the same decode makes
 * the playback copy (MP3, no bit reservoir) and its waveform. The copy is encrypted, stored and noted as pending
 * (its key added to `created`) so a crash before the caller commits leaves a record for the start-up recovery. The
 * scratch file (`scratchName` in staging) is removed whatever happens. `facts` are what probe would have said.
 */
export async function makePlayableCopy(
  deps: Pick<RecordingServiceDeps, 'audio' | 'blobs' | 'cipher' | 'staging' | 'uow'>,
  recordingId: string,
  input: string,
  created: string[],
  opts: { signal?: AbortSignal | undefined; scratchName: string; acceptCutEnd?: boolean },
): Promise<{ facts: AudioFacts; playback: MadePlayback }> {
  const scratch = deps.staging.scratchPath(opts.scratchName);
  try {
    const { facts, peaks, copy } = await deps.audio.makePlayable(input, scratch, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.acceptCutEnd !== undefined ? { acceptCutEnd: opts.acceptCutEnd } : {}),
      peaksPerSecond: PEAKS_PER_SECOND,
    });
    const blob = await deps.blobs.put(deps.cipher.encrypt(createReadStream(scratch), binding(recordingId, 'playback')));
    created.push(blob.key);
    await notePending(deps, recordingId, blob.key);
    // The copy is on the recording's decoded timeline: its duration is the recording's, measured by the same decode.
    return { facts, playback: { size: copy.size, sha256: copy.sha256, durationMs: facts.durationMs, peaks, blob } };
  } finally {
    await rm(scratch, { force: true });
  }
}

/**
 * The playback copy and its waveform from audio already accepted (by probe at ingest, or an original that passed
 * its check), through makePlayableCopy: its one decode checks the audio again, accepting a live recording's cut end
 * as it was accepted when received.
 */
export async function makePlaybackCopy(
  deps: Pick<RecordingServiceDeps, 'audio' | 'blobs' | 'cipher' | 'staging' | 'uow'>,
  recordingId: string,
  input: string,
  created: string[],
  opts: { signal?: AbortSignal | undefined; scratchName: string },
): Promise<MadePlayback> {
  return (await makePlayableCopy(deps, recordingId, input, created, { ...opts, acceptCutEnd: true })).playback;
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
    peaks: { perSecond: PEAKS_PER_SECOND, values: made.peaks },
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
