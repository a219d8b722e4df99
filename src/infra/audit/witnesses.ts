import type { S3Client } from '@aws-sdk/client-s3';
import { CHECKPOINT_NAME, type SignedCheckpoint, checkpointName, parseCheckpoint } from './checkpoints.ts';

/** The AWS SDK, loaded on first use: a service without an S3 witness never loads it (it is large and slow to load). */
const s3Commands = () => import('@aws-sdk/client-s3');

/**
 * A witness keeps a copy of every signed checkpoint away from this machine, where nobody who can change
 * the database, the checkpoint directory or the signing key can change or delete it. `audit verify`
 * compares the trail with what each witness holds.
 */
export interface Witness {
  /** Where the copies are, for messages (never a secret): `s3://bucket/prefix` or the URL. */
  readonly label: string;
  /** A short name safe in a file name, for remembering what was sent. */
  readonly id: string;
  send(c: SignedCheckpoint): Promise<void>;
  /** The names (`checkpoint-<size>-<ms>.json`) of every copy held, smallest first. */
  list(): Promise<string[]>;
  get(name: string): Promise<SignedCheckpoint>;
}

/**
 * An S3 bucket with Object Lock: each copy is put in compliance mode until its retention date, so not
 * even the bucket's owner can delete or overwrite it before then.
 */
export class S3Witness implements Witness {
  readonly label: string;
  readonly id = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly retainDays: number;
  private readonly clock: () => Date;

  constructor(opts: {
    client: S3Client;
    bucket: string;
    prefix?: string | undefined;
    retainDays: number;
    clock: () => Date;
  }) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ?? '';
    this.retainDays = opts.retainDays;
    this.clock = opts.clock;
    this.label = `s3://${this.bucket}/${this.prefix}`;
  }

  async send(c: SignedCheckpoint): Promise<void> {
    const retainUntil = new Date(this.clock().getTime() + this.retainDays * 86_400_000);
    const { PutObjectCommand } = await s3Commands();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + checkpointName(c),
        Body: JSON.stringify(c, null, 2),
        ContentType: 'application/json',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: retainUntil,
        // Object Lock requires an integrity checksum on every put.
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  async list(): Promise<string[]> {
    const { ListObjectsV2Command } = await s3Commands();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const name = o.Key?.slice(this.prefix.length);
        if (name && CHECKPOINT_NAME.test(name)) names.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  async get(name: string): Promise<SignedCheckpoint> {
    const { GetObjectCommand } = await s3Commands();
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + name }));
    const text = (await r.Body?.transformToString('utf-8')) ?? '';
    return parseCheckpoint(text, `${this.label}${name}`);
  }
}

/**
 * An HTTPS endpoint run by someone else (the council's SIEM, a records service): each checkpoint is POSTed
 * to the URL as JSON; a GET of the same URL answers `{"checkpoints": [...]}` with every copy it holds.
 */
export class HttpWitness implements Witness {
  readonly label: string;
  readonly id = 'https';
  private readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private held: Map<string, SignedCheckpoint> | undefined;

  constructor(opts: { url: string; token?: string | undefined; timeoutMs?: number }) {
    this.url = opts.url;
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.label = opts.url;
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/json',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  async send(c: SignedCheckpoint): Promise<void> {
    const r = await fetch(this.url, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(c),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await r.body?.cancel();
    if (!r.ok) throw new Error(`the witness at ${this.label} answered ${r.status}`);
  }

  async list(): Promise<string[]> {
    const r = await fetch(this.url, { headers: this.headers(), signal: AbortSignal.timeout(this.timeoutMs) });
    if (!r.ok) {
      await r.body?.cancel();
      throw new Error(`the witness at ${this.label} answered ${r.status}`);
    }
    const body = (await r.json()) as { checkpoints?: unknown };
    if (!Array.isArray(body.checkpoints))
      throw new Error(`the witness at ${this.label} did not answer {"checkpoints": [...]}`);
    this.held = new Map();
    for (const item of body.checkpoints) {
      const c = parseCheckpoint(JSON.stringify(item), `a checkpoint from ${this.label}`);
      this.held.set(checkpointName(c), c);
    }
    return [...this.held.keys()].sort();
  }

  async get(name: string): Promise<SignedCheckpoint> {
    if (!this.held) await this.list();
    const c = this.held!.get(name);
    if (!c) throw new Error(`the witness at ${this.label} no longer holds ${name}`);
    return c;
  }
}
