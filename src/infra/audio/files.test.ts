import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from './files.ts';

describe('derived audio written to scratch', () => {
  let dir: string;
  let umask: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-files-'));
    umask = process.umask(0o000);
  });
  afterEach(async () => {
    process.umask(umask);
    await rm(dir, { recursive: true, force: true });
  });

  it('is private (0600) under any umask, while being written and once in place', async () => {
    const out = path.join(dir, 'playback.mp3');
    let modeWhileWriting = -1;
    await writeAtomically(out, async (tmp) => {
      // As ffmpeg does with -y: open for writing with the default mode, truncating what is there.
      await writeFile(tmp, 'plaintext audio');
      modeWhileWriting = (await stat(tmp)).mode & 0o777;
    });
    expect(modeWhileWriting).toBe(0o600);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readFile(out, 'utf8')).toBe('plaintext audio');
  });

  it('leaves nothing behind when the tool fails', async () => {
    const out = path.join(dir, 'playback.mp3');
    await expect(
      writeAtomically(out, async () => {
        throw new Error('tool failed');
      }),
    ).rejects.toThrow('tool failed');
    expect(await readdir(dir)).toEqual([]);
  });
});
