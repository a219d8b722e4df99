// a damaged playback copy that a repaired one replaced had its file destroyed at the repair. Destroying the
// recording later names only the files it destroys: the certificate and the audit entry never list the retired copy.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRows } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { FsBlobStore } from '../../infra/blobs/fs-blob-store.ts';
import { recordingDerivatives } from '../../infra/db/recordings-schema.ts';
import { createRetentionUnitOfWork } from '../../infra/db/retention/unit-of-work.ts';
import { certificatePdfRenderer } from '../../infra/documents/retention-certificate-pdf.ts';
import { RetentionService } from './retention-service.ts';
import { type RetentionFixture, retentionFixture } from './test-support.ts';

const ctxOf = (name: string) => ({ actor: { id: null, label: name } });

describe.each(testDatabases())('a retired playback copy at disposal (%s)', (db) => {
  let ctx: TestContext;
  let dir: string;
  let f: RetentionFixture;

  beforeEach(async () => {
    ctx = await createTestServices(db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-retired-'));
    f = await retentionFixture(ctx, new FsBlobStore(dir));
  });
  afterEach(async () => {
    await ctx?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the repaired copy and not the damaged one it replaced', async () => {
    const blobs = new FsBlobStore(dir);
    const orm = ctx.services.database.db;
    const [damaged] = await orm.select().from(recordingDerivatives);
    const repaired = await blobs.put(Readable.from([Buffer.alloc(2048, 7)]));
    await orm.insert(recordingDerivatives).values({
      ...damaged!,
      id: undefined,
      createdAt: undefined,
      sha256: 'd'.repeat(64),
      blobKey: repaired.key,
      blobSha256: repaired.sha256,
      blobSize: repaired.size,
      details: { replaces: damaged!.id },
    });
    await blobs.delete(damaged!.blobKey);

    const r = new RetentionService({
      uow: createRetentionUnitOfWork(orm, () => ctx.clock.now()),
      clock: ctx.clock,
      blobs,
      queue: { enqueueDisposal: async () => undefined },
      pdf: certificatePdfRenderer,
    });
    const { ig, qa } = f.people;
    ctx.clock.current = new Date('2045-01-02T10:00:00Z');
    const copy = await r.propose(ig, { items: [{ kind: 'copy-sent', id: f.copyId }] }, ctxOf(ig.name));
    await r.approve(qa, copy.id, { version: 1 }, ctxOf(qa.name));
    await r.runDisposal(copy.id);
    const p = await r.propose(ig, { items: [{ kind: 'recording', id: f.recordingId }] }, ctxOf(ig.name));
    await r.approve(qa, p.id, { version: 1 }, ctxOf(qa.name));
    expect(await r.runDisposal(p.id)).toEqual({ destroyed: 1, held: 0, finished: true });

    const destroyed = (await auditRows(ctx, 'retention.destroyed')).at(-1)!;
    const files = (destroyed.details as { files: Array<{ what: string; blobSha256: string }> }).files;
    expect(files.map((x) => [x.what, x.blobSha256])).toEqual([
      ['original', f.original.sha256],
      ['playback', repaired.sha256],
    ]);
    expect(JSON.stringify(files)).not.toContain(f.playback.sha256);
  });
});
