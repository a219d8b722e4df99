import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/client.ts';
import { testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, cliSandbox } from './support.ts';

const ENTRIES = 6;
const COLUMNS = [
  'at',
  'actor_user_id',
  'actor_label',
  'action',
  'subject_type',
  'subject_id',
  'request_id',
  'outcome',
  'details',
  'prev_hash',
  'hash',
];

/**
 * Tampers as someone with direct database access would, switching the append-only trigger off around
 * the change. Each call first puts back the untouched trail (copied before the tests), so each test
 * starts from it without opening the database an extra time.
 */
async function tamper(database: Database, ...statements: string[]): Promise<void> {
  await database.execute('alter table audit_events disable trigger audit_events_no_update_delete');
  try {
    await database.execute('delete from audit_events');
    await database.execute('insert into audit_events select * from audit_events_copy');
    for (const s of statements) await database.execute(s);
  } finally {
    await database.execute('alter table audit_events enable trigger audit_events_no_update_delete');
  }
}

describe.each(testDatabases())('cpcr audit verify and checkpoint (%s)', (kind) => {
  let box: CliSandbox;
  const verify = () => box.run(['audit', 'verify']);

  beforeAll(async () => {
    box = await cliSandbox(kind);
    await box.withServices(async ({ accounts, database }) => {
      const actor = { actor: { id: null, label: 'test' } };
      for (let i = 1; i <= ENTRIES; i++) {
        await accounts.createUser(
          { email: `person${i}@example.gov.uk`, name: `Person ${i}`, roles: ['chair'], password: null },
          actor,
        );
      }
      await database.execute('create table audit_events_copy as select * from audit_events');
    });
  });
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'passes on an untouched trail',
    async () => {
      const r = await verify();
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Audit trail intact: ${ENTRIES} entries (no signed checkpoint yet)\n`);
    },
    SLOW,
  );

  it(
    'fails, naming the entry, after a row is edited in the database',
    async () => {
      await box.withDatabase((db) =>
        tamper(db, `update audit_events set details = '{"roles":["admin"]}' where seq = 3`),
      );
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'AUDIT TRAIL FAILED VERIFICATION at entry 3: entry 3 was changed after it was written',
      );
      expect(r.stderr).toContain('2 entries before it verified');
    },
    SLOW,
  );

  it(
    'fails, naming the entry, after a row is deleted from the middle',
    async () => {
      await box.withDatabase((db) => tamper(db, 'delete from audit_events where seq = 4'));
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('at entry 5: entry 4 is missing');
    },
    SLOW,
  );

  it(
    "fails, naming the entry, after two rows' contents are swapped",
    async () => {
      const swap = `update audit_events a set ${COLUMNS.map((c) => `${c} = b.${c}`).join(', ')}
      from audit_events b where (a.seq = 2 and b.seq = 5) or (a.seq = 5 and b.seq = 2)`;
      await box.withDatabase((db) => tamper(db, swap));
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('at entry 2: entry 2 does not follow entry 1');
    },
    SLOW,
  );

  it(
    'writes a signed checkpoint, then detects deletion of the newest rows through it',
    async () => {
      await box.withDatabase((db) => tamper(db));
      const written = await box.run(['audit', 'checkpoint']);
      expect(written.stderr).toBe('');
      expect(written.code).toBe(0);
      expect(written.stdout).toMatch(
        new RegExp(`^Signed checkpoint written covering ${ENTRIES} entries: .*checkpoint-0+${ENTRIES}-\\d+\\.json\\n$`),
      );

      const intact = await verify();
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(
        new RegExp(`^Audit trail intact: ${ENTRIES} entries \\(checkpoint of 20\\d\\d-.+Z covering ${ENTRIES}\\)\\n$`),
      );

      // What is left is a shorter chain that is consistent in itself; only the checkpoint shows the loss.
      await box.withDatabase((db) => tamper(db, `delete from audit_events where seq > ${ENTRIES - 2}`));
      const truncated = await verify();
      expect(truncated.code).toBe(1);
      expect(truncated.stderr).toContain(`at entry ${ENTRIES - 1}: entries ${ENTRIES - 1} to ${ENTRIES} were deleted`);

      // A checkpoint is not written over a damaged trail.
      const refused = await box.run(['audit', 'checkpoint']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error: No checkpoint written\.\nAUDIT TRAIL FAILED VERIFICATION at entry 5/);
      expect(await readdir(path.join(box.dataDir, 'audit-checkpoints'))).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'names the newest signed checkpoint when an edited entry breaks the chain, never "no signed checkpoint yet"',
    async () => {
      // The previous test left a checkpoint covering every entry.
      await box.withDatabase((db) =>
        tamper(db, `update audit_events set details = '{"roles":["admin"]}' where seq = 3`),
      );
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('AUDIT TRAIL FAILED VERIFICATION at entry 3');
      expect(r.stderr).toMatch(
        new RegExp(`2 entries before it verified \\(checkpoint of 20\\d\\d-.+Z covering ${ENTRIES}\\)`),
      );
      expect(r.stderr).not.toContain('no signed checkpoint yet');
    },
    SLOW,
  );
});
