// Plaintext audio on disk (staged uploads, tus uploads, scratch files) is readable by the service's user only,
// whatever the umask, and plaintext scratch left by interrupted work is removed at start-up while staged
// uploads, still needed to finish ingest, are kept.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Upload } from '@tus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsRecordingStaging } from './staging.ts';
import { prepareUploadDirs, tusDir, uploadsDir } from './upload-files.ts';
import { PrivateFileStore } from './upload-tus.ts';

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe('files holding recordings in plaintext', () => {
  let dir: string;
  let umask: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-staging-'));
    // The most permissive umask: nothing the service creates may rely on the umask to keep it private.
    umask = process.umask(0o000);
  });
  afterEach(async () => {
    process.umask(umask);
    await rm(dir, { recursive: true, force: true });
  });

  it('a staged upload and the staging and scratch folders are private (0600 and 0700) under any umask', async () => {
    const staging = new FsRecordingStaging(path.join(dir, 'staging'));
    await staging.prepare();
    const id = randomUUID();
    await staging.append(id, 0, Buffer.from('audio'));
    expect(await modeOf(staging.pathFor(id))).toBe(0o600);
    expect(await modeOf(path.join(dir, 'staging'))).toBe(0o700);
    expect(await modeOf(path.dirname(staging.scratchPath('x')))).toBe(0o700);
  });

  it('folders made by an earlier version with a looser mode are made private at start-up', async () => {
    await mkdir(path.join(dir, 'staging', 'scratch'), { recursive: true, mode: 0o755 });
    await mkdir(tusDir(dir), { recursive: true, mode: 0o755 });
    await new FsRecordingStaging(path.join(dir, 'staging')).prepare();
    await prepareUploadDirs(dir);
    for (const d of [path.join(dir, 'staging'), path.join(dir, 'staging', 'scratch'), uploadsDir(dir), tusDir(dir)])
      expect(await modeOf(d)).toBe(0o700);
  });

  it('a finished upload taken into staging is private, though the upload library made it world-readable', async () => {
    const staging = new FsRecordingStaging(path.join(dir, 'staging'));
    await staging.prepare();
    const uploaded = path.join(dir, 'uploaded');
    await writeFile(uploaded, 'audio', { mode: 0o644 });
    const id = randomUUID();
    await staging.adopt(id, uploaded);
    expect(await modeOf(staging.pathFor(id))).toBe(0o600);
  });

  it('a resumable (tus) upload file and its description are private from the moment they are created', async () => {
    await prepareUploadDirs(dir);
    const store = new PrivateFileStore({ directory: tusDir(dir) });
    const id = `${randomUUID()}-${'a'.repeat(32)}`;
    await store.create(new Upload({ id, size: 10, offset: 0, metadata: {} }));
    expect(await modeOf(path.join(tusDir(dir), id))).toBe(0o600);
    expect(await modeOf(path.join(tusDir(dir), `${id}.json`))).toBe(0o600);
  });

  it('plaintext scratch left by interrupted work is removed at start-up; staged uploads are kept for ingest', async () => {
    const staging = new FsRecordingStaging(path.join(dir, 'staging'));
    await staging.prepare();
    const id = randomUUID();
    await staging.append(id, 0, Buffer.from('audio'));
    await writeFile(staging.scratchPath(`${id}-playback.mp3`), 'plaintext');
    await writeFile(staging.scratchPath(`.${id}-playback.mp3.${randomUUID()}.part`), 'plaintext');
    await writeFile(staging.scratchPath('copy-1-1.original'), 'plaintext');

    expect(await staging.removeLeftoverScratch()).toBe(3);
    expect(await readdir(path.dirname(staging.scratchPath('x')))).toEqual([]);
    expect(await staging.list()).toEqual([id]);
    expect(await staging.size(id)).toBe(5);
  });

  it('start-up clean-up of scratch is a no-op when there is no scratch folder yet', async () => {
    expect(await new FsRecordingStaging(path.join(dir, 'staging')).removeLeftoverScratch()).toBe(0);
  });
});

describe('a staged upload kept from an earlier version', () => {
  it('a staged file found 0644 is made private (0600) on the next append', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-staging-'));
    try {
      const staging = new FsRecordingStaging(path.join(dir, 'staging'));
      await staging.prepare();
      const id = randomUUID();
      await writeFile(staging.pathFor(id), 'au');
      await chmod(staging.pathFor(id), 0o644);
      await staging.append(id, 2, Buffer.from('dio'));
      expect(await modeOf(staging.pathFor(id))).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
