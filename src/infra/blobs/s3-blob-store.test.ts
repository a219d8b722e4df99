import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTooLargeError } from '../../app/blobs/blob-store.ts';
import { blobStoreContract, listAll, readAll } from './blob-store-contract.ts';
import { S3BlobStore, createS3Client } from './s3-blob-store.ts';
import { loadConfig } from '../config.ts';
import { createBlobStore } from './create-blob-store.ts';
import { type LocalS3, startLocalS3 } from './testing/s3rver.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

let s3: LocalS3;
const clients: S3Client[] = [];

beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s3?.stop();
});

function client(extra: Parameters<typeof createS3Client>[1] = {}): S3Client {
  const c = createS3Client(
    {
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
    extra,
  );
  clients.push(c);
  return c;
}

interface Sent {
  command: string;
  input: Record<string, unknown>;
  headers: Record<string, string>;
  status?: number | undefined;
}

/** Records every request the client sends (after signing, so with its final headers) and the status of the answer. */
function recording(c: S3Client): Sent[] {
  const sent: Sent[] = [];
  c.middlewareStack.add(
    (next, context) => async (args) => {
      const entry: Sent = {
        command: context.commandName ?? '?',
        input: args.input as Record<string, unknown>,
        headers: { ...(args.request as { headers: Record<string, string> }).headers },
      };
      sent.push(entry);
      try {
        const out = await next(args);
        entry.status = (out.response as { statusCode?: number }).statusCode;
        return out;
      } catch (err) {
        entry.status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordRequests' },
  );
  return sent;
}

// Each test gets its own prefix in the one bucket, so each starts with an empty store.
blobStoreContract('S3BlobStore on s3rver', async () => {
  const prefix = `contract/${randomUUID()}/`;
  return {
    store: new S3BlobStore({ client: client(), bucket: s3.bucket, prefix, partSize: PART, queueSize: 2 }),
    // Port 1 on the loopback interface refuses connections: any request fails at once.
    unreachable: new S3BlobStore({
      client: client({ endpoint: 'http://127.0.0.1:1', maxAttempts: 1 }),
      bucket: s3.bucket,
      prefix,
    }),
  };
});

describe('the S3 blob store', () => {
  it('stores objects as prefix + random key, and lists only its own well-formed keys, across many pages', async () => {
    const raw = client();
    const prefix = `pages/${randomUUID()}`;
    const store = new S3BlobStore({ client: raw, bucket: s3.bucket, prefix, listPageSize: 2 });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await store.put(Buffer.from(`blob ${i}`))).key);
    // Objects that are not the store's: a stray name under the prefix, one deeper, one beside it.
    await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/notes.txt`, Body: 'x' }));
    await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/deeper/${randomUUID()}`, Body: 'x' }));
    await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}-other/${randomUUID()}`, Body: 'x' }));

    const objects = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
    for (const key of keys) expect(objects.Contents?.map((o) => o.Key)).toContain(`${prefix}/${key}`);

    const sent = recording(raw);
    expect(await listAll(store)).toEqual([...keys].sort());
    // Eight objects under the prefix at two a page: the listing followed the continuation tokens.
    expect(sent.filter((s) => s.command === 'ListObjectsV2Command').length).toBeGreaterThanOrEqual(4);
  });

  it('sends no flexible-checksum headers or aws-chunked bodies, which older S3-compatible stores refuse', async () => {
    const c = client();
    const sent = recording(c);
    const store = new S3BlobStore({
      client: c,
      bucket: s3.bucket,
      prefix: `checksums/${randomUUID()}`,
      partSize: PART,
    });
    const content = randomBytes(PART + 1000);
    const { key } = await store.put(Readable.from([content]));
    await store.put(Buffer.from('small'));
    expect(sent.map((s) => s.command)).toEqual(
      expect.arrayContaining([
        'CreateMultipartUploadCommand',
        'UploadPartCommand',
        'CompleteMultipartUploadCommand',
        'PutObjectCommand',
        'HeadObjectCommand',
      ]),
    );
    for (const s of sent) {
      const names = Object.keys(s.headers).map((n) => n.toLowerCase());
      expect(
        names.filter(
          (n) => n.startsWith('x-amz-checksum') || n === 'x-amz-sdk-checksum-algorithm' || n === 'x-amz-trailer',
        ),
        s.command,
      ).toEqual([]);
      expect(s.headers['content-encoding'] ?? '', s.command).not.toContain('aws-chunked');
    }
    expect((await readAll(await store.get(key))).equals(content)).toBe(true);
  });

  it('aborts the multipart upload of refused or failed content, and a failure to abort does not hide why the put failed', async () => {
    const c = client();
    const sent = recording(c);
    const warnings: Array<Record<string, unknown>> = [];
    const store = new S3BlobStore({
      client: c,
      bucket: s3.bucket,
      prefix: `abort/${randomUUID()}`,
      partSize: PART,
      queueSize: 1,
      log: { warn: (details) => warnings.push(details) },
    });
    // The first part is complete (and uploaded) before the limit is passed.
    await expect(
      store.put(Readable.from([randomBytes(PART + 1), randomBytes(PART)]), { maxBytes: PART + 10 }),
    ).rejects.toBeInstanceOf(BlobTooLargeError);
    const created = sent.filter((s) => s.command === 'CreateMultipartUploadCommand');
    const aborts = sent.filter((s) => s.command === 'AbortMultipartUploadCommand');
    expect(created).toHaveLength(1);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]!.input['Key']).toBe(created[0]!.input['Key']);
    expect(aborts[0]!.input['UploadId']).toEqual(expect.any(String));
    expect(sent.filter((s) => s.command === 'UploadPartCommand')).toHaveLength(1);
    expect(sent.filter((s) => s.command === 'CompleteMultipartUploadCommand')).toEqual([]);
    // s3rver does not implement AbortMultipartUpload (405); the put still fails with its own reason, and the loose parts are reported.
    expect(aborts[0]!.status).toBe(405);
    expect(warnings).toEqual([
      { uploadId: aborts[0]!.input['UploadId'], objectKey: created[0]!.input['Key'], error: expect.any(String) },
    ]);
    expect(await listAll(store)).toEqual([]);

    // A source that fails after the first part: the same.
    sent.length = 0;
    let pushed = false;
    const failing = new Readable({
      read() {
        if (pushed) return void this.destroy(new Error('client went away'));
        pushed = true;
        this.push(randomBytes(PART + 1));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('client went away');
    expect(sent.map((s) => s.command)).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'AbortMultipartUploadCommand',
    ]);
    expect(warnings).toHaveLength(2);
    expect(await listAll(store)).toEqual([]);
  });

  it('is what the configuration builds for BLOB_STORE=s3, reaching the configured endpoint, bucket and prefix', async () => {
    const prefix = `configured-${randomUUID()}`;
    const config = loadConfig({
      BLOB_STORE: 's3',
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_PREFIX: prefix,
    });
    const store = await createBlobStore(config.blobStore);
    expect(store).toBeInstanceOf(S3BlobStore);
    const { key } = await store.put(Buffer.from('configured'));
    const objects = await client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
    expect(objects.Contents?.map((o) => o.Key)).toEqual([`${prefix}/${key}`]);
    expect((await readAll(await store.get(key))).toString()).toBe('configured');
    (store as S3BlobStore).close();
  });

  it('is reachable (for readiness) while its bucket answers, and not for a bucket that does not exist or an endpoint that does not answer', async () => {
    await expect(new S3BlobStore({ client: client(), bucket: s3.bucket }).checkReachable()).resolves.toBeUndefined();
    await expect(
      new S3BlobStore({ client: client(), bucket: `missing-${randomUUID().slice(0, 8)}` }).checkReachable(),
    ).rejects.toThrow();
    const nowhere = createS3Client({
      region: s3.region,
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    clients.push(nowhere);
    await expect(new S3BlobStore({ client: nowhere, bucket: s3.bucket }).checkReachable()).rejects.toThrow();
  });

  it('refuses a part size below the S3 minimum and a list page size above the maximum', () => {
    expect(() => new S3BlobStore({ client: client(), bucket: s3.bucket, partSize: MiB })).toThrow(
      /partSize must be at least 5242880/,
    );
    expect(() => new S3BlobStore({ client: client(), bucket: s3.bucket, listPageSize: 1001 })).toThrow(/listPageSize/);
  });
});
