import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPdf } from '../../../test/support/pdf.ts';
import { auditRows } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { FsBlobStore } from '../../infra/blobs/fs-blob-store.ts';
import { S3BlobStore, createS3Client } from '../../infra/blobs/s3-blob-store.ts';
import { type LocalS3, startLocalS3 } from '../../infra/blobs/testing/s3rver.ts';
import { createRetentionUnitOfWork } from '../../infra/db/retention/unit-of-work.ts';
import { certificatePdfRenderer } from '../../infra/documents/retention-certificate-pdf.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { RetentionService } from './retention-service.ts';
import { type RetentionFixture, retentionFixture, stored } from './test-support.ts';

const ctxOf = (name: string) => ({ actor: { id: null, label: name } });
const AFTER_ALL_DUE = new Date('2045-01-02T10:00:00Z');

interface Store {
  blobs: BlobStore;
  dispose(): Promise<void>;
}

const stores: Array<[string, () => Promise<Store>]> = [
  [
    'the file system',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-retention-'));
      return { blobs: new FsBlobStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'an S3 bucket',
    async () => {
      const s3: LocalS3 = await startLocalS3();
      const client: S3Client = createS3Client({
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      });
      return {
        blobs: new S3BlobStore({ client, bucket: s3.bucket, prefix: 'retention' }),
        async dispose() {
          client.destroy();
          await s3.stop();
        },
      };
    },
  ],
];

/** How many rows of the table match. */
async function countRows(ctx: TestContext, table: string, where: string): Promise<number> {
  const { rows } = await ctx.services.database.execute(`select count(*)::int as n from ${table} where ${where}`);
  return Number((rows[0] as { n: number }).n);
}

/** A store that fails the n-th delete, as a crash mid-way through destruction would leave things. */
function crashingOn(blobs: BlobStore, n: number): BlobStore {
  let deletes = 0;
  const failing = async (key: string) => {
    deletes++;
    if (deletes === n) throw new Error('The process stopped');
    await blobs.delete(key);
  };
  return new Proxy(blobs, {
    get(target, prop) {
      if (prop === 'delete') return failing;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe.each(stores)('disposal on %s (R-4)', (_name, makeStore) => {
  let ctx: TestContext;
  let store: Store;
  let f: RetentionFixture;
  let queued: string[];
  const service = (blobs: BlobStore) =>
    new RetentionService({
      uow: createRetentionUnitOfWork(ctx.services.database.db, () => ctx.clock.now()),
      clock: ctx.clock,
      blobs,
      queue: { enqueueDisposal: async (id) => queued.push(id) },
      pdf: certificatePdfRenderer,
    });

  beforeAll(async () => {
    store = await makeStore();
  });
  afterAll(async () => {
    await store?.dispose();
  });
  beforeEach(async () => {
    await ctx?.dispose();
    ctx = await createTestServices('pglite');
    queued = [];
    f = await retentionFixture(ctx, store.blobs);
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  const count = async (table: string, where: string) =>
    Number(
      (
        (await ctx.services.database.execute(`select count(*)::int as n from ${table} where ${where}`)).rows[0] as {
          n: number;
        }
      ).n,
    );

  /** Copy first (a recording outlives its copies), then the recording; each proposed by IG and approved by QA. */
  async function proposeAndApprove(r: RetentionService, items: Array<{ kind: string; id: string }>) {
    const { ig, qa } = f.people;
    const p = await r.propose(ig, { items }, ctxOf(ig.name));
    await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
    return p;
  }

  it('R-4: nothing is offered before its date; the copy is due a year after it was sent, the recording when Ben is 25', async () => {
    const r = service(store.blobs);
    const { ig } = f.people;
    expect((await r.review(ig, {}, ctxOf(ig.name))).total).toBe(0);
    ctx.clock.current = new Date('2027-03-20T10:00:00Z');
    const year = await r.review(ig, {}, ctxOf(ig.name));
    expect(year.items.map((i) => [i.kind, i.id, i.dueOn])).toEqual([['copy-sent', f.copyId, '2027-03-20']]);
    expect(year.items[0]!.context).toMatch(/^Request CR-2026-\d{4}, Initial conference on \d{4}-\d{2}-\d{2} \(/);
    expect(year.items[0]!.context).not.toContain('Okafor');
    ctx.clock.current = AFTER_ALL_DUE;
    const later = await r.review(ig, { kind: 'recording' }, ctxOf(ig.name));
    expect(later.items).toMatchObject([
      { kind: 'recording', id: f.recordingId, dueOn: '2044-08-01', copiesKept: 1, proposable: false },
    ]);
  });

  it('R-4: destroying a copy then its recording removes the original, playback copy, peaks and disclosure copy from the store and the rows', async () => {
    ctx.clock.current = AFTER_ALL_DUE;
    const r = service(store.blobs);
    const copy = await proposeAndApprove(r, [{ kind: 'copy-sent', id: f.copyId }]);
    expect(queued).toEqual([copy.id]);
    expect(await r.runDisposal(copy.id)).toEqual({ destroyed: 1, held: 0, finished: true });
    expect(await stored(store.blobs, f.copyFile.key)).toBe(false);
    expect(await stored(store.blobs, f.original.key)).toBe(true);
    expect(await count('disclosure_copy_files', `copy_id = '${f.copyId}'`)).toBe(0);
    const plan = (await ctx.services.database.execute(`select plan from disclosure_copies where id = $1`, [f.copyId]))
      .rows[0] as { plan: Record<string, unknown> };
    expect(plan.plan).toEqual({ recordingIds: [f.recordingId], withheld: [], statements: {} });

    const rec = await proposeAndApprove(r, [{ kind: 'recording', id: f.recordingId }]);
    expect(await r.runDisposal(rec.id)).toEqual({ destroyed: 1, held: 0, finished: true });
    for (const key of [f.original.key, f.playback.key]) expect(await stored(store.blobs, key)).toBe(false);
    for (const table of ['recording_derivatives', 'explanatory_statements', 'recording_bookmarks', 'fixity_events'])
      expect(
        await count(
          table,
          `${table === 'recording_derivatives' ? 'original_recording_id' : 'recording_id'} = '${f.recordingId}'`,
        ),
      ).toBe(0);
    expect(await count('recordings', `id = '${f.recordingId}'`)).toBe(0);

    // The audit trail keeps the fact, who proposed and approved it, and the SHA-256s: never the record's words.
    const destroyed = await auditRows(ctx, 'retention.destroyed');
    expect(destroyed).toHaveLength(2);
    expect(destroyed[1]!.details).toMatchObject({
      kind: 'recording',
      itemId: f.recordingId,
      proposedBy: f.people.ig.id,
      approvedBy: f.people.qa.id,
      files: [
        { what: 'original', blobSha256: f.original.sha256, contentSha256: 'a'.repeat(64) },
        { what: 'playback', blobSha256: f.playback.sha256, contentSha256: 'c'.repeat(64) },
      ],
    });
    const trail = JSON.stringify(await auditRows(ctx));
    for (const words of ['Okafor', 'Grace', 'Daniel', 'Police information']) expect(trail).not.toContain(words);

    // The certificate: what, when, who and the SHA-256s, as a page's data and a tagged PDF.
    const cert = await r.certificate(f.people.ig, rec.id, ctxOf('Ina'));
    expect(cert).toMatchObject({ proposedByName: 'Ina Governance', approvedByName: 'Quinn Quality' });
    const { bytes } = await r.certificatePdf(f.people.qa, rec.id, ctxOf('Quinn'));
    const pdf = await openPdf(bytes);
    try {
      const info = await pdf.info();
      expect(info['Tagged']).toBe('yes');
      expect(info['Title']).toBe(cert.reference.replace(/^/, 'Disposal certificate '));
      const text = (await pdf.pagesText()).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain('proposed by Ina Governance');
      expect(text).toContain('approved by a second person, Quinn Quality');
      expect(text).toContain(f.original.sha256);
      expect(text).toContain(f.playback.sha256);
      expect(text).not.toContain('Okafor');
      expect(await pdf.structure()).toMatch(/H1[\s\S]*P[\s\S]*L[\s\S]*LI/);
    } finally {
      await pdf.dispose();
    }
  });

  it('R-4: a crash while deleting files leaves the record destroyed and the proposal unfinished; running the job again deletes the rest and records it once', async () => {
    ctx.clock.current = AFTER_ALL_DUE;
    const first = service(store.blobs);
    const copy = await proposeAndApprove(first, [{ kind: 'copy-sent', id: f.copyId }]);
    await first.runDisposal(copy.id);
    const p = await proposeAndApprove(first, [{ kind: 'recording', id: f.recordingId }]);
    // The rows go first, with what they named written down; then the second file's delete fails: the original is
    // gone, the playback copy is still there, and the proposal is not finished.
    await expect(service(crashingOn(store.blobs, 2)).runDisposal(p.id)).rejects.toThrow('The process stopped');
    expect(await stored(store.blobs, f.original.key)).toBe(false);
    expect(await stored(store.blobs, f.playback.key)).toBe(true);
    expect(await count('recordings', `id = '${f.recordingId}'`)).toBe(0);
    expect(
      await count('disposal_items', `proposal_id = '${p.id}' and state = 'destroyed' and evidence is not null`),
    ).toBe(1);
    expect(await count('disposal_proposals', `id = '${p.id}' and state = 'approved'`)).toBe(1);
    // The sweep finds it unfinished and queues it; the re-run deletes the files again from what it wrote down.
    queued.length = 0;
    expect(await first.requeueUnfinished()).toBe(1);
    expect(queued).toEqual([p.id]);
    expect(await first.runDisposal(p.id)).toEqual({ destroyed: 0, held: 0, finished: true });
    expect(await stored(store.blobs, f.playback.key)).toBe(false);
    // Once more changes nothing.
    expect(await first.runDisposal(p.id)).toEqual({ destroyed: 0, held: 0, finished: true });
    expect(await auditRows(ctx, 'retention.destroyed')).toHaveLength(2);
    const cert = await first.certificate(f.people.qa, p.id, ctxOf('Quinn'));
    expect(cert.destroyed[0]!.evidence.files.map((x) => x.blobSha256)).toEqual([f.original.sha256, f.playback.sha256]);
  });

  it('R-4: a hold placed after approval keeps the record; the certificate says so', async () => {
    ctx.clock.current = AFTER_ALL_DUE;
    const r = service(store.blobs);
    const p = await proposeAndApprove(r, [{ kind: 'copy-sent', id: f.copyId }]);
    await r.placeHold(f.people.qa, { kind: 'copy-sent', itemId: f.copyId, reason: 'Care proceedings' }, ctxOf('Quinn'));
    expect(await r.runDisposal(p.id)).toEqual({ destroyed: 0, held: 1, finished: true });
    expect(await stored(store.blobs, f.copyFile.key)).toBe(true);
    expect((await r.certificate(f.people.ig, p.id, ctxOf('Ina'))).keptOnHold).toEqual([
      { kind: 'copy-sent', what: 'Copy of a recording sent', itemId: f.copyId },
    ]);
  });
});

describe.each(testDatabases())('disposal rules in the service on %s (R-4)', (kind) => {
  let ctx: TestContext;
  let dir: string;
  let f: RetentionFixture;
  let r: RetentionService;
  beforeAll(async () => {
    ctx = await createTestServices(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-retention-'));
    const blobs = new FsBlobStore(dir);
    f = await retentionFixture(ctx, blobs);
    r = new RetentionService({
      uow: createRetentionUnitOfWork(ctx.services.database.db, () => ctx.clock.now()),
      clock: ctx.clock,
      blobs,
      queue: { enqueueDisposal: async () => undefined },
      pdf: certificatePdfRenderer,
    });
    ctx.clock.current = AFTER_ALL_DUE;
  });
  afterAll(async () => {
    await ctx?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('R-4: four eyes: the proposer’s own approval is refused and audited, and the database refuses it too', async () => {
    const { ig, qa } = f.people;
    const p = await r.propose(ig, { items: [{ kind: 'copy-sent', id: f.copyId }] }, ctxOf(ig.name));
    await expect(r.approve(ig, p.id, { version: 1 }, ctxOf(ig.name))).rejects.toMatchObject({ code: 'FOUR_EYES' });
    expect(await auditRows(ctx, 'retention.approved')).toMatchObject([
      { outcome: 'denied', details: { code: 'FOUR_EYES' } },
    ]);
    await expect(
      ctx.services.database.db.execute(
        sql`update disposal_proposals set state = 'approved', approved_by = proposed_by, approved_at = now() where id = ${p.id}::uuid`,
      ),
    ).rejects.toThrow();
    await r.decline(qa, p.id, { version: 1, reason: 'Check with legal first' }, ctxOf(qa.name));
    // A declined proposal frees its items for a new one.
    const again = await r.propose(ig, { items: [{ kind: 'copy-sent', id: f.copyId }] }, ctxOf(ig.name));
    await expect(r.propose(qa, { items: [{ kind: 'copy-sent', id: f.copyId }] }, ctxOf(qa.name))).rejects.toThrow(
      /already proposed/,
    );
    await r.decline(ig, again.id, { version: 1, reason: 'Withdrawn' }, ctxOf(ig.name));
  });

  it('R-4: a held record is never offered or proposed; the hold is removed with a reason, all audited with ids only', async () => {
    const { ig, qa } = f.people;
    const { id } = await r.placeHold(
      ig,
      { kind: 'recording', itemId: f.recordingId, reason: 'Complaint under investigation' },
      ctxOf(ig.name),
    );
    const review = await r.review(qa, { kind: 'recording' }, ctxOf(qa.name));
    expect(review.items[0]).toMatchObject({
      id: f.recordingId,
      proposable: false,
      hold: { reason: 'Complaint under investigation' },
    });
    await expect(r.propose(qa, { items: [{ kind: 'recording', id: f.recordingId }] }, ctxOf(qa.name))).rejects.toThrow(
      /legal hold/,
    );
    await expect(r.removeHold(qa, id, { reason: '' }, ctxOf(qa.name))).rejects.toMatchObject({
      code: 'INVALID_DETAILS',
    });
    await r.removeHold(qa, id, { reason: 'Complaint closed' }, ctxOf(qa.name));
    expect((await r.holds(qa, ctxOf(qa.name))).length).toBe(0);
    const trail = await auditRows(ctx);
    expect(trail.filter((e) => e.action.startsWith('retention.hold-')).map((e) => [e.action, e.details])).toEqual([
      ['retention.hold-placed', { kind: 'recording', itemId: f.recordingId }],
      ['retention.hold-removed', { kind: 'recording', itemId: f.recordingId }],
    ]);
    expect(JSON.stringify(trail)).not.toContain('Complaint');
  });

  it('R-4: a social worker is refused the review, holds and proposals, and each refusal is audited', async () => {
    const { sw } = f.people;
    await expect(r.review(sw, {}, ctxOf(sw.name))).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(
      r.placeHold(sw, { kind: 'recording', itemId: f.recordingId, reason: 'x' }, ctxOf(sw.name)),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(r.changeSchedule(sw, 'recording', { value: {}, version: 0 }, ctxOf(sw.name))).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    const denied = (await auditRows(ctx)).filter((e) => e.outcome === 'denied').map((e) => e.action);
    expect(denied).toEqual(
      expect.arrayContaining(['retention.review-viewed', 'retention.hold-placed', 'retention-schedules.change']),
    );
  });

  it('R-4: the council changes a schedule from its version; the change is audited before and after, a stale one refused', async () => {
    const { qa } = f.people;
    const views = await r.changeSchedule(
      qa,
      'copy-sent',
      { value: { trigger: 'copy-sent', years: '2' }, version: 0 },
      ctxOf(qa.name),
    );
    expect(views.find((v) => v.kind === 'copy-sent')).toMatchObject({
      description: '2 years after the date the copy was sent',
      version: 1,
    });
    await expect(
      r.changeSchedule(qa, 'copy-sent', { value: { trigger: 'copy-sent', years: 3 }, version: 0 }, ctxOf(qa.name)),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await auditRows(ctx, 'retention-schedules.changed'))[0]!.details).toEqual({
      from: '1 year after the date the copy was sent',
      to: '2 years after the date the copy was sent',
      version: 1,
    });
  });
  /** Why the database refused these statements, run in one transaction ('SQLSTATE: message'); 'ok' if it did not. */
  const refusalWhy = async (...statements: SQL[]): Promise<string> => {
    try {
      await ctx.services.database.db.transaction(async (tx) => {
        for (const s of statements) await tx.execute(s);
      });
      return 'ok';
    } catch (err) {
      const e = (err as { cause?: unknown }).cause ?? err;
      const { code, message } = e as { code?: string; message?: string };
      return `${code ?? 'error'}: ${message ?? String(e)}`;
    }
  };
  /** The SQLSTATE with which the database refused these statements, run in one transaction; 'ok' if it did not. */
  const refusal = async (...statements: SQL[]): Promise<string> => (await refusalWhy(...statements)).split(':')[0]!;
  const rowsLeft = async () => ({
    recordings: await countRows(ctx, 'recordings', `id = '${f.recordingId}'`),
    derivatives: await countRows(ctx, 'recording_derivatives', `original_recording_id = '${f.recordingId}'`),
    copyFiles: await countRows(ctx, 'disclosure_copy_files', `copy_id = '${f.copyId}'`),
  });

  it('R-3, R-4: the disposal job’s old switch, or the disposal functions’ own set by hand, deletes and changes nothing', async () => {
    const before = await rowsLeft();
    expect(before).toEqual({ recordings: 1, derivatives: 1, copyFiles: 1 });
    for (const flag of [
      sql`select set_config('cpcr.disposal', 'on', true)`,
      sql`select set_config('cpcr.disposing', ${`recording:${f.recordingId}`}, true)`,
      sql`select set_config('cpcr.disposing', ${`copy-sent:${f.copyId}`}, true)`,
    ]) {
      expect(await refusal(flag, sql`delete from recordings where id = ${f.recordingId}::uuid`)).toBe('42501');
      expect(
        await refusal(
          flag,
          sql`delete from recording_derivatives where original_recording_id = ${f.recordingId}::uuid`,
        ),
      ).toBe('42501');
      expect(await refusal(flag, sql`delete from disclosure_copy_files where copy_id = ${f.copyId}::uuid`)).toBe(
        '42501',
      );
      expect(
        await refusal(
          flag,
          sql`update recordings set original_sha256 = repeat('0', 64) where id = ${f.recordingId}::uuid`,
        ),
      ).toBe('42501');
    }
    expect(await rowsLeft()).toEqual(before);
  });

  it('R-3, R-4: the disposal functions refuse a record no proposal approved by a second person still has pending', async () => {
    const { ig, qa } = f.people;
    const disposeCopy = (proposal: string) =>
      sql`select cpcr_dispose_disclosure_copy(${f.copyId}::uuid, ${proposal}::uuid)`;
    expect(await refusal(sql`select cpcr_dispose_recording(${f.recordingId}::uuid, gen_random_uuid())`)).toBe('42501');
    const p = await r.propose(ig, { items: [{ kind: 'copy-sent', id: f.copyId }] }, ctxOf(ig.name));
    // Proposed, not yet approved.
    expect(await refusal(disposeCopy(p.id))).toBe('42501');
    await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
    // Approved, but for the copy: not the recording, whichever switch is set.
    expect(await refusal(sql`select cpcr_dispose_recording(${f.recordingId}::uuid, ${p.id}::uuid)`)).toBe('42501');
    expect(
      await refusal(
        sql`select set_config('cpcr.disposing', ${`recording:${f.recordingId}`}, true)`,
        sql`delete from recordings where id = ${f.recordingId}::uuid`,
      ),
    ).toBe('42501');
    expect(await rowsLeft()).toEqual({ recordings: 1, derivatives: 1, copyFiles: 1 });
    // The approved proposal destroys the copy through the function, once: a replay is refused.
    expect(await r.runDisposal(p.id)).toEqual({ destroyed: 1, held: 0, finished: true });
    expect(await rowsLeft()).toEqual({ recordings: 1, derivatives: 1, copyFiles: 0 });
    expect(await refusal(disposeCopy(p.id))).toBe('42501');
  });
  // PostgreSQL's runtime role is played here by a role with the same rights on the tables, taken with SET LOCAL ROLE
  // (a role is the whole cluster's on PostgreSQL: test/cli/db-role.test.ts checks the real one there).
  it.runIf(kind === 'pglite')(
    'R-3, R-4: a role that does not own the tables deletes nothing with either switch, even once approved, and destroys only through the function',
    async () => {
      const role = 'cpcr_runtime_probe';
      for (const statement of [
        `create role ${role} nologin`,
        `grant usage on schema public to ${role}`,
        `grant select, insert, update, delete on all tables in schema public to ${role}`,
        `grant usage, select on all sequences in schema public to ${role}`,
      ])
        await ctx.services.database.execute(statement);
      const asRuntime = (...statements: SQL[]) => refusalWhy(sql.raw(`set local role ${role}`), ...statements);
      const dispose = (proposal: SQL) => sql`select cpcr_dispose_recording(${f.recordingId}::uuid, ${proposal})`;
      const refusedDelete = /^42501: .*recordings rows are kept for good: DELETE refused/;
      const notPending = /^42501: .*recording [0-9a-f-]{36} is not pending in disposal proposal/;
      const remove = sql`delete from recordings where id = ${f.recordingId}::uuid`;
      const disposing = sql`select set_config('cpcr.disposing', ${`recording:${f.recordingId}`}, true)`;

      // PostgreSQL lets nobody run the disposal functions until they are granted (cpcr db grant-runtime does).
      expect(await asRuntime(dispose(sql`gen_random_uuid()`))).toMatch(
        /^42501: .*permission denied for function cpcr_dispose_recording/,
      );
      await ctx.services.database.execute(
        `grant execute on function cpcr_dispose_recording(uuid, uuid), cpcr_dispose_disclosure_copy(uuid, uuid) to ${role}`,
      );
      expect(await asRuntime(sql`select set_config('cpcr.disposal', 'on', true)`, remove)).toMatch(refusedDelete);
      expect(await asRuntime(disposing, remove)).toMatch(refusedDelete);
      expect(await asRuntime(dispose(sql`gen_random_uuid()`))).toMatch(notPending);

      const { ig, qa } = f.people;
      const p = await r.propose(ig, { items: [{ kind: 'recording', id: f.recordingId }] }, ctxOf(ig.name));
      expect(await asRuntime(dispose(sql`${p.id}::uuid`))).toMatch(notPending);
      await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
      // Approved by a second person: the switch set by hand still lets the role delete nothing itself.
      expect(await asRuntime(disposing, remove)).toMatch(refusedDelete);
      expect(await rowsLeft()).toMatchObject({ recordings: 1, derivatives: 1 });
      // The function, run as the tables' owner, destroys it; the job then finds the rows gone and finishes.
      expect(await asRuntime(dispose(sql`${p.id}::uuid`))).toBe('ok');
      expect(await rowsLeft()).toMatchObject({ recordings: 0, derivatives: 0 });
      expect(await r.runDisposal(p.id)).toEqual({ destroyed: 1, held: 0, finished: true });
    },
  );
});
