import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../infra/blobs/fs-blob-store.ts';
import { sweepOrphanedBlobs } from './orphan-sweep.ts';

describe('sweeping files no record refers to', () => {
  let dir: string;
  let blobs: FsBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-sweep-'));
    blobs = new FsBlobStore(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const age = async (key: string, hours: number) => {
    const t = new Date(Date.now() - hours * 3_600_000);
    await utimes(path.join(dir, key.slice(0, 2), key), t, t);
  };

  it('deletes only unreferenced files older than a day', async () => {
    const kept = await blobs.put(Buffer.from('a report'));
    const oldOrphan = await blobs.put(Buffer.from('left by a crash'));
    const newOrphan = await blobs.put(Buffer.from('an upload still saving its row'));
    await age(kept.key, 48);
    await age(oldOrphan.key, 25);
    await age(newOrphan.key, 2);
    const r = await sweepOrphanedBlobs({ blobs, referenced: async () => [kept.key], now: () => new Date() });
    expect(r).toEqual({ listed: 3, deleted: [oldOrphan.key] });
    await expect(blobs.stat(oldOrphan.key)).rejects.toThrow();
    expect((await blobs.stat(kept.key)).size).toBe(8);
    expect((await blobs.stat(newOrphan.key)).size).toBeGreaterThan(0);
  });

  it('reads the references after listing, so a row committed meanwhile keeps its file', async () => {
    const late = await blobs.put(Buffer.from('row saved during the sweep'));
    await age(late.key, 30);
    const r = await sweepOrphanedBlobs({ blobs, referenced: async () => [late.key], now: () => new Date() });
    expect(r.deleted).toEqual([]);
  });
});
