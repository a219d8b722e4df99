import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { openDatabase } from '../../src/infra/db/client.ts';
import { fixityEvents, recordings } from '../../src/infra/db/recordings-schema.ts';
import { staff } from '../support/people.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { TestClock, type TestContext, testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, bareEnv, cliSandbox, runCli } from './support.ts';

const DAY = 86_400_000;

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-cli-fixity-');
  await toneWav(fx.file('meeting.wav'), { seconds: 3 });
});
afterAll(async () => {
  await fx?.cleanup();
});

describe.each(testDatabases())('cpcr fixity verify and status (%s)', (kind) => {
  let box: CliSandbox;
  let a: string;
  let b: string;
  const blobFile = (key: string) => path.join(box.dataDir, 'blobs', key.slice(0, 2), key);
  const originalKey = async (id: string) =>
    box.withDatabase(
      async (database) =>
        (
          await database.db.select({ key: recordings.originalBlobKey }).from(recordings).where(eq(recordings.id, id))
        )[0]!.key!,
    );

  beforeAll(async () => {
    box = await cliSandbox(kind);
    // Two recordings stored 100 days ago (past the default 90-day cycle), by the real services with
    // ingest run inline, on the database and data directory the CLI then uses.
    const database = await openDatabase({ url: box.env['DATABASE_URL'], dataDir: box.dataDir });
    const clock = new TestClock(new Date(Date.now() - 100 * DAY));
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
      const upload = async () => {
        const r = await services.recordings.createUpload(support, as, g.conferenceId, {
          kind: 'meeting',
          source: 'dictaphone',
          partId: g.partId,
        });
        const copy = path.join(box.dataDir, `upload-${r.id}`);
        await copyFile(fx.file('meeting.wav'), copy);
        await services.recordings.completeUpload(support, as, r.id, copy);
        return r.id;
      };
      a = await upload();
      b = await upload();
      // One that never finished uploading is not a stored recording, so it is not checked.
      await services.recordings.createUpload(support, as, g.conferenceId, { kind: 'dictation', source: 'dictaphone' });
    } finally {
      await services.close();
    }
  }, SLOW);
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'lists recordings not checked within the cycle, then checks every one: exit 0 when all are intact',
    async () => {
      const status = await box.run(['fixity', 'status']);
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(
        /^2 recordings not checked within the last 90 days:\nRECORDING +STORED +LAST CHECKED +LAST RESULT\n/,
      );
      expect(status.stdout).toContain(a);
      expect(status.stdout).toContain(b);
      expect(status.stdout).toMatch(new RegExp(`${a}  \\d{4}-\\d\\d-\\d\\d  \\d{4}-\\d\\d-\\d\\d    ok`));

      const verify = await box.run(['fixity', 'verify']);
      expect(verify.stderr).toBe('');
      expect(verify.code).toBe(0);
      expect(verify.stdout.split('\n').sort()).toEqual(
        ['', `${a}  ok`, `${b}  ok`, 'Checked 2 recordings: 2 ok'].sort(),
      );
      expect(verify.stdout.endsWith('Checked 2 recordings: 2 ok\n')).toBe(true);

      const after = await box.run(['fixity', 'status', '--json']);
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout)).toEqual({ cycleDays: 90, overdue: [] });
    },
    SLOW,
  );

  it(
    'R-3: a flipped bit in a stored original makes verify exit 1, naming the recording; the failure is recorded',
    async () => {
      const file = blobFile(await originalKey(a));
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x04;
      await writeFile(file, bytes);

      const r = await box.run(['fixity', 'verify']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`${a}  mismatch\n`);
      expect(r.stdout).toContain(`${b}  ok\n`);
      expect(r.stdout).toContain('Checked 2 recordings: 1 mismatch, 1 ok');
      expect(r.stderr).toMatch(new RegExp(`^error: FIXITY CHECK FAILED for 1 recording of 2:\\n  ${a}  mismatch\\n`));
      expect(r.stderr).not.toContain(b);

      // Only the one asked about.
      const one = await box.run(['fixity', 'verify', '--recording', a]);
      expect(one.code).toBe(1);
      expect(one.stdout).toBe(`${a}  mismatch\nChecked 1 recording: 1 mismatch\n`);
      const other = await box.run(['fixity', 'verify', '--recording', b.toUpperCase(), '--json']);
      expect(other.code).toBe(0);
      expect(JSON.parse(other.stdout)).toEqual({ checked: 1, failed: 0, results: [{ id: b, result: 'ok' }] });

      const events = await box.withDatabase((database) =>
        database.db.select().from(fixityEvents).where(eq(fixityEvents.recordingId, a)).orderBy(asc(fixityEvents.id)),
      );
      expect(events.filter((e) => e.derivativeId === null).map((e) => [e.trigger, e.result])).toEqual([
        ['ingest', 'ok'],
        ['on-demand', 'ok'],
        ['on-demand', 'mismatch'],
        ['on-demand', 'mismatch'],
      ]);
    },
    SLOW,
  );

  it(
    'reports a missing stored file as missing (exit 1), in JSON for scripts',
    async () => {
      await rm(blobFile(await originalKey(b)));
      const r = await box.run(['fixity', 'verify', '--json']);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as {
        checked: number;
        failed: number;
        results: Array<{ id: string; result: string }>;
      };
      expect(out.checked).toBe(2);
      expect(out.failed).toBe(2);
      expect(Object.fromEntries(out.results.map((x) => [x.id, x.result]))).toEqual({ [a]: 'mismatch', [b]: 'missing' });
      expect(r.stderr).toContain(`  ${b}  missing`);

      const unknown = await box.run(['fixity', 'verify', '--recording', '00000000-0000-4000-8000-000000000000']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('error: The recording was not found\n');
    },
    SLOW,
  );
});

// None of these reach the database.
describe('cpcr fixity usage and configuration errors', () => {
  it(
    'exits 2 for a malformed recording id or an unknown option, and 78 for bad configuration',
    async () => {
      const env = bareEnv({ DATA_DIR: path.join(fx.dir, 'never-created') });
      const help = await runCli(['fixity', 'verify', '--help'], { env });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: cpcr fixity verify [options]');
      expect(help.stdout).toContain('--recording <id>');

      const badId = await runCli(['fixity', 'verify', '--recording', '../etc/passwd'], { env });
      expect(badId.code).toBe(2);
      expect(badId.stderr).toContain('"../etc/passwd" is not a recording id');
      const badOption = await runCli(['fixity', 'status', '--all'], { env });
      expect(badOption.code).toBe(2);
      expect(badOption.stderr).toMatch(/unknown option '--all'/);

      const config = await runCli(['fixity', 'verify'], { env: { ...env, DATABASE_URL: 'mysql://db.example/cpcr' } });
      expect(config.code).toBe(78);
      expect(config.stderr).toContain('DATABASE_URL: must start with postgres://');
    },
    SLOW,
  );
});
