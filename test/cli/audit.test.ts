import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainHash } from '../../src/infra/audit/chain.ts';
import { signCheckpoint, writeCheckpoint } from '../../src/infra/audit/checkpoints.ts';
import { type LocalS3, startLocalS3 } from '../../src/infra/blobs/testing/s3rver.ts';
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
async function tamper(database: Database, ...args: (string | { restoreCopy: boolean })[]): Promise<void> {
  const statements = args.filter((a): a is string => typeof a === 'string');
  const restoreCopy = !args.some((a) => typeof a === 'object' && !a.restoreCopy);
  await database.execute('alter table audit_events disable trigger audit_events_no_update_delete');
  try {
    if (restoreCopy) {
      await database.execute('delete from audit_events');
      await database.execute('insert into audit_events select * from audit_events_copy');
    }
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

/** An HTTPS witness's stand-in: keeps what is POSTed to each path, answers a GET with it; can refuse POSTs. */
async function startSink(): Promise<{
  url: string;
  held: Map<string, unknown[]>;
  refuse: { posts: boolean };
  close(): Promise<void>;
}> {
  const held = new Map<string, unknown[]>();
  const refuse = { posts: false };
  const server = createServer((req, res) => {
    const list = held.get(req.url ?? '') ?? [];
    held.set(req.url ?? '', list);
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ checkpoints: list }));
      return;
    }
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      if (refuse.posts) return void res.writeHead(503).end();
      list.push(JSON.parse(text));
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    refuse,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const EVERY = 5;
/** These tests run the CLI and build the services several times each. */
const SLOWER = 3 * SLOW;

describe.each(testDatabases())('the audit trail checked against witnesses away from the machine (%s)', (kind) => {
  let box: CliSandbox;
  let s3: LocalS3;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let keysDir: string;
  let checkpointDir: string;
  let scenario = '';
  const verify = () => box.run(['audit', 'verify']);
  const s3Label = () => `s3://${s3.bucket}/${scenario}/`;
  const sinkLabel = () => `${sink.url}/${scenario}`;

  beforeAll(async () => {
    [box, s3, sink] = await Promise.all([cliSandbox(kind), startLocalS3('audit-witness'), startSink()]);
    // Keys and checkpoints outside DATA_DIR, as production requires.
    keysDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-audit-keys-'));
    Object.assign(box.env, {
      AUDIT_SIGNING_KEY_FILE: path.join(keysDir, 'audit-signing.pem'),
      AUDIT_VERIFY_KEY_FILE: path.join(keysDir, 'audit-verify.pem'),
      AUDIT_CHECKPOINT_ENTRIES: String(EVERY),
      AUDIT_WITNESS_S3_BUCKET: s3.bucket,
      AUDIT_WITNESS_S3_ENDPOINT: s3.endpoint,
      AUDIT_WITNESS_S3_FORCE_PATH_STYLE: 'true',
      AUDIT_WITNESS_S3_ACCESS_KEY_ID: s3.accessKeyId,
      AUDIT_WITNESS_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    // Building the services once applies the migrations.
    await box.withServices(async () => undefined);
  }, SLOW);
  afterAll(async () => {
    await box?.dispose();
    await s3?.stop();
    await sink?.close();
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  /**
   * Each test starts an empty trail with its own checkpoint directory and its own place at both witnesses
   * (witnessed copies can never be removed, which is the point).
   */
  async function begin(name: string): Promise<void> {
    scenario = `${name}-${kind}`;
    checkpointDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-audit-checkpoints-'));
    Object.assign(box.env, {
      AUDIT_CHECKPOINT_DIR: checkpointDir,
      AUDIT_WITNESS_S3_PREFIX: `${scenario}/`,
      AUDIT_WITNESS_URL: sinkLabel(),
    });
    await box.withDatabase(async (db) => {
      await db.execute('alter table audit_events disable trigger audit_events_no_update_delete');
      await db.execute('delete from audit_events');
      await db.execute('alter table audit_events enable trigger audit_events_no_update_delete');
    });
  }

  /** Appends entries through the service, which checkpoints every EVERY entries in the background. */
  const append = (n: number) =>
    box.withServices(async ({ audit, auditTrail }) => {
      for (let i = 0; i < n; i++) {
        await audit.record({
          action: 'child.view',
          actor: { id: null, label: 'test' },
          outcome: 'success',
          details: { i },
        });
        // Waiting for each background checkpoint makes it cover exactly its multiple of EVERY.
        await auditTrail.idle();
      }
    });

  const localCheckpoints = async () => (await readdir(checkpointDir)).filter((n) => n.startsWith('checkpoint-')).sort();
  const sizes = (names: string[]) => names.map((n) => Number(n.slice(11, 23)));
  const sunk = () => (sink.held.get(`/${scenario}`) ?? []) as { size: number; keyId: string }[];

  /** What someone with the database and the machine (but not the witnesses) can do. */
  const attacker = {
    deleteAfter: (seq: number) =>
      box.withDatabase((db) => tamper(db, `delete from audit_events where seq > ${seq}`, { restoreCopy: false })),
    /** Edits an entry and re-hashes everything after it, so the chain is whole again. */
    editAndRehash: (seq: number) =>
      box.withDatabase(async (db) => {
        await db.execute('alter table audit_events disable trigger audit_events_no_update_delete');
        try {
          await db.execute(`update audit_events set details = '{"roles":["admin"]}' where seq = ${seq}`);
          const { rows } = await db.execute('select * from audit_events order by seq');
          let prev = GENESIS_HASH;
          for (const r of rows as Record<string, unknown>[]) {
            const hash = chainHash(prev, {
              // PostgreSQL's driver reads a bigint as text.
              seq: Number(r['seq']),
              at: new Date(r['at'] as string),
              actorUserId: r['actor_user_id'] as string | null,
              actorLabel: r['actor_label'] as string,
              action: r['action'] as string,
              subjectType: r['subject_type'] as string | null,
              subjectId: r['subject_id'] as string | null,
              requestId: r['request_id'] as string | null,
              outcome: r['outcome'] as string,
              details: (typeof r['details'] === 'string' ? JSON.parse(r['details']) : r['details']) as Record<
                string,
                unknown
              >,
            });
            await db.execute('update audit_events set prev_hash = $1, hash = $2 where seq = $3', [
              prev,
              hash,
              r['seq'],
            ]);
            prev = hash;
          }
        } finally {
          await db.execute('alter table audit_events enable trigger audit_events_no_update_delete');
        }
      }),
    /** Signs fresh local checkpoints of the rewritten trail with the signing key found on the machine. */
    resign: async () => {
      for (const name of await localCheckpoints()) await rm(path.join(checkpointDir, name));
      const key = createPrivateKey(await readFile(box.env['AUDIT_SIGNING_KEY_FILE']!, 'utf8'));
      const head = await box.withDatabase(async (db) => {
        const { rows } = await db.execute('select seq, hash from audit_events order by seq desc limit 1');
        return rows[0] as { seq: number; hash: string };
      });
      await writeCheckpoint(
        checkpointDir,
        signCheckpoint({ size: Number(head.seq), headHash: head.hash, at: new Date().toISOString() }, key),
      );
    },
  };

  it(
    'checkpoints every N entries, sends each to the Object Lock bucket and the HTTPS witness, and verify compares with both',
    async () => {
      await begin('every-n');
      await append(12);
      expect(sizes(await localCheckpoints())).toEqual([5, 10]);
      expect(sunk().map((c) => c.size)).toEqual([5, 10]);
      const r = await verify();
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Audit trail intact: 12 entries (checkpoint of ');
      expect(r.stdout).toContain(`Witness ${s3Label()}: newest checkpoint covering 10`);
      expect(r.stdout).toContain(`Witness ${sinkLabel()}: newest checkpoint covering 10`);
    },
    SLOWER,
  );

  it(
    'catches the tail deleted together with every local checkpoint, from the witnesses’ copies',
    async () => {
      await begin('tail-and-checkpoints');
      await append(12);
      await attacker.deleteAfter(3);
      for (const name of await localCheckpoints()) await rm(path.join(checkpointDir, name));
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('AUDIT TRAIL FAILED VERIFICATION at entry 4: entries 4 to 10 were deleted');
      expect(r.stderr).toContain(`held by the witness ${s3Label()}`);
    },
    SLOWER,
  );

  it(
    'catches a trail edited and re-hashed, with its local checkpoints re-signed by the key on the machine; such a trail cannot be passed off as a restore',
    async () => {
      await begin('resigned');
      await append(12);
      await attacker.editAndRehash(3);
      await attacker.resign();
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /AUDIT TRAIL FAILED VERIFICATION at entry 10: entry 10 differs from the signed checkpoint of .* held by the witness/,
      );

      const ack = await box.run(['audit', 'acknowledge-restore', '--reason', 'covering tracks']);
      expect(ack.code).toBe(1);
      expect(ack.stderr).toContain('This is not a restored backup: entry 10 differs');
    },
    SLOWER,
  );

  it(
    'keeps the service going when a witness refuses, raises the alert, and sends what it missed at the next checkpoint',
    async () => {
      await begin('witness-down');
      sink.refuse.posts = true;
      try {
        await append(5);
        expect(sizes(await localCheckpoints())).toEqual([5]);
        expect(sunk()).toEqual([]);
        await append(1);
        const failed = await box.run(['audit', 'checkpoint']);
        expect(failed.code).toBe(1);
        expect(failed.stdout).toMatch(/^Signed checkpoint written covering 6 entries/);
        expect(failed.stderr).toContain(
          `Not sent to the witness ${sinkLabel()} (the witness at ${sinkLabel()} answered 503)`,
        );
      } finally {
        sink.refuse.posts = false;
      }
      const retried = await box.run(['audit', 'checkpoint']);
      expect(retried.code).toBe(0);
      expect(retried.stdout).toContain(`Sent 2 checkpoints to the witness ${sinkLabel()}.`);
      expect(sunk().map((c) => c.size)).toEqual([5, 6]);
    },
    SLOWER,
  );

  it(
    'reports an older backup restored under newer witnessed checkpoints as a restore naming what was lost; once acknowledged (audited) verify passes and names the gap',
    async () => {
      await begin('restore');
      await append(12);
      await box.withDatabase(async (db) => {
        await db.execute('drop table if exists audit_events_backup');
        await db.execute('create table audit_events_backup as select * from audit_events');
      });
      await append(8);
      expect(sunk().map((c) => c.size)).toEqual([5, 10, 15, 20]);
      // The restore: the database as it was at entry 12; the checkpoint directory and witnesses are newer.
      await box.withDatabase((db) =>
        tamper(db, 'delete from audit_events', 'insert into audit_events select * from audit_events_backup', {
          restoreCopy: false,
        }),
      );

      const behind = await verify();
      expect(behind.code).toBe(1);
      expect(behind.stderr).toContain(
        'AUDIT TRAIL IS BEHIND ITS SIGNED CHECKPOINTS at entry 13: entries 13 to 20 were deleted',
      );
      expect(behind.stderr).toMatch(
        /the database holds entries 1 to 12 \(the last written 20\d\d-.+Z\);\n8 entries \(13 to 20\), written up to 20\d\d-.+Z, are not in it/,
      );
      expect(behind.stderr).toContain('cpcr audit acknowledge-restore --reason');

      const ack = await box.run(['audit', 'acknowledge-restore', '--reason', 'Restore drill, change CHG-1234']);
      expect(ack.stderr).toBe('');
      expect(ack.code).toBe(0);
      expect(ack.stdout).toMatch(
        /^Restore acknowledged as audit entry 13: 8 entries \(13 to 20, written up to 20\d\d-.+Z\) were lost with the restore\.\n$/,
      );
      // The acknowledgement is itself an entry, checkpointed and witnessed at once.
      expect(sunk().map((c) => c.size)).toEqual([5, 10, 15, 20, 13]);

      const after = await verify();
      expect(after.stderr).toBe('');
      expect(after.code).toBe(0);
      expect(after.stdout).toContain('Audit trail intact: 13 entries');
      expect(after.stdout).toMatch(
        /Acknowledged restore \(entry 13, 20\d\d-.+Z, by cli(:\S+)?\): 8 entries \(13 to 20, written up to 20\d\d-.+Z\) were lost when a backup was restored\. Reason: Restore drill, change CHG-1234\n/,
      );
      const entry = await box.withDatabase(async (db) => {
        const { rows } = await db.execute(`select action, details from audit_events where seq = 13`);
        return rows[0] as { action: string; details: Record<string, unknown> };
      });
      expect(entry.action).toBe('audit.restore_acknowledged');
      expect(entry.details).toMatchObject({ restoredThrough: 12, lostFrom: 13, lostThrough: 20, lostEntries: 8 });

      // New entries extend the restored trail; the lost checkpoints stay at the witnesses, named by the acknowledgement.
      await append(2);
      expect((await verify()).code).toBe(0);
    },
    SLOWER,
  );

  it(
    'rotates the signing key: checkpoints signed before still verify under the old public key, new ones carry the new key id',
    async () => {
      await begin('rotation');
      await append(6);
      const before = sunk();
      const rotated = await box.run(['audit', 'rotate-key']);
      expect(rotated.stderr).toBe('');
      expect(rotated.code).toBe(0);
      const [, oldId, newId] =
        /^Audit signing key rotated: ([0-9a-f]{16}) -> ([0-9a-f]{16})\./.exec(rotated.stdout) ?? [];
      expect(oldId).toBe(before[0]!.keyId);
      expect(newId).not.toBe(oldId);
      expect(rotated.stdout).toContain('-----BEGIN PUBLIC KEY-----');
      expect(sunk().map((c) => [c.size, c.keyId])).toEqual([
        [5, oldId],
        [7, newId],
      ]);
      const keyring = await readFile(box.env['AUDIT_VERIFY_KEY_FILE']!, 'utf8');
      expect(keyring.match(/BEGIN PUBLIC KEY/g)).toHaveLength(2);
      expect(keyring).not.toContain('PRIVATE');

      // Verification needs no private key at all.
      await rm(box.env['AUDIT_SIGNING_KEY_FILE']!);
      const r = await verify();
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Audit trail intact: 7 entries');
    },
    SLOWER,
  );
});
