import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, access, constants, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  type BlobStat,
  type BlobStore,
  BlobNotFoundError,
  BlobRangeError,
  BlobTooLargeError,
  type PutOptions,
  type StoredBlob,
  assertValidRange,
  isBlobKey,
} from '../../app/blobs/blob-store.ts';

/**
 * Blobs as files under `root` (the service uses `DATA_DIR/blobs`): `root/ab/ab12…-…` for key
 * `ab12…-…`, written to `root/tmp` first, fsynced, then renamed into place and the directory
 * fsynced, so a crash never leaves a partial file under a key. The SHA-256 is computed from the
 * bytes as they are written, and they are written in large batches (one writev per MiB) while the next
 * batch is made. Files and directories are readable by the service's user only.
 */
export class FsBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, 'tmp');
  }

  async checkReachable(): Promise<void> {
    // The folder may not exist before the first file is stored: then its parent must be writable.
    const existing = await stat(this.root).then(
      (s) => s,
      () => null,
    );
    if (existing && !existing.isDirectory()) throw new Error('The blob store folder is not a folder');
    await access(existing ? this.root : path.dirname(this.root), constants.R_OK | constants.W_OK | constants.X_OK);
  }

  async put(content: Readable | Uint8Array, opts: PutOptions = {}): Promise<StoredBlob> {
    return this.write(randomUUID(), content, opts.maxBytes ?? Number.POSITIVE_INFINITY);
  }

  async replace(key: string, content: Readable | Uint8Array): Promise<StoredBlob> {
    try {
      await (await this.openBlob(key)).close();
    } catch (err) {
      if (content instanceof Readable && !content.destroyed) content.destroy();
      throw err;
    }
    // rename() over the existing file is atomic: readers holding it open keep the old bytes.
    return this.write(key, content, Number.POSITIVE_INFINITY);
  }

  /**
   * A new blob whose bytes `write` writes itself, for a writer on another thread (the recording seal worker): it is
   * given the descriptor of a new file, owner-only and empty, writes from offset 0, and resolves with the SHA-256 and
   * length of what it wrote once nothing it started is still writing. The file must then be that long; it is fsynced
   * and renamed into place as `put` does. All or nothing: when `write` fails, or the length differs, the file is
   * removed and the error thrown.
   */
  async putWritten(write: (fd: number) => Promise<{ sha256: string; size: number }>): Promise<StoredBlob> {
    const key = randomUUID();
    let fh: FileHandle | undefined;
    let tmp: string | undefined;
    try {
      await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
      tmp = path.join(this.tmpDir, `${key}.${randomUUID()}.part`);
      fh = await open(tmp, 'wx', 0o600);
      const { sha256, size } = await write(fh.fd);
      const { size: onDisk } = await fh.stat();
      if (onDisk !== size) throw new Error(`The new file is ${onDisk} bytes long, not the ${size} bytes written`);
      await this.commit(key, fh, tmp);
      fh = tmp = undefined;
      return { key, sha256, size };
    } catch (err) {
      await fh?.close().catch(() => undefined);
      if (tmp) await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Flushes and closes a complete temporary file, and renames it into place under `key`, durably. On failure the
   * caller closes `fh` (again: closing twice is harmless) and removes `tmp`.
   */
  private async commit(key: string, fh: FileHandle, tmp: string): Promise<void> {
    await fh.sync();
    await fh.close();
    const dir = path.dirname(this.pathOf(key));
    // A new shard directory is itself an entry in root that must reach the disk.
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    await rename(tmp, this.pathOf(key));
    await syncDirectory(dir);
    if (created !== undefined) await syncDirectory(this.root);
  }

  private async write(key: string, content: Readable | Uint8Array, max: number): Promise<StoredBlob> {
    let fh: FileHandle | undefined;
    let tmp: string | undefined;
    let writing: Promise<unknown> = Promise.resolve();
    try {
      if (content instanceof Uint8Array && content.byteLength > max) throw new BlobTooLargeError(max);
      await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
      tmp = path.join(this.tmpDir, `${key}.${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      fh = await open(tmp, 'wx', 0o600);
      const source = content instanceof Uint8Array ? [content] : content;
      // Pieces are gathered into batches of WRITE_BATCH bytes, each written with one writev while the next batch is
      // read, hashed (and, for a recording, encrypted): at most two batches are held, whatever the file's size.
      const out = fh;
      let batch: Uint8Array[] = [];
      let batched = 0;
      const flush = async () => {
        await writing;
        const pieces = batch;
        batch = [];
        batched = 0;
        writing = writeAll(out, pieces);
        // A failed write is awaited (and thrown) at the next flush or at the end, never left unhandled.
        writing.catch(() => undefined);
      };
      for await (const chunk of source as AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.byteLength;
        if (size > max) throw new BlobTooLargeError(max);
        hash.update(bytes);
        batch.push(bytes);
        batched += bytes.byteLength;
        if (batched >= WRITE_BATCH) await flush();
      }
      await flush();
      await writing;
      await this.commit(key, fh, tmp);
      fh = tmp = undefined;
      return { key, sha256: hash.digest('hex'), size };
    } catch (err) {
      if (content instanceof Readable && !content.destroyed) content.destroy();
      await writing.catch(() => undefined);
      await fh?.close().catch(() => undefined);
      if (tmp) await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const fh = await this.openBlob(key);
    return fh.createReadStream();
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    if (!isBlobKey(key)) throw new BlobNotFoundError();
    assertValidRange(start, endInclusive);
    const fh = await this.openBlob(key);
    try {
      const { size } = await fh.stat();
      if (endInclusive >= size) throw new BlobRangeError(start, endInclusive, size);
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
    return fh.createReadStream({ start, end: endInclusive });
  }

  async stat(key: string): Promise<BlobStat> {
    const fh = await this.openBlob(key);
    try {
      const st = await fh.stat();
      return { size: st.size, storedAt: st.mtime };
    } finally {
      await fh.close();
    }
  }

  async *list(): AsyncIterable<string> {
    let shards: string[];
    try {
      shards = (await readdir(this.root, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
        .map((d) => d.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const shard of shards.sort()) {
      let names: string[];
      try {
        names = await readdir(path.join(this.root, shard));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      for (const name of names.sort()) if (isBlobKey(name) && name.startsWith(shard)) yield name;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    try {
      await unlink(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private async openBlob(key: string): Promise<FileHandle> {
    if (!isBlobKey(key)) throw new BlobNotFoundError();
    try {
      return await open(this.pathOf(key), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError();
      throw err;
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, key.slice(0, 2), key);
  }
}

/** Bytes gathered before one writev: large writes, few system calls, little memory. */
const WRITE_BATCH = 1 << 20;
/** IOV_MAX on Linux: more pieces than this are written in several calls. */
const MAX_PIECES = 1024;

/** Writes every piece, in order, at the file's current position (writev may write less than asked: the rest follows). */
async function writeAll(fh: FileHandle, pieces: Uint8Array[]): Promise<void> {
  let rest = pieces.filter((p) => p.byteLength > 0);
  while (rest.length > 0) {
    const now = rest.slice(0, MAX_PIECES);
    let { bytesWritten } = await fh.writev(now);
    let i = 0;
    while (i < now.length && bytesWritten >= now[i]!.byteLength) bytesWritten -= now[i++]!.byteLength;
    rest = rest.slice(i);
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

/** Makes a rename durable: the directory entry itself is flushed. */
async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
