// Audit trail: how much of the trail could be deleted without any witness noticing. Entries are appended
// by concurrent writers while checkpoints go to a local HTTP witness; for every entry we measure how long
// it stood, and how many entries stood with it, before a checkpoint covering it reached the witness.
// Run alone: `node bench/audit-window.ts` (BENCH_AUDIT_WINDOW_ENTRIES, default 2000).
import { report } from './report.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildServices } from '../src/composition.ts';
import { loadConfig } from '../src/infra/config.ts';
import { freshDatabase } from '../test/support/services.ts';

export async function benchAuditWindow(
  entries = Number(process.env['BENCH_AUDIT_WINDOW_ENTRIES'] ?? 2_000),
  every = 100,
  writers = Number(process.env['BENCH_AUDIT_WINDOW_WRITERS'] ?? 4),
): Promise<void> {
  const witnessed: { size: number; ms: number }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      if (req.method === 'POST')
        witnessed.push({ size: (JSON.parse(text) as { size: number }).size, ms: performance.now() });
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'POST' ? '' : '{"checkpoints":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-bench-'));
  const fresh = await freshDatabase(process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'b'.repeat(40),
    AUDIT_CHECKPOINT_ENTRIES: String(every),
    AUDIT_WITNESS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit`,
  });
  const services = await buildServices(config, pino({ level: 'silent' }), { database: fresh.database });
  const appended: number[] = [];
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < entries) {
          next += 1;
          await services.audit.record({
            action: 'child.view',
            actor: { id: null, label: 'bench' },
            outcome: 'success',
            details: { n: next },
          });
          appended.push(performance.now());
        }
      }),
    );
    const appendMs = performance.now() - started;
    await services.auditTrail.idle();
    // Entries after the last multiple of `every` wait for the minute's scheduled checkpoint: not measured here.
    const covered = witnessed.at(-1)?.size ?? 0;
    let worstMs = 0;
    let worstEntries = 0;
    for (let seq = 1; seq <= covered; seq++) {
      const cp = witnessed.find((w) => w.size >= seq)!;
      worstMs = Math.max(worstMs, cp.ms - appended[seq - 1]!);
      worstEntries = Math.max(worstEntries, cp.size - (witnessed[witnessed.indexOf(cp) - 1]?.size ?? 0));
    }
    console.log(
      `audit deletion window (${fresh.database.kind}, ${entries} entries, ${writers} writers, checkpoint every ${every})`,
    );
    console.log(`  append: ${(entries / (appendMs / 1000)).toFixed(0)} entries/s with checkpoints sent`);
    console.log(`  checkpoints witnessed: ${witnessed.length}, covering ${covered} entries`);
    report({ what: 'longest an audit entry stood unwitnessed', value: worstMs, unit: 'ms' });
    console.log(`  most entries between two witnessed checkpoints: ${worstEntries}`);
  } finally {
    await services.queue.stop();
    await services.auditTrail.close();
    await fresh.dispose();
    await rm(dataDir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAuditWindow();
