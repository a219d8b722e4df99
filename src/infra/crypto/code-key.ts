import { randomBytes } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * The server's secret for hashing one-time codes: 32 random bytes, base64, one line, in a file kept OUTSIDE the
 * database (DELIVERY_CODE_KEY_FILE). A code is six digits, so its digest alone could be reversed offline in a moment by
 * anyone holding a copy of the database; keyed with this secret (HMAC-SHA-256) it cannot be without the file too.
 * Never logged: error messages name the file, never its contents.
 */
export const CODE_KEY_BYTES = 32;

export class CodeKeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CodeKeyError';
  }
}

/**
 * Reads the key file, or (with `create`, as in development and tests) writes a new random key there with mode 0600 in
 * a 0700 folder when it does not exist yet. Refuses a file group or others can read, a file that is not 32 bytes of
 * base64, and (without `create`, as in production) a missing file.
 */
export async function loadCodeKey(file: string, opts: { create: boolean }): Promise<{ key: Buffer; created: boolean }> {
  const existing = await readCodeKey(file);
  if (existing) return { key: existing, created: false };
  if (!opts.create) {
    throw new CodeKeyError(
      `The one-time code key file ${file} does not exist: create it (32 random bytes, base64, mode 0600) before starting`,
    );
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(CODE_KEY_BYTES);
  let handle;
  try {
    // 'wx': two processes starting together never overwrite each other's key.
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = await readCodeKey(file);
    if (!theirs) throw err;
    return { key: theirs, created: false };
  }
  try {
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, created: true };
}

async function readCodeKey(file: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CodeKeyError(`Cannot open the one-time code key file ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new CodeKeyError(`The one-time code key file ${file} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      throw new CodeKeyError(
        `The one-time code key file ${file} can be read by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 on it`,
      );
    }
    const text = (await handle.readFile('utf8')).trim();
    const key = Buffer.from(text, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== CODE_KEY_BYTES) {
      throw new CodeKeyError(
        `The one-time code key file ${file} must hold ${CODE_KEY_BYTES} random bytes in base64 (openssl rand -base64 ${CODE_KEY_BYTES})`,
      );
    }
    return key;
  } finally {
    await handle.close();
  }
}
