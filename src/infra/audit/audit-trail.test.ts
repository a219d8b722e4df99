import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditLogFor } from './audit-repository.ts';
import { AuditTrail } from './audit-trail.ts';
import { loadOrCreateSigningKey } from './checkpoints.ts';
import { HttpWitness } from './witnesses.ts';

describe.each(testDatabases())('audit trail on %s', (kind) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestServices(kind);
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  const append = async (n: number) => {
    const log = auditLogFor(ctx.services.database.db, () => ctx.clock.now(), false);
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        log.record({
          action: 'child.view',
          actor: { id: null, label: 'test' },
          subject: { type: 'child', id: `c${i}` },
          outcome: 'success',
          details: { i },
        }),
      ),
    );
  };

  it('concurrent appends still form one unbroken chain', async () => {
    await append(40);
    const result = await ctx.services.auditTrail.verify();
    expect(result).toMatchObject({ ok: true, entries: 40 });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on the trail', async () => {
    await append(2);
    const { execute } = ctx.services.database;
    await expect(execute(`update audit_events set action = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(execute(`delete from audit_events where seq = 2`)).rejects.toThrow(/append-only/);
    await expect(execute(`truncate audit_events`)).rejects.toThrow(/append-only/);
    expect((await ctx.services.auditTrail.verify()).ok).toBe(true);
  });

  it('a signed checkpoint detects deletion of the newest entries', async () => {
    await append(5);
    const cp = await ctx.services.auditTrail.checkpoint();
    expect(cp).toMatchObject({ written: true, size: 5 });
    expect(await ctx.services.auditTrail.checkpoint()).toMatchObject({ written: false });
    await append(1);
    expect((await ctx.services.auditTrail.verify()).ok).toBe(true);

    const { execute } = ctx.services.database;
    await execute('alter table audit_events disable trigger audit_events_no_update_delete');
    await execute('delete from audit_events where seq >= 4');
    const result = await ctx.services.auditTrail.verify();
    expect(result.ok).toBe(false);
    expect(result.problem?.problem).toMatch(/entries 4 to 5 were deleted/);
  });

  it('refuses to sign a new checkpoint over deleted entries, so appending past them cannot hide it', async () => {
    await append(5);
    await ctx.services.auditTrail.checkpoint();
    const { execute } = ctx.services.database;
    await execute('alter table audit_events disable trigger audit_events_no_update_delete');
    await execute('delete from audit_events where seq >= 4');
    await execute('alter table audit_events enable trigger audit_events_no_update_delete');
    await append(3);
    await expect(ctx.services.auditTrail.checkpoint()).rejects.toThrow(
      /Not signing a new audit checkpoint: entry 5 no longer matches/,
    );
    expect((await ctx.services.auditTrail.verify()).ok).toBe(false);
  });

  it('a chain broken by an edit is reported with the newest signed checkpoint, not as having none', async () => {
    await append(3);
    await ctx.services.auditTrail.checkpoint();
    await append(2);
    const newest = await ctx.services.auditTrail.checkpoint();
    const { execute } = ctx.services.database;
    await execute('alter table audit_events disable trigger audit_events_no_update_delete');
    await execute(`update audit_events set details = '{"i":99}' where seq = 2`);
    const result = await ctx.services.auditTrail.verify();
    expect(result).toMatchObject({ ok: false, entries: 1, problem: { seq: 2 } });
    expect(result.checkpoint).toMatchObject({ size: 5, file: newest.file });
  });

  it('verification never creates a signing key', async () => {
    await append(1);
    expect((await ctx.services.auditTrail.verify()).ok).toBe(true);
    const { access } = await import('node:fs/promises');
    await expect(access(ctx.config.auditSigningKeyFile)).rejects.toThrow(/ENOENT/);
  });

  it('a checkpoint whose signature does not verify is reported', async () => {
    await append(3);
    await ctx.services.auditTrail.checkpoint();
    const dir = ctx.config.auditCheckpointDir;
    const [name] = (await readdir(dir)).filter((n) => n.startsWith('checkpoint-'));
    const file = path.join(dir, name!);
    const cp = JSON.parse(await readFile(file, 'utf8')) as { size: number };
    await writeFile(file, JSON.stringify({ ...cp, size: 2 }));
    const result = await ctx.services.auditTrail.verify();
    expect(result.ok).toBe(false);
    expect(result.problem?.problem).toMatch(/invalid signature/);
  });

  it('the signing key is created with owner-only permissions', async () => {
    await append(1);
    await ctx.services.auditTrail.checkpoint();
    const { stat } = await import('node:fs/promises');
    expect((await stat(ctx.config.auditSigningKeyFile)).mode & 0o777).toBe(0o600);
  });

  it('a witness that refuses raises the audit-witness alert without holding up the trail, and gets what it missed at the next checkpoint', async () => {
    const received: { size: number }[] = [];
    let refusing = true;
    const server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (d: string) => (text += d));
      req.on('end', () => {
        if (refusing) return void res.writeHead(503).end();
        received.push(JSON.parse(text) as { size: number });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`;
    const alerts: object[] = [];
    const trail = new AuditTrail({
      db: ctx.services.database.db,
      checkpointDir: path.join(ctx.config.dataDir, 'witnessed-checkpoints'),
      signingKey: () => loadOrCreateSigningKey(ctx.config.auditSigningKeyFile),
      keyringFile: ctx.config.audit.verifyKeyFile,
      witnesses: [new HttpWitness({ url })],
      checkpointEvery: 2,
      clock: () => ctx.clock.now(),
      log: { info: () => undefined, error: () => undefined, fatal: (o) => alerts.push(o) },
    });
    const log = auditLogFor(
      ctx.services.database.db,
      () => ctx.clock.now(),
      false,
      (seq) => trail.noteAppended(seq),
    );
    const record = (i: number) =>
      log.record({ action: 'child.view', actor: { id: null, label: 'test' }, outcome: 'success', details: { i } });
    try {
      await record(1);
      await record(2);
      await trail.idle();
      expect(alerts).toEqual([{ alert: 'audit-witness', witness: url, unsent: 1, code: 'Error' }]);
      expect(await readdir(path.join(ctx.config.dataDir, 'witnessed-checkpoints'))).toContain(
        'checkpoint-000000000002-1772442000000.json',
      );

      refusing = false;
      await record(3);
      await record(4);
      await trail.idle();
      expect(received.map((c) => c.size)).toEqual([2, 4]);
      expect(alerts).toHaveLength(1);
    } finally {
      await trail.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
