/** Reading a stored encrypted file back in full to prove it is what was stored. */
import { cipherHashHolds } from '../blobs/key-custody.ts';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { FixityResult } from './ports.ts';
import type { RecordingServiceDeps } from './recording-shared.ts';

/** Decrypts the whole blob (every chunk authenticated) and compares both hashes with those recorded. */
export async function checkStoredFile(
  deps: Pick<RecordingServiceDeps, 'blobs' | 'cipher' | 'uow'>,
  key: string,
  bindingLabel: string,
  plainSha256: string,
  blobSha256: string,
): Promise<{ result: FixityResult; detail: string | null }> {
  let cipherStream: Readable;
  try {
    cipherStream = await deps.blobs.get(key);
  } catch (err) {
    if (err instanceof NotFoundError) return { result: 'missing', detail: 'The stored file is missing' };
    return { result: 'unreadable', detail: (err as Error).message };
  }
  const cipherHash = createHash('sha256');
  const plainHash = createHash('sha256');
  cipherStream.on('data', (c: Buffer) => cipherHash.update(c));
  try {
    await pipeline(deps.cipher.decrypt(cipherStream, bindingLabel), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) plainHash.update(chunk);
    });
  } catch (err) {
    return { result: 'mismatch', detail: `The stored file does not decrypt: ${(err as Error).message}` };
  }
  const c = cipherHash.digest('hex');
  const p = plainHash.digest('hex');
  // A header rewritten for a new key changes the encrypted file's hash, never its payload: the rotation's audited
  // rewrap events lead from the recorded hash to the file's.
  if (!(await cipherHashHolds(deps.uow, key, blobSha256, c)))
    return { result: 'mismatch', detail: 'The encrypted file’s SHA-256 has changed' };
  if (p !== plainSha256) return { result: 'mismatch', detail: 'The recording’s SHA-256 has changed' };
  return { result: 'ok', detail: null };
}
