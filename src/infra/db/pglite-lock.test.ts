import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, acquirePgliteLock } from './pglite-lock.ts';

describe('embedded database lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a second opener out while the first holds it, and lets go on release', async () => {
    const release = await acquirePgliteLock(dir);
    await expect(acquirePgliteLock(dir)).rejects.toThrow(DatabaseInUseError);
    await release();
    const again = await acquirePgliteLock(dir);
    await again();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    await writeFile(path.join(dir, 'cpcr.lock'), '2147483646');
    const release = await acquirePgliteLock(dir);
    await release();
  });

  it('names the process holding the lock', async () => {
    await writeFile(path.join(dir, 'cpcr.lock'), String(process.ppid));
    await expect(acquirePgliteLock(dir)).rejects.toThrow(`in use by process ${process.ppid}`);
  });
});
