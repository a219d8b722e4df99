import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, staff } from '../../../test/support/people.ts';
import { issueNextVersion, issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { recordings } from '../../infra/db/recordings-schema.ts';
import { createRetentionUnitOfWork } from '../../infra/db/retention/unit-of-work.ts';
import { certificatePdfRenderer } from '../../infra/documents/retention-certificate-pdf.ts';
import type { RetentionUnitOfWork } from './ports.ts';
import { RetentionService } from './retention-service.ts';
import { type RetentionFixture, retentionFixture, stored } from './test-support.ts';

const ctxOf = (name: string) => ({ actor: { id: null, label: name } });
const AFTER_ALL_DUE = new Date('2045-01-02T10:00:00Z');

describe.each(testDatabases())('disposal of conference records and requests for copies on %s (R-4)', (kind) => {
  let ctx: TestContext;
  let ig: Actor;
  let qa: Actor;
  const service = (uow?: RetentionUnitOfWork) =>
    new RetentionService({
      uow: uow ?? createRetentionUnitOfWork(ctx.services.database.db, () => ctx.clock.now()),
      clock: ctx.clock,
      blobs: ctx.services.blobs,
      queue: { enqueueDisposal: async () => undefined },
      pdf: certificatePdfRenderer,
    });
  const count = async (table: string, where: string) =>
    Number(
      (
        (await ctx.services.database.execute(`select count(*)::int as n from ${table} where ${where}`)).rows[0] as {
          n: number;
        }
      ).n,
    );
  const destroy = async (r: RetentionService, items: Array<{ kind: string; id: string }>) => {
    const p = await r.propose(ig, { items }, ctxOf(ig.name));
    await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
    return { id: p.id, result: await r.runDisposal(p.id) };
  };

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ig = await staff(ctx, 'Ina Governance', ['access_to_records']);
    qa = await staff(ctx, 'Quinn Quality', ['qa_manager']);
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('R-4: a conference record waits for its recordings, then its written record and its files go; the conference, its children and the certificate’s facts stay', async () => {
    const people = await letterStaff(ctx);
    const letter = await issuedDecisionLetter(ctx, people);
    await issueNextVersion(ctx, letter, people);
    const conferenceId = letter.g.conferenceId;
    const blob = await ctx.services.blobs.put(Readable.from([randomBytes(512)]));
    const [rec] = await ctx.services.database.db
      .insert(recordings)
      .values({
        conferenceId,
        conferencePartId: letter.g.partId,
        kind: 'meeting',
        source: 'teams',
        status: 'stored',
        label: 'Meeting recording',
        originalSha256: 'e'.repeat(64),
        originalSize: 500,
        originalBlobKey: blob.key,
        originalBlobSha256: blob.sha256,
        originalBlobSize: blob.size,
        durationMs: 5_000,
        startedAt: new Date('2026-03-02T10:00:00Z'),
        storedAt: new Date('2026-03-02T12:30:00Z'),
        createdBy: people.chair.id,
      })
      .returning({ id: recordings.id });
    const issued = (
      await ctx.services.database.execute(
        `select blob_key, sha256 from issued_documents where conference_id = '${conferenceId}' order by issued_at`,
      )
    ).rows as Array<{ blob_key: string; sha256: string }>;
    expect(issued.length).toBeGreaterThanOrEqual(2);
    expect(await count('amendment_requests', `conference_id = '${conferenceId}'`)).toBe(1);

    ctx.clock.current = AFTER_ALL_DUE;
    const r = service();
    const before = await r.review(ig, { kind: 'conference-record' }, ctxOf(ig.name));
    const item = before.items.find((i) => i.id === conferenceId)!;
    // Its recording is still kept: it is listed with the reason and cannot be proposed until the recording goes.
    expect(item).toMatchObject({
      recordingsKept: 1,
      proposable: false,
      keptFirst: expect.stringMatching(/recordings/),
    });
    expect(item.context).toMatch(/^Written record of the initial conference on/);
    await expect(
      r.propose(ig, { items: [{ kind: 'conference-record', id: conferenceId }] }, ctxOf(ig.name)),
    ).rejects.toThrow(/recordings that are still kept/);

    expect((await destroy(r, [{ kind: 'recording', id: rec!.id }])).result).toMatchObject({ destroyed: 1 });
    const ready = (await r.review(ig, { kind: 'conference-record' }, ctxOf(ig.name))).items.find(
      (i) => i.id === conferenceId,
    );
    expect(ready).toMatchObject({ recordingsKept: 0, proposable: true, keptFirst: null });

    const done = await destroy(r, [{ kind: 'conference-record', id: conferenceId }]);
    expect(done.result).toEqual({ destroyed: 1, held: 0, finished: true });
    for (const table of [
      'document_drafts',
      'issued_documents',
      'amendment_requests',
      'child_decisions',
      'child_plans',
      'chair_summaries',
    ])
      expect(await count(table, `conference_id = '${conferenceId}'`), table).toBe(0);
    for (const f of issued) expect(await stored(ctx.services.blobs, f.blob_key)).toBe(false);
    // The conference itself, its children and their own record stay for the records that name them.
    expect(await count('conferences', `id = '${conferenceId}'`)).toBe(1);
    expect(await count('conference_children', `conference_id = '${conferenceId}'`)).toBe(2);
    expect(await count('children', `id = '${letter.g.children.ava}'`)).toBe(1);

    const cert = await r.certificate(qa, done.id, ctxOf(qa.name));
    expect(cert.destroyed).toHaveLength(1);
    expect(cert.destroyed[0]).toMatchObject({ kind: 'conference-record', what: 'Conference record' });
    expect(cert.destroyed[0]!.evidence.files.map((f) => `${f.what} ${f.contentSha256}`).sort()).toEqual(
      issued.map((f) => `issued-document ${f.sha256}`).sort(),
    );
    // The stored (encrypted) bytes were hashed before they were deleted: the certificate names what went.
    for (const file of cert.destroyed[0]!.evidence.files) expect(file.blobSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cert.destroyed[0]!.evidence.rows).toMatchObject({ amendment_requests: 1, child_decisions: 2 });
    const audit = (await auditRows(ctx, 'retention.destroyed')).map((a) => a.details as Record<string, unknown>);
    expect(audit.at(-1)).toMatchObject({ kind: 'conference-record', itemId: conferenceId });
    // Destroyed: no longer offered, and a hold can no longer be placed on it.
    expect((await r.review(ig, { kind: 'conference-record' }, ctxOf(ig.name))).items.map((i) => i.id)).not.toContain(
      conferenceId,
    );
    await expect(
      r.placeHold(ig, { kind: 'conference-record', itemId: conferenceId, reason: 'Too late' }, ctxOf(ig.name)),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe('requests for copies and the legal-hold race', () => {
    let f: RetentionFixture;
    beforeAll(async () => {
      ctx.clock.current = new Date('2026-12-01T10:00:00Z');
      const sw = await staff(ctx, 'Sam Social', ['social_worker']);
      const chair = await staff(ctx, 'Chris Chair', ['chair']);
      f = await retentionFixture(ctx, ctx.services.blobs, { sw, chair, ig, qa });
      await ctx.services.database.execute(
        `insert into copy_request_steps (request_id, action, from_state, to_state, at) values ('${f.requestId}', 'close', 'notified', 'closed', '2026-03-25T10:00:00Z')`,
      );
    });

    it('R-4: the database refuses to delete a request’s rows outside an approved disposal, with or without the marker', async () => {
      for (const statement of [
        `delete from copy_requests where id = '${f.requestId}'`,
        `delete from copy_request_steps where request_id = '${f.requestId}'`,
      ])
        await expect(
          ctx.services.database.db.transaction(async (tx) => {
            await tx.execute(sql`select set_config('cpcr.disposing', ${`copy-request:${f.requestId}`}, true)`);
            await tx.execute(sql.raw(statement));
          }),
        ).rejects.toThrow();
      expect(await count('copy_requests', `id = '${f.requestId}'`)).toBe(1);
    });

    it('R-4: a request is due 6 years after it was closed and waits for its copies; then it goes with its timeline and copies’ rows', async () => {
      const r = service();
      ctx.clock.current = new Date('2032-03-24T10:00:00Z');
      expect((await r.review(ig, { kind: 'copy-request' }, ctxOf(ig.name))).items).toEqual([]);
      ctx.clock.current = new Date('2032-03-25T10:00:00Z');
      const [item] = (await r.review(ig, { kind: 'copy-request' }, ctxOf(ig.name))).items;
      expect(item).toMatchObject({ id: f.requestId, dueOn: '2032-03-25', copiesKept: 1, proposable: false });
      expect(item!.context).toMatch(/^Request CR-2026-\d{4}, /);
      await expect(
        r.propose(ig, { items: [{ kind: 'copy-request', id: f.requestId }] }, ctxOf(ig.name)),
      ).rejects.toThrow(/copies that are still kept/);
      expect((await destroy(r, [{ kind: 'copy-sent', id: f.copyId }])).result).toMatchObject({ destroyed: 1 });
      const done = await destroy(r, [{ kind: 'copy-request', id: f.requestId }]);
      expect(done.result).toEqual({ destroyed: 1, held: 0, finished: true });
      expect(await count('copy_requests', `id = '${f.requestId}'`)).toBe(0);
      expect(await count('copy_request_steps', `request_id = '${f.requestId}'`)).toBe(0);
      expect(await count('disclosure_copies', `request_id = '${f.requestId}'`)).toBe(0);
      // The recording the copy was made from is the conference's own record: kept.
      expect(await count('recordings', `id = '${f.recordingId}'`)).toBe(1);
      const cert = await r.certificate(qa, done.id, ctxOf(qa.name));
      expect(cert.destroyed[0]).toMatchObject({
        kind: 'copy-request',
        evidence: { rows: { copy_requests: 1, copy_request_steps: 1, disclosure_copies: 1 } },
      });
    });

    it('R-4: a hold placed after the job looked is still respected: the database refuses, nothing is deleted, the item is kept on hold', async () => {
      ctx.clock.current = AFTER_ALL_DUE;
      const r = service();
      const p = await r.propose(ig, { items: [{ kind: 'recording', id: f.recordingId }] }, ctxOf(ig.name));
      await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
      await r.placeHold(qa, { kind: 'recording', itemId: f.recordingId, reason: 'Care proceedings' }, ctxOf(qa.name));
      // The job's own look at the holds is stale (as if the hold arrived just after it): only the database sees it.
      const real = createRetentionUnitOfWork(ctx.services.database.db, () => ctx.clock.now());
      let stale = true;
      const racing: RetentionUnitOfWork = {
        run: (fn) =>
          real.run((repos) =>
            fn({
              ...repos,
              retention: {
                ...repos.retention,
                currentHolds: async () => (stale ? [] : repos.retention.currentHolds()),
                destroyItemRows: async (...args) => {
                  stale = false;
                  return repos.retention.destroyItemRows(...args);
                },
              },
            }),
          ),
      };
      expect(await service(racing).runDisposal(p.id)).toEqual({ destroyed: 0, held: 1, finished: true });
      expect(await stored(ctx.services.blobs, f.original.key)).toBe(true);
      expect(await stored(ctx.services.blobs, f.playback.key)).toBe(true);
      expect(await count('recordings', `id = '${f.recordingId}'`)).toBe(1);
      expect((await r.certificate(ig, p.id, ctxOf(ig.name))).keptOnHold).toEqual([
        { kind: 'recording', what: 'Recording', itemId: f.recordingId },
      ]);
    });
  });
});
