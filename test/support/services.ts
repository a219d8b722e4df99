import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { AudioTools, IngestQueue } from '../../src/app/recordings/ports.ts';
import type { Clock } from '../../src/app/unit-of-work.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { type Config, loadConfig } from '../../src/infra/config.ts';
import { type Database, openDatabase } from '../../src/infra/db/client.ts';
import { createAudioToolkit } from '../../src/infra/audio/index.ts';
import { ffmpegAudioTools } from '../../src/infra/recordings/adapters.ts';
import { migratedPgliteTemplate } from './pglite-template.ts';
import { migratedPostgresTemplate } from './postgres-template.ts';

/** The databases every integration test runs against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDatabases(): Array<'pglite' | 'postgres'> {
  return process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
}

/** A settable clock for time-outs and deadlines. */
export class TestClock implements Clock {
  current: Date;
  constructor(start = new Date('2026-03-02T09:00:00Z')) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * A fresh database holding no data: in-memory PGlite, already migrated (loaded from a migrated template,
 * see pglite-template.ts), or a new PostgreSQL database dropped afterwards: empty (for tests of what
 * migrating does), or with `migrated: true` copied from a migrated template (see postgres-template.ts).
 */
export async function freshDatabase(
  kind: 'pglite' | 'postgres',
  opts: { migrated?: boolean } = {},
): Promise<{ database: Database; url?: string; dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory', loadDataDir: await migratedPgliteTemplate() });
    return { database, dispose: () => database.close() };
  }
  const base = process.env['TEST_DATABASE_URL'];
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `cpcr_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const template = opts.migrated ? await migratedPostgresTemplate(base) : undefined;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestContext {
  services: Services;
  clock: TestClock;
  config: Config;
  dataDir: string;
  /** Recording ids whose ingest was queued, in order. */
  queuedIngests: string[];
  /** Stored recordings whose playable job (full decode, playback copy) was queued, in order. */
  queuedPlayables: string[];
  /**
   * Recording ids whose damaged playback copy's repair was queued, in order (unless `ingest: 'queue'`, only noted:
   * run one with `services.recordings.repairPlayback(id)`, so a test sees the page while it is being repaired).
   */
  queuedRepairs: string[];
  /**
   * The queue the repairs are noted in (not with `ingest: 'queue'`), as the composition root hands it to the
   * recordings: a test makes it refuse one (`vi.spyOn(ctx.repairQueue, 'enqueuePlaybackRepair')`).
   */
  repairQueue: Pick<IngestQueue, 'enqueuePlaybackRepair'>;
  /** The audio tools the recordings were built with (ffmpeg): a test may watch or stop one step with `vi.spyOn`. */
  audio: AudioTools;
  /** Outbox message ids whose delivery was queued, in order (read the messages with src/infra/mail/test-support.ts `readOutbox`). */
  queuedMail: string[];
  /** Disclosure copy ids whose job was queued, in order (`copy: 'manual'`; run one with `services.disclosureCopies.run(id)`). */
  queuedCopies: string[];
  dispose(): Promise<void>;
}

/**
 * How a recording's ingest runs in tests: `inline` (default) runs it before the request that queued
 * it returns, so a test sees the stored recording at once (and the job that makes it playable after it);
 * `manual` only notes the id in `ctx.queuedIngests` (and a stored one's in `ctx.queuedPlayables`: to test
 * what a crash between the two leaves); `queue` uses pg-boss as in
 * production (start it with `services.queue.start(…, services.workers)`).
 */
export type TestIngest = 'inline' | 'manual' | 'queue';

/**
 * How email is delivered in tests: `inline` (default) delivers it (with the default MAIL_TRANSPORT=outbox:
 * keeps it) as soon as the step that queued it has committed; `manual` only notes the id in
 * `ctx.queuedMail`, leaving it queued; `queue` uses pg-boss as in production.
 */
export type TestMail = 'inline' | 'manual' | 'queue';

export async function createTestServices(
  kind: 'pglite' | 'postgres',
  env: Record<string, string> = {},
  opts: { ingest?: TestIngest; mail?: TestMail; copy?: TestIngest } = {},
): Promise<TestContext> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'x'.repeat(40),
    ...env,
  });
  const clock = new TestClock();
  const fresh = await freshDatabase(kind, { migrated: true });
  const queuedIngests: string[] = [];
  const queuedPlayables: string[] = [];
  const queuedRepairs: string[] = [];
  const ingest = opts.ingest ?? 'inline';
  const repairQueue: Pick<IngestQueue, 'enqueuePlaybackRepair'> = {
    async enqueuePlaybackRepair(id: string) {
      queuedRepairs.push(id);
    },
  };
  const audio = ffmpegAudioTools(createAudioToolkit());
  const queuedMail: string[] = [];
  const mailMode = opts.mail ?? 'inline';
  const queuedCopies: string[] = [];
  const copyMode = opts.copy ?? 'inline';
  const services = await buildServices(config, pino({ level: 'silent' }), {
    database: fresh.database,
    clock,
    audio,
    ...(ingest === 'queue'
      ? {}
      : {
          ingestQueue: ({ recordings }) => ({
            async enqueueIngest(id: string) {
              queuedIngests.push(id);
              if (ingest === 'inline') await recordings.ingest(id);
            },
            async enqueuePlayable(id: string) {
              queuedPlayables.push(id);
              if (ingest === 'inline') await recordings.makePlayable(id);
            },
          }),
          repairQueue: () => repairQueue,
        }),
    ...(mailMode === 'queue'
      ? {}
      : {
          mailQueue: ({ mail }) => ({
            async enqueueDelivery(id: string) {
              queuedMail.push(id);
              if (mailMode === 'inline') await mail.deliver(id);
            },
          }),
        }),
    // Disclosure copies, like ingest: made before `start` returns (inline), only noted (manual), or by pg-boss (queue).
    ...(copyMode === 'queue'
      ? {}
      : {
          disclosureQueue: ({ disclosureCopies }) => ({
            async enqueueCopy(id: string) {
              queuedCopies.push(id);
              if (copyMode === 'inline') await disclosureCopies.run(id);
            },
          }),
        }),
  });
  return {
    services,
    clock,
    config,
    dataDir,
    queuedIngests,
    queuedPlayables,
    queuedRepairs,
    repairQueue,
    audio,
    queuedMail,
    queuedCopies,
    async dispose() {
      await services.queue.stop();
      // A checkpoint the trail started in the background (every so many entries) finishes before the database closes.
      await services.auditTrail.close();
      await fresh.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs what `ingest: 'manual'` only noted, in the order the queue would: each ingest, then the job that makes each
 * stored recording playable, until nothing is left queued.
 */
export async function runQueuedIngests(ctx: TestContext): Promise<void> {
  while (ctx.queuedIngests.length || ctx.queuedPlayables.length) {
    if (ctx.queuedIngests.length) await ctx.services.recordings.ingest(ctx.queuedIngests.shift()!);
    else await ctx.services.recordings.makePlayable(ctx.queuedPlayables.shift()!);
  }
}
