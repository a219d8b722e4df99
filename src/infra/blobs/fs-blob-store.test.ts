import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, BlobTooLargeError } from '../../app/blobs/blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  return out;
}

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

  it('stores a buffer or a stream under a random key, with its SHA-256 and size, readable only by the service', async () => {
    const content = Buffer.from('a report\n');
    const a = await store.put(content);
    expect(a.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(a.size).toBe(content.length);
    expect((await read(await store.get(a.key))).equals(content)).toBe(true);

    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const b = await store.put(Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    expect(b.key).not.toBe(a.key);
    expect(b.sha256).toBe(createHash('sha256').update(big).digest('hex'));
    expect((await read(await store.get(b.key))).equals(big)).toBe(true);

    const file = path.join(dir, 'blobs', a.key.slice(0, 2), a.key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('keeps nothing of content over the limit, or of a stream that fails', async () => {
    await expect(store.put(Buffer.alloc(11), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(store.put(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { maxBytes: 10 })).rejects.toBeInstanceOf(BlobTooLargeError);
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('client went away');
    expect(await filesUnder(path.join(dir, 'blobs'))).toEqual([]);
  });

  it('never turns a key it did not make into a path', async () => {
    for (const key of ['../../etc/passwd', 'abc', '', '00000000-0000-4000-8000-000000000000/../x']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store.delete(key)).resolves.toBeUndefined();
    }
    await expect(store.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('deletes, and deleting twice is not an error', async () => {
    const { key } = await store.put(Buffer.from('x'));
    await store.delete(key);
    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});
