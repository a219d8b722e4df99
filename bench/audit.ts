// Audit trail: append throughput under the chain lock, and time and memory to verify the chain.
import { report } from './report.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { buildServices } from '../src/composition.ts';
import { auditLogFor } from '../src/infra/audit/audit-repository.ts';
import { loadConfig } from '../src/infra/config.ts';
import { freshDatabase } from '../test/support/services.ts';

export async function benchAudit(entries = Number(process.env['BENCH_AUDIT_ENTRIES'] ?? 5_000)): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-bench-'));
  // PostgreSQL when TEST_DATABASE_URL is set (a fresh database, dropped afterwards), else PGlite in memory.
  const fresh = await freshDatabase(process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite');
  const { database } = fresh;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'b'.repeat(40),
  });
  const services = await buildServices(config, pino({ level: 'silent' }), { database });
  const log = auditLogFor(database.db, () => new Date(), false);
  try {
    const started = performance.now();
    const concurrency = 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < entries) {
          const i = next++;
          await log.record({
            action: 'child.view',
            actor: { id: null, label: 'bench' },
            subject: { type: 'child', id: `c${i % 500}` },
            outcome: 'success',
            details: { i },
          });
        }
      }),
    );
    const appendMs = performance.now() - started;
    const rssBefore = process.memoryUsage().rss;
    const v0 = performance.now();
    const result = await services.auditTrail.verify();
    const verifyMs = performance.now() - v0;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    if (!result.ok) throw new Error(`verification failed: ${result.problem?.problem}`);
    console.log(`audit trail (${database.kind}, ${entries} entries, ${concurrency} concurrent writers)`);
    const rate = (ms: number) => `${(entries / (ms / 1000)).toFixed(0)} entries/s`;
    report({ what: `audit append (${database.kind}, ${rate(appendMs)})`, value: appendMs, unit: 'ms' });
    report({
      what: `audit verify (${database.kind}, ${rate(verifyMs)}, RSS growth ${(rssGrowth / 1048576).toFixed(1)} MiB)`,
      value: verifyMs,
      unit: 'ms',
    });
  } finally {
    await services.queue.stop();
    await fresh.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await benchAudit();
