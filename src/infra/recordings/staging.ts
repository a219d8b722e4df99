import { randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingStaging, StagedAudio } from '../../app/recordings/ports.ts';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Bytes of a recording while they arrive, before ingest encrypts and stores the original: one file
 * per recording under `root` (the service uses `DATA_DIR/staging`), readable by the service's user
 * only (files 0600, folders 0700, whatever the umask), named by the recording's id and never by anything a person typed. Each append is flushed to
 * disk before it is acknowledged. Ingest removes the file once the original is stored.
 */
export class FsRecordingStaging implements RecordingStaging {
  private readonly root: string;
  private readonly scratchDir: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.scratchDir = path.join(this.root, 'scratch');
  }

  pathFor(recordingId: string): string {
    if (!ID.test(recordingId)) throw new Error('Not a recording id');
    return path.join(this.root, `${recordingId}.audio`);
  }

  async append(recordingId: string, offset: number, bytes: Uint8Array): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const file = this.pathFor(recordingId);
    const fh = await open(file, constants.O_RDWR | constants.O_CREAT, 0o600);
    try {
      const { size } = await fh.stat();
      if (size < offset) throw new Error(`Staged audio is shorter (${size} bytes) than recorded (${offset} bytes)`);
      // Bytes past the acknowledged length were written before a crash and never acknowledged.
      if (size > offset) await fh.truncate(offset);
      // The mode given to open applies only to a new file: one kept from before is made private too.
      await fh.chmod(0o600);
      await fh.write(bytes, 0, bytes.byteLength, offset);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async adopt(recordingId: string, sourcePath: string): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const target = this.pathFor(recordingId);
    try {
      await rename(sourcePath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // Uploads kept on another file system: copy, flush, then remove the source.
      const tmp = `${target}.${randomUUID()}.part`;
      await copyFile(sourcePath, tmp);
      const fh = await open(tmp, 'r');
      await fh.sync();
      await fh.close();
      await rename(tmp, target);
      await unlink(sourcePath);
    }
    // The upload's file was created by the upload library with the default mode (0644 under the usual umask).
    await chmod(target, 0o600);
    const dir = await open(this.root, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async open(recordingId: string): Promise<StagedAudio | null> {
    const size = await this.size(recordingId);
    if (size === null) return null;
    // Only the bytes there when asked: an append racing a read never makes the stream longer than `size`.
    return { size, stream: createReadStream(this.pathFor(recordingId), size > 0 ? { start: 0, end: size - 1 } : {}) };
  }

  /** The staged file is already the node-local copy. */
  async materialise(recordingId: string): Promise<void> {
    this.pathFor(recordingId);
  }

  async sourceSize(source: string): Promise<number> {
    return (await stat(source)).size;
  }

  async size(recordingId: string): Promise<number | null> {
    try {
      return (await stat(this.pathFor(recordingId))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(recordingId: string): Promise<void> {
    await rm(this.pathFor(recordingId), { force: true });
  }

  scratchPath(name: string): string {
    if (!/^[0-9a-zA-Z._-]+$/.test(name)) throw new Error('Not a scratch file name');
    return path.join(this.scratchDir, name);
  }

  /** Makes the staging and scratch folders, readable by the service's user only even if they existed before. */
  async prepare(): Promise<void> {
    await mkdir(this.scratchDir, { recursive: true, mode: 0o700 });
    await chmod(this.root, 0o700);
    await chmod(this.scratchDir, 0o700);
  }

  /**
   * Removes whatever an interrupted ingest or copy left in the scratch folder: decrypted originals and
   * playback or disclosure copies in plaintext. Staged uploads are kept: ingest still needs them. For the
   * service's start-up only, before any job runs (a command-line run must not remove a running job's files).
   * Returns how many files were removed.
   */
  async removeLeftoverScratch(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.scratchDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    for (const name of names) await rm(path.join(this.scratchDir, name), { recursive: true, force: true });
    return names.length;
  }

  /** Staged files, for an administrator's view of recordings that never finished. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((f) => f.endsWith('.audio')).map((f) => f.slice(0, -'.audio'.length));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
