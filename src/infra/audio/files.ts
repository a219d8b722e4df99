import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a derived file under a temporary name beside `outputPath` (`write` is given that path),
 * flushes it to disk and renames it into place, so `outputPath` never holds a partial copy; on any
 * failure or abort the temporary file is removed. The file is plaintext audio: it is created 0600
 * before the tool writes into it (a tool overwriting it keeps that mode), and made 0600 again before
 * it is renamed, whatever the umask.
 */
export async function writeAtomically<T>(outputPath: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const tmp = path.join(path.dirname(outputPath), `.${path.basename(outputPath)}.${randomUUID()}.part`);
  try {
    await (await open(tmp, 'wx', 0o600)).close();
    const result = await write(tmp);
    const fh = await open(tmp, 'r+');
    try {
      await fh.chmod(0o600);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, outputPath);
    return result;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function sha256File(filePath: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  const { size } = await stat(filePath);
  return { sha256: hash.digest('hex'), sizeBytes: size };
}
