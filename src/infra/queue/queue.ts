import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';

export interface ScheduledJob {
  name: string;
  cron: string;
  run(): Promise<void>;
}

/** Work sent on demand (an ingest, a copy), retried with back-off when it throws. */
export interface QueueWorker {
  name: string;
  handle(data: Record<string, unknown>): Promise<void>;
  /** Seconds a job may run before pg-boss treats it as lost and retries it. */
  expireInSeconds: number;
  retryLimit: number;
  /** How many jobs run at once in this process. */
  concurrency?: number;
}

/** Background work on pg-boss, in the same database as everything else (PGlite or PostgreSQL). */
export class JobQueue {
  readonly boss: PgBoss;
  private readonly logger: Logger;
  private started = false;

  constructor(database: Database, logger: Logger) {
    this.boss = new PgBoss({ ...database.queueConnection, schema: 'pgboss' });
    this.logger = logger;
    this.boss.on('error', (err: Error) => this.logger.error({ err }, 'job queue error'));
  }

  async start(jobs: ScheduledJob[], workers: QueueWorker[] = []): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const job of jobs) {
      await this.boss.createQueue(job.name);
      await this.boss.schedule(job.name, job.cron, null, { tz: 'Europe/London' });
      await this.boss.work(job.name, async () => {
        await job.run();
      });
    }
    for (const worker of workers) {
      await this.boss.createQueue(worker.name, {
        expireInSeconds: worker.expireInSeconds,
        retryLimit: worker.retryLimit,
        retryDelay: 30,
        retryBackoff: true,
      });
      await this.boss.work<Record<string, unknown>>(
        worker.name,
        { batchSize: 1, localConcurrency: worker.concurrency ?? 1 },
        async (batch) => {
          for (const job of batch) await worker.handle(job.data);
        },
      );
    }
  }

  /** Queues work; `singletonKey` stops the same work being queued twice while one is waiting. */
  async send(name: string, data: Record<string, unknown>, opts: { singletonKey?: string } = {}): Promise<void> {
    if (!this.started) throw new Error(`The job queue is not running, so "${name}" cannot be queued`);
    await this.boss.send(name, data, opts.singletonKey ? { singletonKey: opts.singletonKey } : {});
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
