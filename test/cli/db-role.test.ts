import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { openDatabase } from '../../src/infra/db/client.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../support/audio-fixtures.ts';
import { siblingGroupConference } from '../support/conferences.ts';
import { staff } from '../support/people.ts';
import type { TestContext } from '../support/services.ts';
import { SLOW, bareEnv, runCli } from './support.ts';

/** Every function through which an approved disposal destroys rows kept for good (migrations 0037 and 0042). */
const DISPOSAL_FUNCTIONS = [
  'cpcr_dispose_recording',
  'cpcr_dispose_disclosure_copy',
  'cpcr_dispose_conference_record',
  'cpcr_dispose_copy_request',
];
const base = process.env['TEST_DATABASE_URL'];

/** A query as the given connection string; the error's SQLSTATE when PostgreSQL refuses it. */
async function as(url: string, text: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  } finally {
    await client.end();
  }
}

/** As `as`, with PostgreSQL's message, to tell a refusal by a check from a missing right (both 42501). */
async function why(url: string, text: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
    return 'ok';
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return `${e.code ?? 'error'}: ${e.message ?? ''}`;
  } finally {
    await client.end();
  }
}

/** The rows a query returns, as the given connection string. */
async function rowsAs(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

// PGlite is one process's database with a single role: there is no second role to run the service as, so the
// runtime role exists only on PostgreSQL (set TEST_DATABASE_URL).
describe.skipIf(!base)('PostgreSQL runtime role: cpcr db grant-runtime (skipped on PGlite, which has one role)', () => {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const owner = `cpcr_owner_${suffix}`;
  const app = `cpcr_app_${suffix}`;
  const dbName = `cpcr_roles_${suffix}`;
  let ownerUrl: string;
  let appUrl: string;
  let dataDir: string;
  let fx: FixtureDir;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  const urlFor = (role: string) => {
    const u = new URL(base!);
    u.username = role;
    u.password = '';
    u.pathname = `/${dbName}`;
    return u.toString();
  };

  beforeAll(async () => {
    await admin(`create role ${owner} login`);
    await admin(`create role ${app} login`);
    await admin(`create database ${dbName} owner ${owner}`);
    ownerUrl = urlFor(owner);
    appUrl = urlFor(app);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-roles-'));
    fx = await fixtureDir('cpcr-roles-audio-');
    await toneWav(fx.file('meeting.wav'), { seconds: 2 });
  }, SLOW);
  afterAll(async () => {
    await admin(`drop database if exists ${dbName} with (force)`);
    await admin(`drop role if exists ${app}`);
    await admin(`drop role if exists ${owner}`);
    await rm(dataDir, { recursive: true, force: true });
    await fx?.cleanup();
  });

  it(
    'migrations run as the owner; the grants are applied, again without change, and refused for a role that cannot be held back',
    async () => {
      const env = bareEnv({ DATA_DIR: dataDir, DATABASE_URL: ownerUrl });
      const migrate = await runCli(['migrate'], { env });
      expect(migrate.code).toBe(0);
      // The service as the runtime role cannot apply them: nothing may be created.
      expect(await as(appUrl, 'create table public.mine (id int)')).toBe('42501');
      // Nobody but the owner may run the disposal functions until the runtime role is granted them.
      for (const fn of DISPOSAL_FUNCTIONS)
        expect(await why(appUrl, `select ${fn}(gen_random_uuid(), gen_random_uuid())`)).toMatch(
          new RegExp(`^42501: permission denied for function ${fn}`),
        );

      for (let i = 0; i < 2; i++) {
        const r = await runCli(['db', 'grant-runtime', '--role', app], { env });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`${app} can now run the service`);
        expect(r.stdout).toContain('read and add to, never change or remove: audit_events');
        expect(r.stdout).toContain('only through cpcr_dispose_recording, cpcr_dispose_disclosure_copy');
      }
      // Granted, the runtime role may call each one, and each still refuses an item no approved proposal holds.
      for (const fn of DISPOSAL_FUNCTIONS)
        expect(await why(appUrl, `select ${fn}(gen_random_uuid(), gen_random_uuid())`)).toMatch(
          /^42501: .* is not pending in disposal proposal/,
        );
      const self = await runCli(['db', 'grant-runtime', '--role', owner], { env });
      expect(self.code).toBe(1);
      expect(self.stderr).toContain('is the role this command runs as');
      const missing = await runCli(['db', 'grant-runtime', '--role', 'no_such_role_here'], { env });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('There is no role "no_such_role_here"');
      const superuser = await runCli(['db', 'grant-runtime', '--role', new URL(base!).username || 'postgres'], { env });
      expect(superuser.code).toBe(1);
      expect(superuser.stderr).toContain('SUPERUSER');
      const bad = await runCli(['db', 'grant-runtime', '--role', 'Robert"; drop table x; --'], { env });
      expect(bad.code).toBe(2);
    },
    SLOW * 2,
  );

  it(
    'the runtime role cannot delete or change audit rows, disable the trigger, alter, truncate or drop tables',
    async () => {
      expect(await as(appUrl, 'select count(*) from audit_events')).toBe('ok');
      expect(await as(appUrl, 'delete from audit_events')).toBe('42501');
      expect(await as(appUrl, `update audit_events set action = 'x'`)).toBe('42501');
      expect(await as(appUrl, 'truncate audit_events')).toBe('42501');
      expect(await as(appUrl, 'alter table audit_events disable trigger audit_events_no_update_delete')).toBe('42501');
      expect(await as(appUrl, 'alter table audit_events disable trigger all')).toBe('42501');
      expect(await as(appUrl, 'drop trigger audit_events_no_update_delete on audit_events')).toBe('42501');
      expect(await as(appUrl, 'drop table audit_events')).toBe('42501');
      expect(await as(appUrl, 'drop table recordings')).toBe('42501');
      expect(await as(appUrl, 'alter table recordings add column x int')).toBe('42501');
      expect(
        await as(
          appUrl,
          `create or replace function audit_events_refuse_change() returns trigger as $$ begin return new; end $$ language plpgsql`,
        ),
      ).toBe('42501');
      expect(await as(appUrl, 'create schema mine')).toBe('42501');
    },
    SLOW,
  );

  it(
    'the service runs as the runtime role: accounts, a conference, a stored recording, the job queue and the audit trail',
    async () => {
      const env = bareEnv({ DATA_DIR: dataDir, DATABASE_URL: appUrl });
      const created = await runCli(
        ['user', 'create', '--email', 'ria@example.gov.uk', '--name', 'Ria Admin', '--role', 'admin'],
        { env, input: 'a long enough password 2026\n' },
      );
      expect(created.stderr).toContain('Created the account');
      expect(created.code).toBe(0);

      const config = loadConfig({ ...env, SESSION_SECRET: 'x'.repeat(40) });
      const services = await buildServices(config, pino({ level: 'silent' }), {
        database: await openDatabase({ url: appUrl }),
        ingestQueue: ({ recordings: r }) => ({ enqueueIngest: async (id) => void (await r.ingest(id)) }),
      });
      try {
        await services.queue.start(services.scheduledJobs, services.workers);
        const ctx = { services, dataDir } as unknown as TestContext;
        const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
        const support = await staff(ctx, 'Bo Support', ['business_support']);
        const g = await siblingGroupConference(ctx, { socialWorker: sw, status: 'held' });
        const as_ = { actor: { id: support.id, label: support.name } };
        const r = await services.recordings.createUpload(support, as_, g.conferenceId, {
          kind: 'meeting',
          source: 'dictaphone',
          partId: g.partId,
        });
        const copy = path.join(dataDir, `upload-${r.id}`);
        await copyFile(fx.file('meeting.wav'), copy);
        await services.recordings.completeUpload(support, as_, r.id, copy);
        expect(await services.recordings.checkFixity(r.id, 'on-demand', as_)).toBe('ok');
        await services.queue.stop();
      } finally {
        await services.close();
      }
      const verify = await runCli(['audit', 'verify'], { env });
      expect(verify.stderr).toBe('');
      expect(verify.code).toBe(0);
      const checkpoint = await runCli(['audit', 'checkpoint'], { env });
      expect(checkpoint.code).toBe(0);
      const upToDate = await runCli(['migrate'], { env });
      expect(upToDate.code).toBe(0);
      expect(upToDate.stdout).toContain('Nothing to do');
    },
    SLOW * 2,
  );
  it(
    'R-3, R-4: the runtime role cannot destroy a stored recording by setting the disposal switch, only through the disposal function, which refuses without an approved proposal',
    async () => {
      const [rec] = await rowsAs(appUrl, `select id from recordings where status = 'stored'`);
      const id = String(rec!['id']);
      const count = async (table: string, where: string) =>
        Number((await rowsAs(ownerUrl, `select count(*)::int as n from ${table} where ${where}`))[0]!['n']);
      expect(await count('fixity_events', `recording_id = '${id}'`)).toBeGreaterThan(0);
      const inTransaction = (...statements: string[]) => `begin; ${statements.join('; ')}; commit`;
      const refusedDelete = /^42501: \w+ rows are kept for good: DELETE refused/;

      // The switch the disposal job used to set, and the one the disposal functions set now, set by the role itself.
      for (const flag of [`set local cpcr.disposal = 'on'`, `set local cpcr.disposing = 'recording:${id}'`]) {
        expect(await why(appUrl, inTransaction(flag, `delete from recordings where id = '${id}'`))).toMatch(
          refusedDelete,
        );
        expect(
          await why(appUrl, inTransaction(flag, `delete from fixity_events where recording_id = '${id}'`)),
        ).toMatch(refusedDelete);
        expect(
          await why(
            appUrl,
            inTransaction(flag, `update recordings set original_sha256 = repeat('0', 64) where id = '${id}'`),
          ),
        ).toMatch(/^42501: a stored recording never changes/);
      }

      // The function refuses a proposal that does not exist, and one not yet approved by a second person.
      const notDestroyed = /^42501: recording [0-9a-f-]{36} is not pending in disposal proposal/;
      expect(await why(appUrl, `select cpcr_dispose_recording('${id}', gen_random_uuid())`)).toMatch(notDestroyed);
      const [first, second] = await rowsAs(appUrl, 'select id from users order by created_at, id limit 2');
      const [proposal] = await rowsAs(
        appUrl,
        `insert into disposal_proposals (state, proposed_by, proposed_at, schedules)
         values ('proposed', '${String(first!['id'])}', now(), '{}') returning id`,
      );
      const pid = String(proposal!['id']);
      expect(
        await as(
          appUrl,
          `insert into disposal_items (proposal_id, item_kind, item_id, due_on) values ('${pid}', 'recording', '${id}', current_date)`,
        ),
      ).toBe('ok');
      expect(await why(appUrl, `select cpcr_dispose_recording('${id}', '${pid}')`)).toMatch(notDestroyed);
      // The proposer's own approval is refused by the database (four eyes).
      expect(
        await as(
          appUrl,
          `update disposal_proposals set state = 'approved', approved_by = proposed_by, approved_at = now() where id = '${pid}'`,
        ),
      ).toBe('23514');
      expect(await count('recordings', `id = '${id}'`)).toBe(1);

      // Approved by a second person: still no direct delete by the runtime role, even naming the item; the function
      // (run as the owner) destroys it.
      expect(
        await as(
          appUrl,
          `update disposal_proposals set state = 'approved', approved_by = '${String(second!['id'])}', approved_at = now() where id = '${pid}'`,
        ),
      ).toBe('ok');
      expect(
        await why(
          appUrl,
          inTransaction(`set local cpcr.disposing = 'recording:${id}'`, `delete from recordings where id = '${id}'`),
        ),
      ).toMatch(refusedDelete);
      expect(await count('recordings', `id = '${id}'`)).toBe(1);
      expect(await why(appUrl, `select cpcr_dispose_recording('${id}', '${pid}')`)).toBe('ok');
      expect(await count('recordings', `id = '${id}'`)).toBe(0);
      expect(await count('fixity_events', `recording_id = '${id}'`)).toBe(0);
    },
    SLOW,
  );
});
