// Rotating the recordings key on both kinds of store: a run cut short anywhere leaves every file readable by the old
// or the new key, the next run finishes it, and fixity stays provable through the audited chain of rewraps.
// the original is kept bit for bit (payloads never change); R-4: retrievable for as long as it is retained.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { asc } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../app/blobs/blob-store.ts';
import { KeyCustodyService, cipherHashHolds, type RewrapPlan } from '../../app/blobs/key-custody.ts';
import type { UnitOfWork } from '../../app/unit-of-work.ts';
import { CHUNK_SIZE, ageHeaderLength, decrypt, encrypt, generateIdentity } from '../crypto/age/index.ts';
import type { Database } from '../db/client.ts';
import { keyCustodyRewraps } from '../db/key-custody-schema.ts';
import { auditEvents } from '../db/schema.ts';
import { createUnitOfWork } from '../db/unit-of-work.ts';
import { TestClock, freshDatabase } from '../../../test/support/services.ts';
import { ageHeaders } from './age-headers.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { readAll } from './blob-store-contract.ts';
import { S3BlobStore, createS3Client } from './s3-blob-store.ts';
import { type LocalS3, startLocalS3 } from './testing/s3rver.ts';

const oldKey = generateIdentity();
const newKey = generateIdentity();
const ctx = { actor: { id: null, label: 'cli:operator' }, correlationId: 'cli-test' };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const payloadOf = (b: Buffer) => b.subarray(ageHeaderLength(b)!);

interface Kept {
  key: string;
  binding: string;
  plaintext: Buffer;
  stored: Buffer;
}

/** A store that fails one replace: before writing anything, or after the new bytes are in place (a power cut). */
function failingOnce(store: BlobStore, when: 'before' | 'after', key: string): BlobStore {
  let armed = true;
  return Object.assign(Object.create(store) as BlobStore, {
    async replace(k: string, content: Readable | Uint8Array) {
      if (!armed || k !== key) return store.replace(k, content);
      armed = false;
      if (when === 'before') {
        if (content instanceof Readable) content.destroy();
        throw new Error('the connection dropped');
      }
      await store.replace(k, content);
      throw new Error('the power went off');
    },
  });
}

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3('cpcr-key-custody');
});
afterAll(async () => {
  await s3?.stop();
});

describe.each(['file system', 's3rver'] as const)('key rotation on the %s store', (kind) => {
  let dir: string;
  let store: BlobStore;
  let database: Database;
  let dispose: () => Promise<void>;
  let uow: UnitOfWork;
  let files: Kept[];
  let notEncrypted: string;

  const service = (blobs: BlobStore) =>
    new KeyCustodyService({
      uow,
      blobs,
      headers: ageHeaders(),
      clock: new TestClock(),
      referenced: async () => [...files.map((f) => f.key), notEncrypted],
    });
  const rotate: RewrapPlan = {
    phase: 'rotate',
    identities: [newKey.identity, oldKey.identity],
    recipients: [newKey.recipient, oldKey.recipient],
  };
  const retire: RewrapPlan = {
    phase: 'retire',
    identities: [newKey.identity, oldKey.identity],
    recipients: [newKey.recipient],
  };
  const opens = async (f: Kept, identity: string) => {
    const now = await readAll(await store.get(f.key));
    return decrypt(now, { identities: [identity], binding: f.binding }).then(
      (p) => p.equals(f.plaintext),
      () => false,
    );
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-key-custody-'));
    if (kind === 'file system') store = new FsBlobStore(path.join(dir, 'blobs'));
    else {
      const client = createS3Client({
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      store = new S3BlobStore({ client, bucket: s3.bucket, prefix: `run-${randomBytes(4).toString('hex')}` });
    }
    const fresh = await freshDatabase('pglite');
    database = fresh.database;
    dispose = fresh.dispose;
    uow = createUnitOfWork(database.db, () => new Date());
    files = [];
    for (const size of [10, CHUNK_SIZE + 7, 3 * CHUNK_SIZE]) {
      const plaintext = randomBytes(size);
      const binding = `recording:${randomBytes(4).toString('hex')}`;
      const stored = await encrypt(plaintext, { recipients: [oldKey.recipient], binding });
      files.push({ key: (await store.put(stored)).key, binding, plaintext, stored });
    }
    notEncrypted = (await store.put(Buffer.from('%PDF-1.7 an agency report kept as it came'))).key;
  });
  afterEach(async () => {
    await dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('R-3, R-4: a run cut off after a file was replaced, then another before one was, is finished by the next run; every file opens with the old or the new key throughout', async () => {
    const [a, b, c] = files as [Kept, Kept, Kept];
    // Keys are visited in order, so the first file of the three in key order is cut off after its replace.
    const [first, second] = [...files].sort((x, y) => x.key.localeCompare(y.key)) as [Kept, Kept, Kept];
    await expect(service(failingOnce(store, 'after', first.key)).rewrapAll(rotate, ctx)).rejects.toThrow(
      'the power went off',
    );
    for (const f of [a, b, c]) expect(await opens(f, oldKey.identity)).toBe(true);
    expect(await opens(first, newKey.identity)).toBe(true);
    // Checked now, the replaced file's hash is accepted through the pending rewrap; the content still decrypts.
    const replaced = sha256(await readAll(await store.get(first.key)));
    expect(await cipherHashHolds(uow, first.key, sha256(first.stored), replaced)).toBe(true);

    await expect(service(failingOnce(store, 'before', second.key)).rewrapAll(rotate, ctx)).rejects.toThrow(
      'the connection dropped',
    );
    for (const f of [a, b, c]) expect(await opens(f, oldKey.identity)).toBe(true);
    expect(await opens(second, newKey.identity)).toBe(false);

    const progress: string[] = [];
    const summary = await service(store).rewrapAll(rotate, ctx, (key, outcome) => progress.push(`${key} ${outcome}`));
    expect(summary).toEqual({
      counts: { rewrapped: 2, unchanged: 1, 'not-encrypted': 1, unrecorded: 0, unreadable: 0 },
      unreadable: [],
      resumed: 0,
    });
    expect(progress).toContain(`${notEncrypted} not-encrypted`);
    for (const f of [a, b, c]) {
      const now = await readAll(await store.get(f.key));
      expect(payloadOf(now).equals(payloadOf(f.stored))).toBe(true);
      expect(await opens(f, newKey.identity)).toBe(true);
      expect(await opens(f, oldKey.identity)).toBe(true);
      expect(await cipherHashHolds(uow, f.key, sha256(f.stored), sha256(now))).toBe(true);
    }
    expect((await readAll(await store.get(notEncrypted))).toString()).toContain('agency report');
    const rows = await database.db.select().from(keyCustodyRewraps).orderBy(asc(keyCustodyRewraps.id));
    expect(rows.map((r) => [r.blobKey, r.status])).toEqual([
      [first.key, 'done'],
      [second.key, 'abandoned'],
      [second.key, 'done'],
      [files.find((f) => f !== first && f !== second)!.key, 'done'],
    ]);
    for (const r of rows)
      expect(r.payloadSha256).toBe(sha256(payloadOf(files.find((f) => f.key === r.blobKey)!.stored)));
  });

  it('a second run changes nothing; retiring leaves the new key alone; the chain of hashes still proves each file', async () => {
    await service(store).rewrapAll(rotate, ctx);
    const again = await service(store).rewrapAll(rotate, ctx);
    expect(again.counts).toMatchObject({ rewrapped: 0, unchanged: 3 });

    const retired = await service(store).rewrapAll(retire, ctx);
    expect(retired.counts).toMatchObject({ rewrapped: 3, unchanged: 0 });
    for (const f of files) {
      const now = await readAll(await store.get(f.key));
      expect(payloadOf(now).equals(payloadOf(f.stored))).toBe(true);
      expect(await opens(f, newKey.identity)).toBe(true);
      expect(await opens(f, oldKey.identity)).toBe(false);
      expect(await cipherHashHolds(uow, f.key, sha256(f.stored), sha256(now))).toBe(true);
      expect(await cipherHashHolds(uow, f.key, sha256(f.stored), sha256(Buffer.concat([now, Buffer.of(0)])))).toBe(
        false,
      );
    }
    // After retirement the old key is not held: a file still addressed to it alone is listed, never touched.
    const stray = await encrypt(randomBytes(5), { recipients: [oldKey.recipient], binding: 'recording:stray' });
    const strayKey = (await store.put(stray)).key;
    files.push({ key: strayKey, binding: 'recording:stray', plaintext: Buffer.alloc(0), stored: stray });
    const after = await service(store).rewrapAll(
      { phase: 'retire', identities: [newKey.identity], recipients: [newKey.recipient] },
      ctx,
    );
    expect(after.unreadable).toEqual([strayKey]);
    expect((await readAll(await store.get(strayKey))).equals(stray)).toBe(true);

    const audit = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    expect(audit.filter((e) => e.action === 'key_custody.rewrapped')).toHaveLength(6);
    expect(audit.map((e) => e.action)).toContain('key_custody.retire_finished');
    expect(audit.every((e) => e.actorLabel === 'cli:operator')).toBe(true);
  });
});
