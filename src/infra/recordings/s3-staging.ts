/**
 * Staging shared by every node (BLOB_STORE=s3 with more than one node): a recording's bytes wait in the object
 * store under the staging prefix, so any node can take the rest of an upload or the next live chunk, and any node
 * can ingest it; a node that dies takes nothing with it. Objects are private (no ACL is ever set: the bucket's
 * own, which must refuse public access) and named by the recording's id only:
 * - `<prefix>recordings/<id>.audio`: a finished upload, adopted from the tus upload (a copy inside the store)
 *   or from a form's file on this node;
 * - `<prefix>live/<id>/<offset>`: one object per live chunk, at its byte offset (16 digits), written before the
 *   chunk is acknowledged; together, in order, they are the recording;
 * - `<prefix>tus/`: resumable uploads still arriving (tus's S3 store, see upload-tus-s3.ts).
 * The local staging folder holds only node-local copies made for ingest (`materialise`) and scratch files.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { RecordingStaging, StagedAudio } from '../../app/recordings/ports.ts';
import { FsRecordingStaging } from './staging.ts';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OFFSET_DIGITS = 16;
/** CopyObject's limit: larger uploads are copied part by part. */
const COPY_LIMIT = 5 * 1024 ** 3;

export interface S3StagingOptions {
  client: S3Client;
  bucket: string;
  /** Ends with `/`; never the blob store's own prefix. */
  prefix: string;
  /** This node's folder for copies made for ingest and scratch files (`DATA_DIR/staging`). */
  localRoot: string;
}

interface ChunkObject {
  key: string;
  offset: number;
  size: number;
}

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

export class S3RecordingStaging implements RecordingStaging {
  private readonly local: FsRecordingStaging;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(opts: S3StagingOptions) {
    if (!opts.prefix.endsWith('/')) throw new Error('The staging prefix must end with /');
    this.local = new FsRecordingStaging(opts.localRoot);
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix;
  }

  /** Where tus keeps uploads still arriving, inside the staging prefix. */
  get tusPrefix(): string {
    return `${this.prefix}tus/`;
  }

  private wholeKey(recordingId: string): string {
    if (!ID.test(recordingId)) throw new Error('Not a recording id');
    return `${this.prefix}recordings/${recordingId}.audio`;
  }

  private liveDir(recordingId: string): string {
    if (!ID.test(recordingId)) throw new Error('Not a recording id');
    return `${this.prefix}live/${recordingId}/`;
  }

  pathFor(recordingId: string): string {
    return this.local.pathFor(recordingId);
  }

  scratchPath(name: string): string {
    return this.local.scratchPath(name);
  }

  prepare(): Promise<void> {
    return this.local.prepare();
  }

  /** Scratch files and node-local copies of staged audio (plaintext) left by interrupted work on this node. */
  async removeLeftoverScratch(): Promise<number> {
    let removed = await this.local.removeLeftoverScratch();
    for (const id of await this.local.list()) {
      await this.local.remove(id);
      removed++;
    }
    return removed;
  }

  private async *listKeys(prefix: string): AsyncGenerator<{ key: string; size: number }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** A live recording's chunks in order of offset. */
  private async chunks(recordingId: string): Promise<ChunkObject[]> {
    const dir = this.liveDir(recordingId);
    const found: ChunkObject[] = [];
    for await (const { key, size } of this.listKeys(dir)) {
      const name = key.slice(dir.length);
      if (!/^\d{16}$/.test(name)) continue;
      found.push({ key, offset: Number(name), size });
    }
    return found.sort((a, b) => a.offset - b.offset);
  }

  /** The chunks that run on from byte 0 without a gap, and where they end. */
  private contiguous(chunks: ChunkObject[]): { parts: ChunkObject[]; size: number } {
    const parts: ChunkObject[] = [];
    let size = 0;
    for (const c of chunks) {
      if (c.offset !== size) break;
      parts.push(c);
      size += c.size;
    }
    return { parts, size };
  }

  /**
   * One DeleteObject each, a few at once: every S3-compatible store supports it (DeleteObjects needs a
   * checksum header some stores refuse). Deleting a missing key succeeds.
   */
  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 8)
      await Promise.all(
        keys.slice(i, i + 8).map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))),
      );
  }

  async append(recordingId: string, offset: number, bytes: Uint8Array): Promise<void> {
    const chunks = await this.chunks(recordingId);
    const { size } = this.contiguous(chunks);
    if (size < offset) throw new Error(`Staged audio is shorter (${size} bytes) than recorded (${offset} bytes)`);
    // Chunks at or past the acknowledged length were written before a crash and never acknowledged.
    await this.deleteKeys(chunks.filter((c) => c.offset >= offset).map((c) => c.key));
    // Acknowledged only once the store has answered: the object is durable from then on.
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${this.liveDir(recordingId)}${String(offset).padStart(OFFSET_DIGITS, '0')}`,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async adopt(recordingId: string, source: string): Promise<void> {
    const target = this.wholeKey(recordingId);
    if (source.startsWith(this.tusPrefix)) {
      const size = await this.sourceSize(source);
      if (size <= COPY_LIMIT)
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: target,
            CopySource: `${this.bucket}/${encodeURI(source)}`,
          }),
        );
      else await this.upload(target, await this.readKey(source));
      await this.deleteKeys([source]);
      return;
    }
    // A form's file on this node.
    await this.upload(target, createReadStream(source));
    await unlink(source);
  }

  private async upload(key: string, body: Readable): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/octet-stream' },
      partSize: 16 * 1024 * 1024,
      queueSize: 2,
    }).done();
  }

  private async readKey(key: string): Promise<Readable> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!(res.Body instanceof Readable)) throw new Error('The object store answered without a body');
    return res.Body;
  }

  private async headSize(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async sourceSize(source: string): Promise<number> {
    if (!source.startsWith(this.tusPrefix)) return (await stat(source)).size;
    const size = await this.headSize(source);
    if (size === null) throw new Error('The finished upload is not in staging');
    return size;
  }

  async size(recordingId: string): Promise<number | null> {
    const whole = await this.headSize(this.wholeKey(recordingId));
    if (whole !== null) return whole;
    const chunks = await this.chunks(recordingId);
    return chunks.length === 0 ? null : this.contiguous(chunks).size;
  }

  async open(recordingId: string): Promise<StagedAudio | null> {
    const whole = this.wholeKey(recordingId);
    const wholeSize = await this.headSize(whole);
    if (wholeSize !== null) return { size: wholeSize, stream: await this.readKey(whole) };
    const chunks = await this.chunks(recordingId);
    if (chunks.length === 0) return null;
    const { parts, size } = this.contiguous(chunks);
    const out = new PassThrough();
    void (async () => {
      for (const part of parts) await pipeline(await this.readKey(part.key), out, { end: false });
      out.end();
    })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return { size, stream: out };
  }

  /** The staged bytes copied to this node's staging folder (0600, flushed, renamed into place when complete). */
  async materialise(recordingId: string): Promise<void> {
    const target = this.pathFor(recordingId);
    const staged = await this.open(recordingId);
    if (!staged) {
      await rm(target, { force: true });
      return;
    }
    await this.local.prepare();
    const tmp = `${target}.${randomUUID()}.part`;
    const fh = await openFile(tmp, 'wx', 0o600);
    try {
      let written = 0;
      for await (const chunk of staged.stream) {
        await fh.write(chunk);
        written += chunk.length;
      }
      if (written !== staged.size) throw new Error(`Staging gave ${written} bytes where it holds ${staged.size}`);
      await fh.sync();
    } catch (err) {
      await fh.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    await rename(tmp, target);
  }

  async remove(recordingId: string): Promise<void> {
    const chunks = await this.chunks(recordingId);
    await this.deleteKeys([this.wholeKey(recordingId), ...chunks.map((c) => c.key)]);
    await this.local.remove(recordingId);
  }

  /** Recordings with bytes in the shared staging, whichever node received them. */
  async list(): Promise<string[]> {
    const ids = new Set<string>();
    for await (const { key } of this.listKeys(`${this.prefix}recordings/`)) {
      const m = /\/([0-9a-f-]{36})\.audio$/.exec(key);
      if (m && ID.test(m[1]!)) ids.add(m[1]!);
    }
    for await (const { key } of this.listKeys(`${this.prefix}live/`)) {
      const m = /live\/([0-9a-f-]{36})\//.exec(key);
      if (m && ID.test(m[1]!)) ids.add(m[1]!);
    }
    return [...ids];
  }
}
