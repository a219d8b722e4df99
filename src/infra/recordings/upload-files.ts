/**
 * Where uploaded recordings wait on disk before the service takes them into staging: plain form
 * uploads under `DATA_DIR/uploads` (one file per request, named by a random id) and resumable (tus)
 * uploads under `DATA_DIR/uploads/tus` (named `<recording id>-<random hex>`). A person's file name
 * never reaches a path: it is not read, stored or logged.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export function uploadsDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'uploads');
}

export function tusDir(dataDir: string): string {
  return path.join(uploadsDir(dataDir), 'tus');
}

/** A tus upload's id: the recording it belongs to, then 32 random hex digits. */
export const TUS_UPLOAD_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f]{32})$/;
const TEMP_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.part$/;

/** Makes the upload folders, readable by the service's user only even if they existed before. */
export async function prepareUploadDirs(dataDir: string): Promise<void> {
  await mkdir(tusDir(dataDir), { recursive: true, mode: 0o700 });
  await chmod(uploadsDir(dataDir), 0o700);
  await chmod(tusDir(dataDir), 0o700);
}

export interface StreamedFile {
  path: string;
  size: number;
}

/**
 * Writes `source` to a new file with a random name under `DATA_DIR/uploads`, readable by the service
 * only, flushed to disk before it is handed on. `limitBytes` is checked as bytes arrive: past it the
 * source is abandoned, the partial file removed, and `null` returned.
 */
export async function streamToTempFile(
  dataDir: string,
  source: AsyncIterable<Buffer>,
  limitBytes: number,
): Promise<StreamedFile | null> {
  const dir = uploadsDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${randomUUID()}.part`);
  const fh = await open(file, 'wx', 0o600);
  let size = 0;
  let ok = false;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limitBytes) return null;
      await fh.write(chunk);
    }
    await fh.sync();
    ok = true;
    return { path: file, size };
  } finally {
    await fh.close();
    if (!ok) await rm(file, { force: true });
  }
}

/**
 * Removes uploads nobody has added to for `olderThanMs`: tus uploads (the data file and its `.json`
 * description) and plain form uploads left by a request that failed part-way. A finished upload is
 * already in staging, so only abandoned ones remain here. Returns how many uploads were removed.
 * For a scheduled job (for example daily, with a week's grace so a slow upload can resume).
 */
export async function purgeAbandonedUploads(
  dataDir: string,
  olderThanMs: number,
  now: Date = new Date(),
): Promise<number> {
  const cutoff = now.getTime() - olderThanMs;
  let removed = 0;
  const lastTouched = async (file: string): Promise<number | null> => {
    try {
      return (await stat(file)).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };
  const list = async (dir: string): Promise<string[]> => {
    try {
      return await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  };

  const tus = tusDir(dataDir);
  const ids = new Set(
    (await list(tus)).map((name) => name.replace(/\.json$/, '')).filter((id) => TUS_UPLOAD_ID.test(id)),
  );
  for (const id of ids) {
    const data = path.join(tus, id);
    const info = `${data}.json`;
    const touched = [await lastTouched(data), await lastTouched(info)].filter((t): t is number => t !== null);
    if (touched.length === 0 || Math.max(...touched) > cutoff) continue;
    await rm(data, { force: true });
    await rm(info, { force: true });
    removed++;
  }

  const plain = uploadsDir(dataDir);
  for (const name of await list(plain)) {
    if (!TEMP_FILE.test(name)) continue;
    const file = path.join(plain, name);
    const touched = await lastTouched(file);
    if (touched === null || touched > cutoff) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}

/** The recordings with a resumable (tus) upload still kept on disk: someone may still be sending them. */
export async function tusUploadsInProgress(dataDir: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await readdir(tusDir(dataDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  const ids = new Set<string>();
  for (const name of names) {
    const m = TUS_UPLOAD_ID.exec(name.replace(/\.json$/, ''));
    if (m) ids.add(m[1]!);
  }
  return ids;
}
