/**
 * tus uploads kept in the shared staging in the object store (`<STAGING_PREFIX>tus/`), where any node takes the next
 * PATCH of an upload another node began. In a module of its own, loaded only when the staging is shared, so that the
 * AWS SDK is not loaded by a service whose uploads wait on its own disk.
 */
import { stat } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type Part,
  PutObjectCommand,
  type S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { S3Store } from '@tus/s3-store';
import type { KvStore } from '@tus/server';
import { TUS_UPLOAD_ID } from './upload-files.ts';
import type { TusBackend } from './upload-tus-stores.ts';

/**
 * No cache of uploads' descriptions: tus's S3 store keeps one in memory by default, which another node's PATCH
 * or hand-over makes stale. Every request reads the description from the object store.
 */
class NoCache<T> implements KvStore<T> {
  async get(): Promise<T | undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async delete(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
}

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

/**
 * tus's S3 store, keeping its own note of each part it uploads (`<id>.parts/<number>-<size>-<etag>`, an empty
 * object) instead of asking the store for the multipart upload's parts (ListParts), which several S3-compatible
 * stores do not offer. A part whose note was never written (a crash between the two) is simply sent again: the
 * offset the client is told is then that much shorter. The notes go when the upload finishes or is removed.
 */
export class NotedPartsS3Store extends S3Store {
  private readonly notes: { client: S3Client; bucket: string };

  constructor(options: ConstructorParameters<typeof S3Store>[0], notes: { client: S3Client; bucket: string }) {
    super(options);
    this.notes = notes;
  }

  protected override async uploadPart(
    metadata: Parameters<S3Store['uploadPart']>[0],
    readStream: Parameters<S3Store['uploadPart']>[1],
    partNumber: number,
  ): Promise<string> {
    const size = Buffer.isBuffer(readStream)
      ? readStream.byteLength
      : 'path' in readStream && typeof readStream.path === 'string'
        ? (await stat(readStream.path)).size
        : null;
    if (size === null) throw new Error('A part of an upload whose size is not known');
    const etag = await super.uploadPart(metadata, readStream, partNumber);
    const tag = etag.replace(/"/g, '');
    if (!/^[0-9A-Za-z-]+$/.test(tag)) throw new Error('The object store gave a part an unexpected ETag');
    await this.notes.client.send(
      new PutObjectCommand({
        Bucket: this.notes.bucket,
        Key: `${metadata.file.id}.parts/${String(partNumber).padStart(5, '0')}-${size}-${tag}`,
        Body: '',
      }),
    );
    return etag;
  }

  protected override async retrieveParts(id: string): Promise<Part[]> {
    const byNumber = new Map<number, Part>();
    for (const key of await listKeys(this.notes.client, this.notes.bucket, `${id}.parts/`)) {
      const m = /\/(\d{5})-(\d+)-([0-9A-Za-z-]+)$/.exec(key);
      if (m) byNumber.set(Number(m[1]), { PartNumber: Number(m[1]), Size: Number(m[2]), ETag: `"${m[3]}"` });
    }
    return [...byNumber.values()].sort((x, y) => x.PartNumber! - y.PartNumber!);
  }

  protected override async finishMultipartUpload(
    metadata: Parameters<S3Store['finishMultipartUpload']>[0],
    parts: Part[],
  ): Promise<string | undefined> {
    const location = await super.finishMultipartUpload(metadata, parts);
    await removePartNotes(this.notes.client, this.notes.bucket, metadata.file.id);
    return location;
  }

  override async remove(id: string): Promise<void> {
    await super.remove(id);
    await removePartNotes(this.notes.client, this.notes.bucket, id);
  }
}

async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function removePartNotes(client: S3Client, bucket: string, id: string): Promise<void> {
  for (const Key of await listKeys(client, bucket, `${id}.parts/`))
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
}

export interface S3TusOptions {
  client: S3Client;
  /** The same settings the client was made with, for tus's own client. */
  clientConfig: S3ClientConfig;
  bucket: string;
  /** `<STAGING_PREFIX>tus/` */
  prefix: string;
}

export function s3TusBackend(opts: S3TusOptions): TusBackend {
  const { client, bucket, prefix } = opts;
  const datastore = new NotedPartsS3Store(
    {
      // Parts of 8 MiB (S3's minimum is 5): a PATCH shorter than that waits in `<id>.part` for the next one.
      partSize: 8 * 1024 * 1024,
      // Expiry tags are not supported by every S3-compatible store; abandoned uploads are swept by the daily job.
      useTags: false,
      cache: new NoCache(),
      s3ClientConfig: { ...opts.clientConfig, bucket },
    },
    { client, bucket },
  );
  const head = async (key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };
  const del = (Key: string) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  const removeAll = async (id: string) => {
    const info = await head(`${id}.info`);
    const uploadId = info?.Metadata?.['upload-id'];
    if (uploadId)
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: id, UploadId: uploadId }))
        .catch((err: unknown) => {
          if (!isMissing(err) && (err as { name?: string }).name !== 'NoSuchUpload') throw err;
        });
    await del(id);
    await del(`${id}.part`);
    await del(`${id}.info`);
    await removePartNotes(client, bucket, id);
  };
  const listAll = async () => {
    const found = new Map<string, number>();
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const id = (o.Key ?? '').replace(/\.(info|part|parts\/.*)$/, '');
        if (!TUS_UPLOAD_ID.test(id.slice(prefix.length))) continue;
        found.set(id, Math.max(found.get(id) ?? 0, o.LastModified?.getTime() ?? 0));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  };
  return {
    datastore,
    storeId: (id) => `${prefix}${id}`,
    urlId: (id) => (id.startsWith(prefix) ? id.slice(prefix.length) : id),
    sourceOf: (id) => id,
    async declaredSize(id) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${id}.info` }));
        const info = JSON.parse((await res.Body?.transformToString()) ?? '{}') as { size?: unknown };
        const size = Number(info.size);
        return Number.isSafeInteger(size) ? size : null;
      } catch (err) {
        return isMissing(err) ? 'gone' : null;
      }
    },
    async finishedSize(id) {
      const found = await head(id);
      return found ? (found.ContentLength ?? 0) : null;
    },
    removeDescription: (id) => del(`${id}.info`).then(() => undefined),
    removeAll,
    async purgeAbandoned(olderThanMs, now) {
      const cutoff = now.getTime() - olderThanMs;
      let removed = 0;
      for (const [id, touched] of await listAll()) {
        if (touched > cutoff) continue;
        await removeAll(id);
        removed++;
      }
      return removed;
    },
    async inProgress() {
      const ids = new Set<string>();
      for (const id of (await listAll()).keys()) {
        const m = TUS_UPLOAD_ID.exec(id.slice(prefix.length));
        if (m) ids.add(m[1]!);
      }
      return ids;
    },
  };
}
