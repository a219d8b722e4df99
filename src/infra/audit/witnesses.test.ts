import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../blobs/s3-blob-store.ts';
import { type LocalS3, startLocalS3 } from '../blobs/testing/s3rver.ts';
import { checkpointName, signCheckpoint } from './checkpoints.ts';
import { HttpWitness, S3Witness } from './witnesses.ts';

const key = generateKeyPairSync('ed25519').privateKey;
const checkpoint = (size: number) =>
  signCheckpoint({ size, headHash: 'a'.repeat(64), at: new Date(Date.UTC(2026, 2, 2, 9, size)).toISOString() }, key);

describe('an S3 bucket with Object Lock as the audit witness', () => {
  let s3: LocalS3;
  let client: S3Client;
  const headers: Record<string, string>[] = [];
  beforeAll(async () => {
    s3 = await startLocalS3('audit-witness');
    client = createS3Client({ ...s3, forcePathStyle: true });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand')
          headers.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'recordPuts' },
    );
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('puts each checkpoint in compliance mode, retained for the configured days, and reads them back', async () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const witness = new S3Witness({ client, bucket: s3.bucket, prefix: 'audit/', retainDays: 2557, clock: () => now });
    await witness.send(checkpoint(100));
    await witness.send(checkpoint(200));

    expect(headers).toHaveLength(2);
    expect(headers[0]!['x-amz-object-lock-mode']).toBe('COMPLIANCE');
    expect(new Date(headers[0]!['x-amz-object-lock-retain-until-date']!).toISOString()).toBe(
      new Date(now.getTime() + 2557 * 86_400_000).toISOString(),
    );
    // Object Lock refuses a put without an integrity checksum.
    expect(headers[0]!['x-amz-checksum-sha256']).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const names = await witness.list();
    expect(names).toEqual([checkpointName(checkpoint(100)), checkpointName(checkpoint(200))]);
    expect(await witness.get(names[1]!)).toEqual(checkpoint(200));
    expect(witness.label).toBe('s3://audit-witness/audit/');
  });
});

describe('an HTTPS endpoint as the audit witness', () => {
  let server: Server;
  let url: string;
  const held: unknown[] = [];
  const seen: { method: string; authorization: string | undefined }[] = [];
  let failNext = 0;
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.setEncoding('utf8').on('data', (d: string) => (text += d));
      req.on('end', () => resolve(text));
    });
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', authorization: req.headers.authorization });
      void (async () => {
        if (failNext > 0) {
          failNext -= 1;
          res.writeHead(503).end();
          return;
        }
        if (req.method === 'POST') {
          held.push(JSON.parse(await body(req)));
          res.writeHead(201).end();
        } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ checkpoints: held }));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/checkpoints`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('POSTs each checkpoint as JSON with the bearer token, and reads every copy back with a GET', async () => {
    const witness = new HttpWitness({ url, token: 't'.repeat(32) });
    await witness.send(checkpoint(5));
    await witness.send(checkpoint(10));
    expect(seen.every((s) => s.authorization === `Bearer ${'t'.repeat(32)}`)).toBe(true);
    expect(await witness.list()).toEqual([checkpointName(checkpoint(5)), checkpointName(checkpoint(10))]);
    expect(await witness.get(checkpointName(checkpoint(10)))).toEqual(checkpoint(10));
  });

  it('a refused POST is an error for the caller to retry', async () => {
    failNext = 1;
    await expect(new HttpWitness({ url }).send(checkpoint(15))).rejects.toThrow(/answered 503/);
  });
});
