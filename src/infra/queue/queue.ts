import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';

export interface ScheduledJob {
  name: string;
  cron: string;
  run(): Promise<void>;
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

  async start(jobs: ScheduledJob[]): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const job of jobs) {
      await this.boss.createQueue(job.name);
      await this.boss.schedule(job.name, job.cron, null, { tz: 'Europe/London' });
      await this.boss.work(job.name, async () => {
        await job.run();
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
