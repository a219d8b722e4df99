import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { buildServices } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { openDatabase } from '../../src/infra/db/client.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { staff } from '../support/people.ts';
import { type TestContext, testDatabases } from '../support/services.ts';
import { type LocalS3, startLocalS3 } from '../../src/infra/blobs/testing/s3rver.ts';
import { type CliSandbox, SLOW, bareEnv, cliSandbox, runCli } from './support.ts';

const run = promisify(execFile);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Manifest {
  files: Array<{ path: string; size: number; sha256: string }>;
  database: { kind: string; file: string; sha256: string };
  recordings: Array<{ recordingId: string; file: string; originalSha256: string }>;
}

let fx: FixtureDir;
let wav: Buffer;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-cli-backup-');
  await toneWav(fx.file('meeting.wav'), { seconds: 3 });
  wav = await readFile(fx.file('meeting.wav'));
});
afterAll(async () => {
  await fx?.cleanup();
});

/** A new, empty PostgreSQL database beside the test one, dropped afterwards. */
async function emptyPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env['TEST_DATABASE_URL']!;
  const name = `cpcr_restore_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Builds the real services on a data directory and database, runs fn, closes them. */
async function withServicesOn<T>(
  env: Record<string, string | undefined>,
  fn: (s: TestContext['services']) => Promise<T>,
) {
  const database = await openDatabase({ url: env['DATABASE_URL'], dataDir: env['DATA_DIR']! });
  const services = await buildServices(
    loadConfig({ ...env, SESSION_SECRET: 'x'.repeat(40) }),
    pino({ level: 'silent' }),
    {
      database,
      ingestQueue: ({ recordings: r }) => ({ enqueueIngest: async (id) => void (await r.ingest(id)) }),
    },
  );
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Every stored original decrypted through the service (fixity-checked export), by recording. */
/** The audit entries in the database `env` names, oldest first (one action, or all). */
async function auditOf(env: Record<string, string | undefined>, action?: string) {
  const database = await openDatabase({ url: env['DATABASE_URL'], dataDir: env['DATA_DIR']! });
  try {
    const { rows } = await database.execute(
      `select action, actor_label as "actorLabel", outcome, details from audit_events ${action ? 'where action = $1' : ''} order by seq`,
      action ? [action] : [],
    );
    return rows as Array<{ action: string; actorLabel: string; outcome: string; details: Record<string, unknown> }>;
  } finally {
    await database.close();
  }
}

async function playAll(
  env: Record<string, string | undefined>,
  support: Actor,
  ids: readonly string[],
): Promise<Map<string, Buffer>> {
  return withServicesOn(env, async (services) => {
    const out = new Map<string, Buffer>();
    for (const id of ids) {
      const copy = await services.recordings.exportOriginal(
        support,
        { actor: { id: support.id, label: support.name } },
        id,
        'restore drill',
      );
      const chunks: Buffer[] = [];
      for await (const c of copy.stream) chunks.push(c as Buffer);
      out.set(id, Buffer.concat(chunks));
    }
    return out;
  });
}

/** Two stored recordings and one still arriving (its bytes in staging), made by the real services. */
async function seed(
  env: Record<string, string | undefined>,
): Promise<{ support: Actor; ids: string[]; unfinished: string }> {
  return withServicesOn(env, async (services) => {
    const ctx = { services, dataDir: env['DATA_DIR'] } as unknown as TestContext;
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, status: 'held' });
    const as = { actor: { id: support.id, label: support.name } };
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await services.recordings.createUpload(support, as, g.conferenceId, {
        kind: 'meeting',
        source: 'dictaphone',
        partId: g.partId,
      });
      const copy = path.join(env['DATA_DIR']!, `upload-${r.id}`);
      await copyFile(fx.file('meeting.wav'), copy);
      await services.recordings.completeUpload(support, as, r.id, copy);
      ids.push(r.id);
    }
    const unfinished = (
      await services.recordings.createUpload(support, as, g.conferenceId, { kind: 'dictation', source: 'dictaphone' })
    ).id;
    await services.staging.append(unfinished, 0, wav.subarray(0, 4096));
    return { support, ids, unfinished };
  });
}

describe.each(testDatabases())('cpcr backup and restore: the restore drill (%s)', (kind) => {
  let box: CliSandbox;
  let support: Actor;
  let ids: string[];
  let unfinished: string;
  let work: string;
  let backupDir: string;
  let keysDir: string;
  const played = new Map<string, Buffer>();

  beforeAll(async () => {
    box = await cliSandbox(kind);
    work = await mkdtemp(path.join(os.tmpdir(), 'cpcr-backup-work-'));
    backupDir = path.join(work, 'backup');
    keysDir = path.join(work, 'keys');
    // A recording still arriving has its bytes in staging: they must come back with the backup.
    ({ support, ids, unfinished } = await seed(box.env));
    // A signed checkpoint, so the restored trail is checked against it.
    const cp = await box.run(['audit', 'checkpoint']);
    expect(cp.stderr).toBe('');
    expect(cp.code).toBe(0);
    for (const [id, bytes] of await playAll(box.env, support, ids)) played.set(id, bytes);
  }, SLOW * 2);
  afterAll(async () => {
    await box?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.runIf(kind === 'pglite')(
    'refuses while the service has the embedded database open, saying how to take the backup, and writes nothing',
    async () => {
      const r = await box.withDatabase(() => box.run(['backup', backupDir]));
      expect(r.code).toBe(75);
      expect(r.stderr).toContain('has the embedded database');
      expect(r.stderr).toContain('stop the service');
      expect(r.stderr).toContain('The service may be started again now');
      expect(await readdir(work)).toEqual([]);
    },
    SLOW,
  );

  it(
    'backs up the database, every blob, staged uploads and audit checkpoints with a manifest; keys only with --keys-to, apart',
    async () => {
      const inside = await box.run(['backup', path.join(work, 'b2'), '--keys-to', path.join(work, 'b2', 'keys')]);
      expect(inside.code).toBe(1);
      expect(inside.stderr).toContain('must be apart from the backup folder');

      const r = await box.run(['backup', backupDir, '--keys-to', keysDir]);
      expect(r.stderr).toContain('WARNING: --keys-to copies the recording key');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^Backup written to .*: \d+ files, \d+ bytes \(\d+ blobs; 2 stored recordings\)\.\nManifest SHA-256: [0-9a-f]{64}\n/,
      );
      expect(r.stdout).toContain('Keys copied to');

      const text = await readFile(path.join(backupDir, 'manifest.json'), 'utf8');
      expect(r.stdout).toContain(`Manifest SHA-256: ${sha256(Buffer.from(text))}`);
      const manifest = JSON.parse(text) as Manifest;
      const paths = manifest.files.map((f) => f.path);
      expect(manifest.database.kind).toBe(kind);
      expect(paths).toContain(manifest.database.file);
      expect(paths).toContain(`staging/${unfinished}.audio`);
      expect(paths.some((p) => p.startsWith('audit-checkpoints/checkpoint-'))).toBe(true);
      expect(manifest.recordings.map((x) => x.recordingId).sort()).toEqual([...ids].sort());
      for (const rec of manifest.recordings) expect(paths).toContain(rec.file);
      // No key is in the backup; the keys folder has them.
      expect(paths.filter((p) => /key|\.pem$/.test(p))).toEqual([]);
      expect((await readdir(keysDir)).sort()).toEqual(
        expect.arrayContaining(['audit-signing.pem', 'keys-manifest.json', 'recordings.agekey']),
      );
      // Anyone can check the backup with sha256sum, without this program.
      const sums = await run('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: backupDir });
      expect(sums.stdout).toBe('');

      // Offline reading: age and the recording key open an original, and its SHA-256 is the one the manifest gives.
      const rec = manifest.recordings[0]!;
      const plain = await run(
        'age',
        ['--decrypt', '-i', path.join(keysDir, 'recordings.agekey'), path.join(backupDir, rec.file)],
        {
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      expect(sha256(plain.stdout as unknown as Buffer)).toBe(rec.originalSha256);
      expect(Buffer.compare(plain.stdout as unknown as Buffer, wav)).toBe(0);

      const again = await box.run(['backup', backupDir]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('is not empty');

      // The backup is in the audit trail: who ran it (the operating-system account), where it went and the
      // manifest's SHA-256 (the refused attempts wrote none).
      const taken = await auditOf(box.env, 'backup.taken');
      expect(taken).toEqual([
        expect.objectContaining({
          actorLabel: `cli:${os.userInfo().username}`,
          outcome: 'success',
          details: expect.objectContaining({
            folder: backupDir,
            manifestSha256: sha256(Buffer.from(text)),
            database: kind,
            recordings: 2,
            keysCopied: true,
          }),
        }),
      ]);
    },
    SLOW,
  );

  it(
    'R-3: restores into an empty place: audit verify and fixity verify pass and every recording plays back identically',
    async () => {
      const dataDir = path.join(work, 'restored');
      let db: { url: string; drop(): Promise<void> } | undefined;
      if (kind === 'postgres') db = await emptyPostgres();
      try {
        const env = { ...box.env, DATA_DIR: dataDir, ...(db ? { DATABASE_URL: db.url } : {}) };
        const noKeys = await runCli(['restore', backupDir], { env });
        expect(noKeys.code).toBe(1);
        expect(noKeys.stderr).toContain('The keys are not in place, and --keys-from was not given');

        const r = await runCli(['restore', backupDir, '--keys-from', keysDir], { env });
        expect(r.stderr).not.toContain('error');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('cpcr audit verify');

        // The restored trail's newest entry says which backup it came from, and still verifies.
        const manifestSha256 = sha256(await readFile(path.join(backupDir, 'manifest.json')));
        const restoredEntries = await auditOf(env);
        expect(restoredEntries.at(-1)).toMatchObject({
          action: 'backup.restored',
          actorLabel: `cli:${os.userInfo().username}`,
          details: { from: backupDir, manifestSha256, database: kind, recordings: 2, keys: 'restored' },
        });
        // The backup's own entry was written after it was taken, so it is not in what was restored.
        expect(restoredEntries.filter((e) => e.action === 'backup.taken')).toEqual([]);
        const audit = await runCli(['audit', 'verify'], { env });
        expect(audit.stderr).toBe('');
        expect(audit.code).toBe(0);
        expect(audit.stdout).toMatch(/^Audit trail intact: /);
        const fixity = await runCli(['fixity', 'verify'], { env });
        expect(fixity.code).toBe(0);
        expect(fixity.stdout).toContain('Checked 2 recordings: 2 ok');

        const restored = await playAll(env, support, ids);
        for (const id of ids) expect(Buffer.compare(restored.get(id)!, played.get(id)!)).toBe(0);
        expect(Buffer.compare(restored.get(ids[0]!)!, wav)).toBe(0);
        const staged = await readFile(path.join(dataDir, 'staging', `${unfinished}.audio`));
        expect(Buffer.compare(staged, wav.subarray(0, 4096))).toBe(0);
        expect((await stat(path.join(dataDir, 'keys', 'recordings.agekey'))).mode & 0o077).toBe(0);

        // A restore writes only into empty places.
        const twice = await runCli(['restore', backupDir, '--keys-from', keysDir], { env });
        expect(twice.code).toBe(1);
        expect(twice.stderr).toContain('Nothing was restored: a restore writes only into empty places.');
        expect(twice.stderr).toContain(`DATA_DIR ${dataDir} is not empty`);
        if (db) expect(twice.stderr).toContain('the database in DATABASE_URL is not empty');
      } finally {
        await db?.drop();
      }
    },
    SLOW * 2,
  );

  it(
    'R-3: names a swapped, damaged or added file and restores nothing',
    async () => {
      const copy = path.join(work, 'tampered');
      await cp(backupDir, copy, { recursive: true });
      const manifest = JSON.parse(await readFile(path.join(copy, 'manifest.json'), 'utf8')) as Manifest;
      const [a, b] = manifest.recordings.map((r) => r.file);
      // Two recordings' encrypted files swapped: each is a valid age file, so only the manifest can tell.
      await rename(path.join(copy, a!), path.join(copy, 'swap'));
      await rename(path.join(copy, b!), path.join(copy, a!));
      await rename(path.join(copy, 'swap'), path.join(copy, b!));
      const dump = path.join(copy, manifest.database.file);
      const bytes = await readFile(dump);
      bytes[bytes.length >> 1]! ^= 1;
      await writeFile(dump, bytes);
      await mkdir(path.join(copy, 'blobs', 'zz'), { recursive: true });
      await writeFile(path.join(copy, 'blobs', 'zz', 'extra'), 'x');

      const dataDir = path.join(work, 'not-restored');
      const r = await runCli(['restore', copy, '--keys-from', keysDir], { env: { ...box.env, DATA_DIR: dataDir } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('THE BACKUP FAILED ITS CHECK, so nothing was restored');
      expect(r.stderr).toContain(`${a}: SHA-256 differs from the manifest (damaged or swapped)`);
      expect(r.stderr).toContain(`${b}: SHA-256 differs from the manifest (damaged or swapped)`);
      expect(r.stderr).toContain(`${manifest.database.file}: SHA-256 differs from the manifest`);
      expect(r.stderr).toContain('blobs/zz/extra: not in the manifest');
      await expect(readdir(dataDir)).rejects.toThrow();

      await rm(path.join(copy, 'manifest.json'));
      const none = await runCli(['restore', copy], { env: { ...box.env, DATA_DIR: dataDir } });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('holds no manifest.json');
    },
    SLOW,
  );
});

describe('cpcr backup and restore with the blobs in an S3 bucket (s3rver)', () => {
  let s3: LocalS3;
  let work: string;
  const s3Env = (prefix: string) => ({
    BLOB_STORE: 's3',
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_PREFIX: prefix,
    // Uploads still arriving wait on this node's disk here, so the backup of the data folder carries them.
    STAGING_STORE: 'local',
  });
  beforeAll(async () => {
    s3 = await startLocalS3();
    work = await mkdtemp(path.join(os.tmpdir(), 'cpcr-backup-s3-'));
  });
  afterAll(async () => {
    await s3?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    'backs up every object under the prefix and restores them, under the same keys, into an empty prefix; fixity passes',
    async () => {
      const live = bareEnv({ DATA_DIR: path.join(work, 'live'), ...s3Env('live/') });
      const { support, ids } = await seed(live);
      const before = await playAll(live, support, ids);
      const backup = path.join(work, 'backup');
      const keys = path.join(work, 'keys');
      const r = await runCli(['backup', backup, '--keys-to', keys], { env: live });
      expect(r.code).toBe(0);
      const manifest = JSON.parse(await readFile(path.join(backup, 'manifest.json'), 'utf8')) as Manifest & {
        blobStore: { kind: string };
      };
      expect(manifest.blobStore.kind).toBe('s3');
      expect(manifest.recordings).toHaveLength(2);

      // The live prefix is not empty, so nothing is restored there.
      const onto = await runCli(['restore', backup, '--keys-from', keys], {
        env: { ...live, DATA_DIR: path.join(work, 'elsewhere') },
      });
      expect(onto.code).toBe(1);
      expect(onto.stderr).toContain(`the S3 bucket ${s3.bucket} (prefix live/) is not empty`);

      const restored = bareEnv({ DATA_DIR: path.join(work, 'restored'), ...s3Env('restored/') });
      const back = await runCli(['restore', backup, '--keys-from', keys], { env: restored });
      expect(back.stderr).not.toContain('error');
      expect(back.code).toBe(0);
      const fixity = await runCli(['fixity', 'verify'], { env: restored });
      expect(fixity.stdout).toContain('Checked 2 recordings: 2 ok');
      expect(fixity.code).toBe(0);
      const after = await playAll(restored, support, ids);
      for (const id of ids) expect(Buffer.compare(after.get(id)!, before.get(id)!)).toBe(0);
    },
    SLOW * 3,
  );
});
