import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
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

/** How to reach an S3-compatible object store (AWS S3, MinIO, Ceph, and so on). */
export interface S3ConnectionSettings {
  region: string;
  /** For stores other than AWS S3, e.g. `https://minio.council.internal:9000`. */
  endpoint?: string | undefined;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (most self-hosted stores need this). */
  forcePathStyle: boolean;
  /** Both or neither: without them the SDK's default credential chain (environment, profile, instance role) is used. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

/**
 * An S3 client that works with any S3-compatible store. Since early 2025 the AWS SDK adds CRC32
 * checksums to every upload by default (`x-amz-checksum-crc32` headers, `x-amz-sdk-checksum-algorithm`,
 * a checksum algorithm on CreateMultipartUpload, and for streamed bodies `aws-chunked` encoding with
 * a checksum trailer). Many S3-compatible stores predate that protocol and reject those requests or
 * store the chunk framing as if it were content. `WHEN_REQUIRED` sends checksums only for the
 * operations that demand them; integrity does not depend on them here: the store keeps its own
 * SHA-256 of every blob (computed while writing), requests are signed over their payload, and `put`
 * checks the stored length before it answers.
 */
export function createS3Client(settings: S3ConnectionSettings, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client(s3ClientSettings(settings, extra));
}

/** The client settings `createS3Client` uses, for a library that makes its own client (tus's S3 store). */
export function s3ClientSettings(settings: S3ConnectionSettings, extra: Partial<S3ClientConfig> = {}): S3ClientConfig {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  };
}

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Keys are stored as `prefix + key`; a prefix without a trailing `/` gets one. */
  prefix?: string | undefined;
  /** Bytes per multipart part (at least 5 MiB, the S3 minimum); memory held per put is about partSize × (queueSize + 1). */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
  /** Keys asked for per ListObjectsV2 page. */
  listPageSize?: number;
  /** Told when a refused or failed upload's parts could not be discarded (the object itself never appears). */
  log?: { warn(details: Record<string, unknown>, message: string): void };
}

const MiB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MiB;
const MAX_PARTS = 10_000;

/**
 * Blobs as objects in an S3-compatible bucket, named `prefix + key` with a random UUID key. `put`
 * streams the content through a multipart upload (lib-storage's Upload: a few parts in memory at a
 * time, never the whole file), hashing and counting the bytes on the way; content over `maxBytes`,
 * or a source that fails, aborts the multipart upload, so nothing becomes visible under any key.
 * Objects appear in S3 only when the upload completes, and S3 acknowledges a write only once it is
 * durably stored.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number;
  private readonly log: S3BlobStoreOptions['log'];

  constructor(opts: S3BlobStoreOptions) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? opts.prefix.replace(/\/*$/, '/') : '';
    this.partSize = opts.partSize ?? 8 * MiB;
    this.queueSize = opts.queueSize ?? 4;
    this.listPageSize = opts.listPageSize ?? 1000;
    this.log = opts.log;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE)
      throw new Error(`partSize must be at least ${MIN_PART_SIZE} bytes (the S3 minimum)`);
    if (!Number.isSafeInteger(this.queueSize) || this.queueSize < 1) throw new Error('queueSize must be at least 1');
    if (!Number.isSafeInteger(this.listPageSize) || this.listPageSize < 1 || this.listPageSize > 1000)
      throw new Error('listPageSize must be between 1 and 1000');
  }

  async put(content: Readable | Uint8Array, opts: PutOptions = {}): Promise<StoredBlob> {
    const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    if (content instanceof Uint8Array && content.byteLength > max) throw new BlobTooLargeError(max);
    return this.upload(randomUUID(), content, max, false);
  }

  /**
   * An upload to the same object name: S3 makes the new object visible only once the upload
   * completes, so readers see the old bytes until then and a failed upload leaves them.
   */
  async replace(key: string, content: Readable | Uint8Array): Promise<StoredBlob> {
    try {
      await this.stat(key);
    } catch (err) {
      if (content instanceof Readable && !content.destroyed) content.destroy();
      throw err;
    }
    return this.upload(key, content, Number.POSITIVE_INFINITY, true);
  }

  private async upload(
    key: string,
    content: Readable | Uint8Array,
    max: number,
    replacing: boolean,
  ): Promise<StoredBlob> {
    const objectKey = this.prefix + key;
    const hash = createHash('sha256');
    let size = 0;
    let sourceFailure: unknown;
    const source = content instanceof Uint8Array ? [content] : content;
    async function* metered(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of source as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          size += bytes.byteLength;
          if (size > max) throw new BlobTooLargeError(max);
          hash.update(bytes);
          yield bytes;
        }
      } catch (err) {
        sourceFailure = err;
        throw err;
      }
    }
    const body = Readable.from(metered());
    // S3 allows at most 10,000 parts: a limit above partSize × 10,000 needs larger parts.
    const partSize = Number.isFinite(max) ? Math.max(this.partSize, Math.ceil(max / MAX_PARTS)) : this.partSize;
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: body, ContentType: 'application/octet-stream' },
      partSize,
      queueSize: this.queueSize,
      // The store aborts the multipart upload itself, so that a failure to abort cannot hide why the put failed.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (err) {
      body.destroy();
      if (content instanceof Readable && !content.destroyed) content.destroy();
      await this.abortUpload(objectKey, upload.uploadId);
      throw sourceFailure ?? err;
    }
    // The store must hold exactly the bytes that were hashed; anything else is removed, not kept
    // (a replaced object is never deleted: the caller finds it changed and keeps its old record).
    let storedSize: number | undefined;
    try {
      storedSize = (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey })))
        .ContentLength;
    } catch (err) {
      if (!replacing) await this.deleteObject(objectKey).catch(() => undefined);
      throw err;
    }
    if (storedSize !== size) {
      if (!replacing) await this.deleteObject(objectKey).catch(() => undefined);
      throw new Error(
        `The object store kept ${storedSize ?? 'an unknown number of'} bytes of a ${size}-byte upload${replacing ? '' : '; the object was removed'}`,
      );
    }
    return { key, sha256: hash.digest('hex'), size };
  }

  async get(key: string): Promise<Readable> {
    if (!isBlobKey(key)) throw new BlobNotFoundError();
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return asReadable(res.Body);
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError();
      throw err;
    }
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    if (!isBlobKey(key)) throw new BlobNotFoundError();
    assertValidRange(start, endInclusive);
    let res;
    try {
      res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: `bytes=${start}-${endInclusive}` }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError();
      if (isRangeNotSatisfiable(err)) {
        const { size } = await this.stat(key);
        throw new BlobRangeError(start, endInclusive, size);
      }
      throw err;
    }
    const body = asReadable(res.Body);
    // S3 answers a range reaching past the end with the bytes that exist; this store refuses it.
    // A store that ignores or widens the range gets its answer cut down to the bytes asked for.
    const got = parseContentRange(res.ContentRange) ?? {
      start: 0,
      end: (res.ContentLength ?? 0) - 1,
      size: res.ContentLength,
    };
    if (got.size !== undefined && endInclusive >= got.size) {
      body.destroy();
      throw new BlobRangeError(start, endInclusive, got.size);
    }
    if (got.start > start || got.end < endInclusive) {
      body.destroy();
      throw new Error(
        `The object store answered bytes ${got.start}-${got.end} when asked for ${start}-${endInclusive}`,
      );
    }
    if (got.start === start && got.end === endInclusive) return body;
    return Readable.from(slice(body, start - got.start, endInclusive - start + 1));
  }

  async stat(key: string): Promise<BlobStat> {
    if (!isBlobKey(key)) throw new BlobNotFoundError();
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      if (res.ContentLength === undefined) throw new Error('The object store did not say how long the object is');
      return { size: res.ContentLength, storedAt: res.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError();
      throw err;
    }
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix || undefined,
          ContinuationToken: token,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.startsWith(this.prefix)) continue;
        // Other objects under the prefix are not this store's and are never listed (nor swept).
        const key = object.Key.slice(this.prefix.length);
        if (isBlobKey(key)) yield key;
      }
      if (page.IsTruncated && !page.NextContinuationToken)
        throw new Error('The object store cut the listing short without saying where to continue');
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    try {
      await this.deleteObject(this.prefix + key);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** HeadBucket: answers when the bucket exists and these credentials may list it (as `list` needs). */
  async checkReachable(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: AbortSignal.timeout(5000) });
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }

  private async deleteObject(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }

  private async abortUpload(objectKey: string, uploadId: string | undefined): Promise<void> {
    if (!uploadId) return; // a single PutObject that failed leaves nothing
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId }),
      );
    } catch (err) {
      // The parts stay invisible (no object exists) but take space until a lifecycle rule expires them.
      this.log?.warn(
        { uploadId, objectKey, error: err instanceof Error ? err.name : String(err) },
        'could not abort a multipart upload; its parts remain until the bucket lifecycle rule removes them',
      );
    }
  }
}

function asReadable(body: unknown): Readable {
  if (body instanceof Readable) return body;
  throw new Error('The object store returned no readable body');
}

interface SdkError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function isNotFound(err: unknown): boolean {
  const e = err as SdkError;
  if (e?.name === 'NoSuchBucket' || e?.Code === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function isRangeNotSatisfiable(err: unknown): boolean {
  const e = err as SdkError;
  return e?.name === 'InvalidRange' || e?.$metadata?.httpStatusCode === 416;
}

function parseContentRange(
  header: string | undefined,
): { start: number; end: number; size: number | undefined } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), size: m[3] === '*' ? undefined : Number(m[3]) };
}

/** `length` bytes of `body` after skipping `skip`; the rest of `body` is discarded. */
async function* slice(body: Readable, skip: number, length: number): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) {
      let bytes = chunk as Buffer;
      if (skip >= bytes.byteLength) {
        skip -= bytes.byteLength;
        continue;
      }
      bytes = bytes.subarray(skip);
      skip = 0;
      if (bytes.byteLength >= length) {
        yield bytes.subarray(0, length);
        return;
      }
      length -= bytes.byteLength;
      yield bytes;
    }
    throw new Error('The object store sent fewer bytes than the range needs');
  } finally {
    body.destroy();
  }
}
