// cpcr recording-key rotate | retire: every encrypted file moved to a new age identity by rewriting its header only.
// the original is kept bit for bit (payloads unchanged, fixity still proven); R-4: retrievable with the `age` tool.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { ageHeaderLength, identityToRecipient, parseIdentityFile } from '../../src/infra/crypto/age/index.ts';
import { openDatabase } from '../../src/infra/db/client.ts';
import { keyCustodyRewraps } from '../../src/infra/db/key-custody-schema.ts';
import { recordingDerivatives, recordings } from '../../src/infra/db/recordings-schema.ts';
import { auditEvents } from '../../src/infra/db/schema.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { staff } from '../support/people.ts';
import { TestClock, type TestContext, testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, cliSandbox } from './support.ts';

interface StoredFile {
  key: string;
  /** The recorded SHA-256 of the plaintext and of the encrypted file. */
  plainSha256: string;
  blobSha256: string;
}

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-cli-recording-key-');
  await toneWav(fx.file('meeting.wav'), { seconds: 3 });
});
afterAll(async () => {
  await fx?.cleanup();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function split(bytes: Buffer): { header: Buffer; payload: Buffer } {
  const length = ageHeaderLength(bytes)!;
  expect(length).toBeGreaterThan(0);
  return { header: bytes.subarray(0, length), payload: bytes.subarray(length) };
}

describe.each(testDatabases())('cpcr recording-key (%s)', (kind) => {
  let box: CliSandbox;
  const blobFile = (key: string) => path.join(box.dataDir, 'blobs', key.slice(0, 2), key);
  const identityFile = () => path.join(box.dataDir, 'keys', 'recordings.agekey');
  const identities = async () => parseIdentityFile(await readFile(identityFile(), 'utf8'));

  async function storedFiles(): Promise<StoredFile[]> {
    return box.withDatabase(async ({ db }) => {
      const originals = await db
        .select({
          key: recordings.originalBlobKey,
          plain: recordings.originalSha256,
          blob: recordings.originalBlobSha256,
        })
        .from(recordings)
        .where(eq(recordings.status, 'stored'));
      const copies = await db
        .select({
          key: recordingDerivatives.blobKey,
          plain: recordingDerivatives.sha256,
          blob: recordingDerivatives.blobSha256,
        })
        .from(recordingDerivatives);
      return [...originals, ...copies].map((r) => ({ key: r.key!, plainSha256: r.plain!, blobSha256: r.blob! }));
    });
  }

  /** `age -d` with only `identity` in its key file: the plaintext's SHA-256, or null when age refuses. */
  async function ageOpens(key: string, identity: string): Promise<string | null> {
    const keys = path.join(box.dataDir, 'one-identity.txt');
    await writeFile(keys, `${identity}\n`, { mode: 0o600 });
    const r = spawnSync('age', ['-d', '-i', keys, blobFile(key)], { maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    return r.status === 0 ? sha256(r.stdout) : null;
  }

  beforeAll(async () => {
    box = await cliSandbox(kind);
    // Two stored recordings (each an original and a playback copy), stored by the real services with ingest inline.
    const database = await openDatabase({ url: box.env['DATABASE_URL'], dataDir: box.dataDir });
    const clock = new TestClock(new Date(Date.now() - 3 * 86_400_000));
    const services = await buildServices(
      loadConfig({ ...box.env, SESSION_SECRET: 'x'.repeat(40) }),
      pino({ level: 'silent' }),
      {
        database,
        clock,
        ingestQueue: ({ recordings: r }) => ({ enqueueIngest: async (id) => void (await r.ingest(id)) }),
      },
    );
    try {
      const ctx = { services, clock, dataDir: box.dataDir } as unknown as TestContext;
      const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
      const support = await staff(ctx, 'Bo Support', ['business_support']);
      const g = await siblingGroupConference(ctx, { socialWorker: sw, status: 'held' });
      const as = { actor: { id: support.id, label: support.name } };
      for (let i = 0; i < 2; i++) {
        const r = await services.recordings.createUpload(support, as, g.conferenceId, {
          kind: 'meeting',
          source: 'dictaphone',
          partId: g.partId,
        });
        const copy = path.join(box.dataDir, `upload-${r.id}`);
        await copyFile(fx.file('meeting.wav'), copy);
        await services.recordings.completeUpload(support, as, r.id, copy);
      }
    } finally {
      await services.close();
    }
  }, SLOW);
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'R-3, R-4: rotate adds a new key and rewrites only each header; the payloads are unchanged, `age -d` opens every file with the new key alone, the recorded hashes stay as stored, an audited rewrap leads to each new one, and fixity verify passes',
    async () => {
      const before = await storedFiles();
      expect(before).toHaveLength(4);
      const [oldIdentity] = await identities();
      const bytesBefore = new Map<string, Buffer>();
      for (const f of before) bytesBefore.set(f.key, await readFile(blobFile(f.key)));

      const r = await box.run(['recording-key', 'rotate']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [newIdentity, kept, ...more] = await identities();
      expect(more).toEqual([]);
      expect(kept).toBe(oldIdentity);
      expect(newIdentity).not.toBe(oldIdentity);
      expect((await stat(identityFile())).mode & 0o077).toBe(0);
      expect(r.stdout).toContain(
        `Added a new recordings key to ${identityFile()}: ${identityToRecipient(newIdentity!)}`,
      );
      expect(r.stdout).toContain('Rewrote the header of 4 encrypted files (payloads unchanged); 0 already addressed');

      const after = await storedFiles();
      for (const f of after) {
        const now = await readFile(blobFile(f.key));
        const was = split(bytesBefore.get(f.key)!);
        expect(split(now).payload.equals(was.payload)).toBe(true);
        expect(split(now).header.equals(was.header)).toBe(false);
        // What was recorded on storing never changes: the rewrap event leads from it to the new hash.
        expect(f).toEqual(before.find((b) => b.key === f.key));
        expect(await ageOpens(f.key, newIdentity!)).toBe(f.plainSha256);
        expect(await ageOpens(f.key, oldIdentity!)).toBe(f.plainSha256);
      }

      const verify = await box.run(['fixity', 'verify']);
      expect(verify.stdout).toContain('Checked 2 recordings: 2 ok');
      expect(verify.code).toBe(0);

      // Run again (after the service restarts): nothing left to rewrite.
      const again = await box.run(['recording-key', 'rotate']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`Continuing the rotation to ${identityToRecipient(newIdentity!)}.`);
      expect(again.stdout).toContain(
        'Rewrote the header of 0 encrypted files (payloads unchanged); 4 already addressed',
      );

      const { audit, rewraps } = await box.withDatabase(async ({ db }) => ({
        audit: await db.select().from(auditEvents),
        rewraps: await db.select().from(keyCustodyRewraps),
      }));
      const rewrapped = audit.filter((e) => e.action === 'key_custody.rewrapped');
      expect(rewrapped.map((e) => e.subjectId).sort()).toEqual(before.map((f) => f.key).sort());
      for (const e of rewrapped) {
        const f = before.find((b) => b.key === e.subjectId)!;
        const now = sha256(await readFile(blobFile(f.key)));
        expect(e.details).toMatchObject({ phase: 'rotate', oldSha256: f.blobSha256, newSha256: now });
        expect(e.actorLabel).toMatch(/^cli/);
      }
      expect(audit.filter((e) => e.action === 'key_custody.identity_added').map((e) => e.details)).toEqual([
        { recipient: identityToRecipient(newIdentity!) },
      ]);
      expect(
        rewraps.every(
          (w) => w.status === 'done' && w.payloadSha256 === sha256(split(bytesBefore.get(w.blobKey)!).payload),
        ),
      ).toBe(true);
    },
    SLOW,
  );

  it(
    'R-3, R-4: retire removes the old key from every header and the identity file; the new key alone opens every file and fixity verify passes',
    async () => {
      const [newIdentity, oldIdentity] = await identities();
      expect(oldIdentity).toBeDefined();
      const before = await storedFiles();
      const payloads = new Map<string, Buffer>();
      for (const f of before) payloads.set(f.key, split(await readFile(blobFile(f.key))).payload);

      const r = await box.run(['recording-key', 'retire']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Rewrote the header of 4 encrypted files');
      expect(r.stdout).toContain(
        `Retired 1 old key: ${identityFile()} now holds only ${identityToRecipient(newIdentity!)}.`,
      );
      expect(await identities()).toEqual([newIdentity]);

      for (const f of await storedFiles()) {
        expect(split(await readFile(blobFile(f.key))).payload.equals(payloads.get(f.key)!)).toBe(true);
        expect(await ageOpens(f.key, newIdentity!)).toBe(f.plainSha256);
        expect(await ageOpens(f.key, oldIdentity!)).toBeNull();
      }
      const verify = await box.run(['fixity', 'verify']);
      expect(verify.stdout).toContain('Checked 2 recordings: 2 ok');
      expect(verify.code).toBe(0);

      const again = await box.run(['recording-key', 'retire']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(
        `Every encrypted file is addressed to ${identityToRecipient(newIdentity!)} alone.`,
      );
      expect(again.stdout).toContain('Rewrote the header of 0 encrypted files');
    },
    SLOW,
  );
});
