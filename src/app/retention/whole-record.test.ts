import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { auditLogFor } from '../../infra/audit/audit-repository.ts';
import { createRetentionUnitOfWork } from '../../infra/db/retention/unit-of-work.ts';
import { retentionRepository } from '../../infra/db/retention/retention-repository.ts';
import { certificatePdfRenderer } from '../../infra/documents/retention-certificate-pdf.ts';
import type { RetentionUnitOfWork } from './ports.ts';
import { RetentionService } from './retention-service.ts';
import { retentionFixture, stored } from './test-support.ts';
import { KEPT_TABLES, WRITTEN_RECORD_TABLES, rowsFor, wholeRecord } from './whole-record-test-support.ts';

const ctxOf = (name: string) => ({ actor: { id: null, label: name } });
const AFTER_ALL_DUE = new Date('2045-01-02T10:00:00Z');
const ROLE = 'cpcr_runtime_whole_record';

// On PGlite the whole disposal job runs as a role that does not own the tables (as the service's runtime role does on
// PostgreSQL, where roles belong to the whole cluster and test/cli/db-role.test.ts checks the real one): it can
// delete the kept rows only through the disposal functions, which run as the tables' owner.
describe.each(testDatabases())('destroying a whole written record and a whole request on %s (R-4)', (kind) => {
  let ctx: TestContext;
  let ig: Actor;
  let qa: Actor;
  const asRuntime = kind === 'pglite';
  const uow = (): RetentionUnitOfWork => {
    const clock = () => ctx.clock.now();
    if (!asRuntime) return createRetentionUnitOfWork(ctx.services.database.db, clock);
    return {
      run: (fn) =>
        ctx.services.database.db.transaction(async (tx) => {
          await tx.execute(sql.raw(`set local role ${ROLE}`));
          return fn({ retention: retentionRepository(tx), audit: auditLogFor(tx, clock, true) });
        }),
    };
  };
  const service = () =>
    new RetentionService({
      uow: uow(),
      clock: ctx.clock,
      blobs: ctx.services.blobs,
      queue: { enqueueDisposal: async () => undefined },
      pdf: certificatePdfRenderer,
    });
  /** Proposed, approved by a second person, then destroyed by the job; `approved` runs between approval and job. */
  const destroy = async (items: Array<{ kind: string; id: string }>, approved?: () => Promise<void>) => {
    const r = service();
    const p = await r.propose(ig, { items }, ctxOf(ig.name));
    await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
    await approved?.();
    const result = await r.runDisposal(p.id);
    return { id: p.id, result, cert: await r.certificate(qa, p.id, ctxOf(qa.name)) };
  };
  /** The database's SQLSTATE and message for these statements in one transaction, as the role; 'ok' if it took them. */
  const refusal = async (...statements: SQL[]): Promise<string> => {
    try {
      await ctx.services.database.db.transaction(async (tx) => {
        if (asRuntime) await tx.execute(sql.raw(`set local role ${ROLE}`));
        for (const s of statements) await tx.execute(s);
      });
      return 'ok';
    } catch (err) {
      const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string; message?: string };
      return `${e.code ?? 'error'}: ${e.message ?? ''}`;
    }
  };
  const count = async (table: string, where: string) =>
    Number(
      ((await ctx.services.database.execute(`select count(*)::int as n from ${table} where ${where}`)).rows[0] as {
        n: number;
      })!.n,
    );

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ig = await staff(ctx, 'Ina Governance', ['access_to_records']);
    qa = await staff(ctx, 'Quinn Quality', ['qa_manager']);
    if (asRuntime)
      for (const statement of [
        `create role ${ROLE} nologin`,
        `grant usage on schema public to ${ROLE}`,
        `grant select, insert, update, delete on all tables in schema public to ${ROLE}`,
        `grant usage, select on all sequences in schema public to ${ROLE}`,
        `grant execute on function cpcr_dispose_recording(uuid, uuid), cpcr_dispose_disclosure_copy(uuid, uuid),
          cpcr_dispose_conference_record(uuid, uuid), cpcr_dispose_copy_request(uuid, uuid) to ${ROLE}`,
      ])
        await ctx.services.database.execute(statement);
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('R-4: every part of the written record goes (sendings and their deliveries, core groups, reports and their files, plans, decisions, summary); the conference stays and the certificate names each file', async () => {
    const w = await wholeRecord(ctx);
    const before = await rowsFor(ctx, WRITTEN_RECORD_TABLES, w.conferenceId);
    // Every part is there to destroy: a test of an empty table would prove nothing.
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);
    const kept = await rowsFor(ctx, KEPT_TABLES, w.conferenceId);
    for (const f of w.files) expect(await stored(ctx.services.blobs, f.blobKey)).toBe(true);

    // Outside the disposal function the kept-for-good rows cannot be deleted, even with the marker set by hand; once a
    // second person has approved, still not by a role that does not own the tables (the owner, who runs migrations and
    // could drop the triggers anyway, is trusted with the marker).
    const marker = sql`select set_config('cpcr.disposing', ${`conference-record:${w.conferenceId}`}, true)`;
    const refusedByHand = async () => {
      for (const table of ['issued_documents', 'delivery_events', 'core_group_records'])
        expect(
          await refusal(
            marker,
            sql.raw(
              `delete from ${table} where ${WRITTEN_RECORD_TABLES[table]!.replaceAll('$1', `'${w.conferenceId}'`)}`,
            ),
          ),
          table,
        ).toMatch(/^42501: /);
    };
    await refusedByHand();

    ctx.clock.current = AFTER_ALL_DUE;
    const done = await destroy(
      [{ kind: 'conference-record', id: w.conferenceId }],
      asRuntime ? refusedByHand : undefined,
    );
    expect(done.result).toEqual({ destroyed: 1, held: 0, finished: true });
    const after = await rowsFor(ctx, WRITTEN_RECORD_TABLES, w.conferenceId);
    expect(after).toEqual(Object.fromEntries(Object.keys(WRITTEN_RECORD_TABLES).map((t) => [t, 0])));
    for (const f of w.files) expect(await stored(ctx.services.blobs, f.blobKey), f.blobKey).toBe(false);
    expect(await rowsFor(ctx, KEPT_TABLES, w.conferenceId)).toEqual(kept);
    for (const child of w.childIds) expect(await count('children', `id = '${child}'`)).toBe(1);

    const [item] = done.cert.destroyed;
    expect(item).toMatchObject({ kind: 'conference-record', itemId: w.conferenceId });
    expect(item!.evidence.files.map((f) => f.contentSha256).sort()).toEqual(w.files.map((f) => f.contentSha256).sort());
    const byWhat = (what: string) => item!.evidence.files.filter((f) => f.what === what).length;
    expect([byWhat('issued-document'), byWhat('agency-report'), byWhat('parent-report')]).toEqual([
      w.files.length - 2,
      1,
      1,
    ]);
    const blobShas = new Map(w.reportBlobs.map((b) => [b.sha256, b.size]));
    for (const f of item!.evidence.files) expect(f.blobSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const [sha, size] of blobShas)
      expect(item!.evidence.files.find((f) => f.blobSha256 === sha)).toMatchObject({ blobSize: size });
    // The certificate counts the rows of every part that went.
    expect(item!.evidence.rows).toEqual(before);
  });

  it('R-4: a request goes with its timeline, advice, deliveries (codes, grants, events) and copies’ rows once its copy sent has gone', async () => {
    ctx.clock.current = new Date('2026-12-01T10:00:00Z');
    const sw = await staff(ctx, 'Sam Social', ['social_worker']);
    const chair = await staff(ctx, 'Chris Chair', ['chair']);
    const f = await retentionFixture(ctx, ctx.services.blobs, { sw, chair, ig, qa });
    const q = `'${f.requestId}'`;
    const run = (text: string) => ctx.services.database.execute(text);
    await run(`insert into copy_request_steps (request_id, action, from_state, to_state, at)
      values (${q}, 'close', 'notified', 'closed', '2026-03-25T10:00:00Z')`);
    await run(`insert into copy_request_advice (request_id, question, asked_by, asked_on, recorded_at)
      values (${q}, 'May the police part be shared?', '${chair.id}', '2026-03-12', '2026-03-12T10:00:00Z')`);
    const [delivery] = (
      await run(`insert into deliveries (request_id, copy_id, token_hash, email, files, download_limit, created_by, created_at, expires_at)
        values (${q}, '${f.copyId}', '${'9'.repeat(64)}', 'grace@example.org', '[]'::jsonb, 3, '${chair.id}',
          '2026-03-20T10:00:00Z', '2026-04-03T10:00:00Z') returning id`)
    ).rows as Array<{ id: string }>;
    const d = `'${delivery!.id}'`;
    await run(`insert into delivery_events (delivery_id, kind, at)
      values (${d}, 'created', '2026-03-20T10:00:00Z'), (${d}, 'downloaded', '2026-03-21T10:00:00Z')`);
    await run(`insert into delivery_codes (delivery_id, code_hash, issued_at, expires_at)
      values (${d}, '${'8'.repeat(64)}', '2026-03-21T09:55:00Z', '2026-03-21T10:10:00Z')`);
    await run(`insert into delivery_grants (delivery_id, grant_hash, created_at, expires_at)
      values (${d}, '${'7'.repeat(64)}', '2026-03-21T09:56:00Z', '2026-03-21T10:56:00Z')`);
    const tables: Record<string, string> = {
      copy_requests: `id = ${q}`,
      copy_request_steps: `request_id = ${q}`,
      copy_request_advice: `request_id = ${q}`,
      disclosure_copies: `request_id = ${q}`,
      deliveries: `request_id = ${q}`,
      delivery_events: `delivery_id = ${d}`,
      delivery_codes: `delivery_id = ${d}`,
      delivery_grants: `delivery_id = ${d}`,
    };
    const rows = async () => {
      const out: Record<string, number> = {};
      for (const [t, where] of Object.entries(tables)) out[t] = await count(t, where);
      return out;
    };
    const before = await rows();
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);
    const marker = sql`select set_config('cpcr.disposing', ${`copy-request:${f.requestId}`}, true)`;
    const refusedByHand = async () => {
      for (const table of ['copy_requests', 'copy_request_steps', 'disclosure_copies', 'delivery_events'])
        expect(await refusal(marker, sql.raw(`delete from ${table} where ${tables[table]!}`)), table).toMatch(
          /^42501: /,
        );
    };
    await refusedByHand();

    ctx.clock.current = AFTER_ALL_DUE;
    const copy = await destroy([{ kind: 'copy-sent', id: f.copyId }]);
    expect(copy.result).toMatchObject({ destroyed: 1 });
    expect(await stored(ctx.services.blobs, f.copyFile.key)).toBe(false);
    expect(copy.cert.destroyed[0]!.evidence.files.map((x) => x.contentSha256)).toEqual(['d'.repeat(64)]);

    const done = await destroy([{ kind: 'copy-request', id: f.requestId }], asRuntime ? refusedByHand : undefined);
    expect(done.result).toEqual({ destroyed: 1, held: 0, finished: true });
    expect(await rows()).toEqual(Object.fromEntries(Object.keys(tables).map((t) => [t, 0])));
    expect(done.cert.destroyed[0]).toMatchObject({
      kind: 'copy-request',
      itemId: f.requestId,
      evidence: { rows: before },
    });
    // The conference and its recording (the conference's own record) stay.
    expect(await count('conferences', `id = '${f.conferenceId}'`)).toBe(1);
    expect(await count('recordings', `id = '${f.recordingId}'`)).toBe(1);
    expect(await stored(ctx.services.blobs, f.original.key)).toBe(true);
  });
});
