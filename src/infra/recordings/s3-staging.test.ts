// Shared staging (several nodes): what one node stages, another reads, whole and in order; live chunks past the
// acknowledged length (a crash before the answer) are dropped; the node-local copy made for ingest is owner-only.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../blobs/s3-blob-store.ts';
import { type LocalS3, startLocalS3 } from '../blobs/testing/s3rver.ts';
import { S3RecordingStaging } from './s3-staging.ts';

let s3: LocalS3;
let dir: string;
beforeAll(async () => {
  s3 = await startLocalS3();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-s3-staging-'));
});
afterAll(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A node: its own client and its own local folder, the same bucket and prefix as every other node. */
function node(name: string): S3RecordingStaging {
  const client = createS3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  return new S3RecordingStaging({ client, bucket: s3.bucket, prefix: 'staging/', localRoot: path.join(dir, name) });
}

const text = async (stream: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(Buffer.from(p));
  return Buffer.concat(parts).toString();
};

describe('staging shared by every node (S3)', () => {
  it('live chunks appended on two nodes read back in order on either, and unacknowledged bytes are dropped', async () => {
    const a = node('a');
    const b = node('b');
    const id = randomUUID();
    expect(await a.size(id)).toBeNull();
    expect(await a.open(id)).toBeNull();
    await a.append(id, 0, Buffer.from('one-'));
    await b.append(id, 4, Buffer.from('two-'));
    // Written before a crash and never acknowledged: the next chunk at offset 8 replaces it.
    await a.append(id, 8, Buffer.from('lost-'));
    await b.append(id, 8, Buffer.from('three'));
    expect(await a.size(id)).toBe(13);
    const staged = await b.open(id);
    expect(staged?.size).toBe(13);
    expect(await text(staged!.stream)).toBe('one-two-three');
    await expect(a.append(id, 20, Buffer.from('x'))).rejects.toThrow(/shorter \(13 bytes\) than recorded \(20 bytes\)/);
    expect(await a.list()).toContain(id);
    await a.remove(id);
    expect(await b.size(id)).toBeNull();
    expect(await b.list()).not.toContain(id);
  });

  it('a form upload adopted on one node is materialised on another as a private local file', async () => {
    const a = node('a2');
    const b = node('b2');
    const id = randomUUID();
    const source = path.join(dir, `${randomUUID()}.part`);
    await writeFile(source, 'the whole recording');
    expect(await a.sourceSize(source)).toBe(19);
    await a.adopt(id, source);
    await expect(stat(source)).rejects.toThrow(/ENOENT/);
    expect(await b.size(id)).toBe(19);
    await b.materialise(id);
    expect(await readFile(b.pathFor(id), 'utf8')).toBe('the whole recording');
    expect((await stat(b.pathFor(id))).mode & 0o777).toBe(0o600);
    // The local copy is plaintext: removed at start-up with the scratch files, and with the staged bytes.
    await b.remove(id);
    await expect(stat(b.pathFor(id))).rejects.toThrow(/ENOENT/);
    expect(await a.size(id)).toBeNull();
  });

  it('the node-local copies are removed at start-up, the shared bytes are kept', async () => {
    const a = node('a3');
    const id = randomUUID();
    await a.append(id, 0, Buffer.from('kept'));
    await a.prepare();
    await a.materialise(id);
    expect(await a.removeLeftoverScratch()).toBe(1);
    await expect(stat(a.pathFor(id))).rejects.toThrow(/ENOENT/);
    expect(await a.size(id)).toBe(4);
  });
});
