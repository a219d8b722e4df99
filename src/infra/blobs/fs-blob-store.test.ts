import { createHash } from 'node:crypto';
import { write } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../../app/blobs/blob-store.ts';
import { blobStoreContract, listAll, readAll } from './blob-store-contract.ts';
import { FsBlobStore } from './fs-blob-store.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

blobStoreContract('FsBlobStore', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-blobs-'));
  const root = path.join(dir, 'blobs');
  // A root beneath a regular file: every file-system call on it fails with ENOTDIR.
  const notADirectory = path.join(dir, 'not-a-directory');
  await writeFile(notADirectory, '');
  return {
    store: new FsBlobStore(root),
    unreachable: new FsBlobStore(path.join(notADirectory, 'blobs')),
    leftovers: () => filesUnder(path.join(root, 'tmp')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('the file-system blob store', () => {
  let dir: string;
  let store: FsBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-blobs-'));
    store = new FsBlobStore(path.join(dir, 'blobs'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is reachable (for readiness) before its first file and after, and not when its folder is a file or cannot be made', async () => {
    await expect(store.checkReachable()).resolves.toBeUndefined();
    await store.put(Buffer.from('x'));
    await expect(store.checkReachable()).resolves.toBeUndefined();
    await writeFile(path.join(dir, 'a-file'), 'not a folder');
    await expect(new FsBlobStore(path.join(dir, 'a-file')).checkReachable()).rejects.toThrow(/not a folder/);
    await expect(new FsBlobStore(path.join(dir, 'missing', 'blobs')).checkReachable()).rejects.toThrow(/ENOENT/);
  });

  it('keeps each blob in a file readable only by the service, under a shard directory, with nothing left in tmp', async () => {
    const a = await store.put(Readable.from([Buffer.from('a '), Buffer.from('report\n')]));
    const file = path.join(dir, 'blobs', a.key.slice(0, 2), a.key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readdir(path.join(dir, 'blobs', 'tmp'))).toEqual([]);
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([file]);
  });

  it('keeps nothing at all of refused or failed content', async () => {
    await expect(store.put(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { maxBytes: 10 })).rejects.toThrow(
      /larger than the limit of 10 bytes/,
    );
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('client went away');
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
  });

  it('never turns a key it did not make into a path, even when a file of that name exists', async () => {
    await writeFile(path.join(dir, 'secret'), 'not a blob');
    const { key } = await store.put(Buffer.from('x'));
    for (const bad of ['../secret', `../../secret`, `${key}/../../../secret`, key.toUpperCase()]) {
      await expect(store.get(bad)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.stat(bad)).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.delete(bad);
    }
    expect(await stat(path.join(dir, 'secret'))).toBeTruthy();
  });

  it('lists only well-formed keys in their own shard, ignoring tmp and anything else in the directory', async () => {
    const { key } = await store.put(Buffer.from('kept'));
    const root = path.join(dir, 'blobs');
    await writeFile(path.join(root, 'tmp', '00000000-0000-4000-8000-000000000000.part'), 'partial');
    await writeFile(path.join(root, key.slice(0, 2), 'notes.txt'), 'stray');
    // A well-formed key in the wrong shard is not one the store wrote.
    await writeFile(
      path.join(
        root,
        key.slice(0, 2),
        key.startsWith('ff') ? '00000000-0000-4000-8000-000000000000' : 'ffffffff-0000-4000-8000-000000000000',
      ),
      'misplaced',
    );
    expect(await listAll(store)).toEqual([key]);
    expect(await listAll(new FsBlobStore(path.join(dir, 'never-created')))).toEqual([]);
  });

  it('stores what a writer given the new file’s descriptor wrote, fsynced and renamed into place like any put', async () => {
    const bytes = Buffer.from('written by another thread');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const stored = await store.putWritten(async (fd) => {
      await promisify(write)(fd, bytes, 0, bytes.length, 0);
      return { sha256, size: bytes.length };
    });
    expect(stored).toEqual({ key: expect.any(String), sha256, size: bytes.length });
    expect((await readAll(await store.get(stored.key))).equals(bytes)).toBe(true);
    const file = path.join(dir, 'blobs', stored.key.slice(0, 2), stored.key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([file]);
  });

  it('keeps nothing of what a writer wrote when it fails, or when the file is not as long as it says', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    await expect(
      store.putWritten(async (fd) => {
        await promisify(write)(fd, Buffer.from('partial'), 0, 7, 0);
        throw full;
      }),
    ).rejects.toBe(full);
    await expect(
      store.putWritten(async (fd) => {
        await promisify(write)(fd, Buffer.from('short'), 0, 5, 0);
        return { sha256: 'f'.repeat(64), size: 6 };
      }),
    ).rejects.toThrow(/5 bytes long, not the 6 bytes written/);
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
  });

  it('closes the file when a range is refused, and streams the range when it is not', async () => {
    const { key } = await store.put(Buffer.from('0123456789'));
    await expect(store.getRange(key, 5, 10)).rejects.toMatchObject({ size: 10 });
    expect((await readAll(await store.getRange(key, 3, 5))).toString()).toBe('345');
  });
});
