// Liveness and readiness probes (GET /livez, GET /readyz) on both databases: ready only when the database answers
// with every migration applied, the blob store can be reached and the job queue runs; 503 with reason codes
// otherwise; never audited, never rate-limited.
import { rm, writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../infra/blobs/fs-blob-store.ts';
import { openDatabase } from '../infra/db/client.ts';
import { createReadiness } from '../infra/readiness.ts';
import { type TestContext, createTestServices, freshDatabase, testDatabases } from '../../test/support/services.ts';
import { testApp } from '../../test/support/web.ts';

describe.each(testDatabases())('liveness and readiness probes (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeEach(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    await ctx.services.queue.start([], ctx.services.workers);
  });
  afterEach(async () => {
    await app.close();
    await ctx.dispose();
  });

  const auditCount = async () =>
    Number(
      ((await ctx.services.database.execute('select count(*)::int as n from audit_events')).rows[0] as { n: number }).n,
    );

  it('answers 200 to both when the database, the migrations, the blob store and the job queue are all fine', async () => {
    const live = await app.inject({ method: 'GET', url: '/livez' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    expect(live.headers['cache-control']).toBe('no-store');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    expect(ready.headers['set-cookie']).toBeUndefined();
  });

  it('readiness is 503 blob-store-unreachable while the blob folder cannot be used, and 200 again once it can; liveness stays 200', async () => {
    if (ctx.config.blobStore.kind !== 'fs') throw new Error('the test services use the file system blob store');
    const root = ctx.config.blobStore.root;
    await rm(root, { recursive: true, force: true });
    await writeFile(root, 'not a folder');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not-ready', reasons: ['blob-store-unreachable'] });
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    await rm(root);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('readiness is 503 job-queue-stopped once the job queue stops, and shutting-down once the service is stopping', async () => {
    await ctx.services.queue.stop();
    const stopped = await app.inject({ method: 'GET', url: '/readyz' });
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toEqual({ status: 'not-ready', reasons: ['job-queue-stopped'] });
    ctx.services.readiness.stopping();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'not-ready',
      reasons: ['shutting-down'],
    });
  });

  it('probes are neither audited nor rate-limited, even when not ready', async () => {
    const before = await auditCount();
    await ctx.services.queue.stop();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => app.inject({ method: 'GET', url: i % 2 ? '/readyz' : '/livez' })),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 503 : 200)));
    expect(await auditCount()).toBe(before);
  });

  it('readiness says database-unreachable when the database stops answering', async () => {
    const fresh = await freshDatabase(kind, { migrated: true });
    const readiness = createReadiness({
      database: fresh.database,
      blobs: new FsBlobStore(ctx.config.blobStore.kind === 'fs' ? ctx.config.blobStore.root : ctx.dataDir),
      queue: { running: true },
    });
    expect(await readiness.check()).toEqual([]);
    await fresh.database.close();
    expect(await readiness.check()).toEqual(['database-unreachable']);
    await fresh.dispose().catch(() => undefined); // closed already; a PostgreSQL database is still dropped
  });

  it('readiness says migrations-pending on a database the migrations have not been applied to', async () => {
    const unmigrated =
      kind === 'pglite' ? { database: await openDatabase({ dataDir: 'memory' }), dispose: null } : null;
    const fresh = unmigrated ? null : await freshDatabase(kind); // a new PostgreSQL database: nothing applied
    const database = unmigrated?.database ?? fresh!.database;
    try {
      const readiness = createReadiness({
        database,
        blobs: new FsBlobStore(ctx.dataDir),
        queue: { running: true },
      });
      expect(await readiness.check()).toEqual(['migrations-pending']);
      await database.migrate();
      expect(await readiness.check()).toEqual([]);
    } finally {
      if (fresh) await fresh.dispose();
      else await database.close();
    }
  });
});
