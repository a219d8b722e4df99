/**
 * The recording's playback copy, decrypted for a disclosure copy to be spliced from (src/infra/audio/mp3-splice.ts):
 * only the frames around each withheld range are then re-encoded, and every other frame is copied. It is used only
 * when it is the newest playback copy, made from the same original, and decrypts to exactly the bytes recorded for
 * it; otherwise the disclosure copy is made in full from the original, as before.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { RecordingCipher, RecordingRecord } from '../recordings/ports.ts';
import { binding, latestPlayback } from '../recordings/recording-shared.ts';
import type { UnitOfWork } from '../unit-of-work.ts';

export type PlaybackSourceResult = { usable: true } | { usable: false; reason: string };

/**
 * Decrypts the recording's newest playback copy to `target` (created 0600) and checks it against its record. When
 * it is not usable, `target` is removed and the reason (a fact about the file, no personal data) is returned.
 */
export async function decryptPlaybackSource(
  deps: { uow: UnitOfWork; blobs: BlobStore; cipher: RecordingCipher },
  recording: RecordingRecord,
  target: string,
): Promise<PlaybackSourceResult> {
  const playback = latestPlayback(
    await deps.uow.run((repos) => repos.recordings.listDerivatives(recording.id, { withPeaks: false })),
  );
  if (!playback) return { usable: false, reason: 'the recording has no playback copy' };
  if (playback.originalSha256 !== recording.originalSha256)
    return { usable: false, reason: 'the playback copy was made from another original' };
  const plain = createHash('sha256');
  let size = 0;
  try {
    await (await open(target, 'wx', 0o600)).close();
    await pipeline(
      deps.cipher.decrypt(await deps.blobs.get(playback.blobKey), binding(recording.id, 'playback')),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          plain.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(target, { flags: 'r+', mode: 0o600 }),
    );
  } catch (err) {
    await rm(target, { force: true });
    return { usable: false, reason: `the playback copy could not be read (${(err as Error).name})` };
  }
  if (size !== playback.size || plain.digest('hex') !== playback.sha256) {
    await rm(target, { force: true });
    return { usable: false, reason: 'the playback copy does not match its record' };
  }
  return { usable: true };
}
