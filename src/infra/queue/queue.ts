import { type JobWithMetadata, PgBoss } from 'pg-boss';
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
  /** `job.retryCount`: 0 on the first attempt (absent when called directly). */
  handle(data: Record<string, unknown>, job?: { retryCount: number }): Promise<void>;
  /** Seconds a job may run before pg-boss treats it as lost and retries it. */
  expireInSeconds: number;
  retryLimit: number;
  /** Seconds before the first retry, doubling each time (default 30). */
  retryDelaySeconds?: number;
  /**
   * Seconds between the running job's heartbeats (at least 10): a job whose heartbeat stops (its node died) is
   * failed and retried on any node, long before `expireInSeconds`.
   */
  heartbeatSeconds?: number;
  /** How many jobs run at once in this process. */
  concurrency?: number;
}

/** Background work on pg-boss, in the same database as everything else (PGlite or PostgreSQL). */
export class JobQueue {
  readonly boss: PgBoss;
  private readonly logger: Logger;
  private started = false;
  private working = false;

  /**
   * `superviseSeconds`: how often this node looks for jobs lost by a node that died (a missed heartbeat, an
   * expiry) and for due schedules. Any node does it; pg-boss lets one at a time.
   */
  constructor(database: Database, logger: Logger, opts: { superviseSeconds?: number } = {}) {
    const every = opts.superviseSeconds;
    this.boss = new PgBoss({
      ...database.queueConnection,
      schema: 'pgboss',
      ...(every ? { superviseIntervalSeconds: every, monitorIntervalSeconds: every } : {}),
    });
    this.logger = logger;
    this.boss.on('error', (err: Error) => this.logger.error({ err }, 'job queue error'));
  }

  /**
   * Starts the queue. `beforeWork` runs once every queue exists and before any job is taken: work this
   * node left half-done when it stopped (its jobs still shown as active) is recovered there, knowing
   * nothing on this node is running it.
   */
  async start(
    jobs: ScheduledJob[],
    workers: QueueWorker[] = [],
    opts: { beforeWork?: () => Promise<void> } = {},
  ): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const worker of workers) {
      const options = {
        expireInSeconds: worker.expireInSeconds,
        retryLimit: worker.retryLimit,
        retryDelay: worker.retryDelaySeconds ?? 30,
        retryBackoff: true,
        ...(worker.heartbeatSeconds ? { heartbeatSeconds: worker.heartbeatSeconds } : {}),
      };
      await this.boss.createQueue(worker.name, options);
      // A queue made by an earlier version keeps its old options unless they are set again.
      await this.boss.updateQueue(worker.name, options);
    }
    if (opts.beforeWork) await opts.beforeWork();
    for (const job of jobs) {
      await this.boss.createQueue(job.name);
      await this.boss.schedule(job.name, job.cron, null, { tz: 'Europe/London' });
      await this.boss.work(job.name, { includeMetadata: true }, ([claimed]) =>
        this.logFailure(claimed!, () => job.run()),
      );
    }
    for (const worker of workers) {
      await this.boss.work(
        worker.name,
        { batchSize: 1, localConcurrency: worker.concurrency ?? 1, includeMetadata: true },
        ([job]: JobWithMetadata<Record<string, unknown>>[]) =>
          this.logFailure(job!, () => worker.handle(job!.data, { retryCount: job!.retryCount })),
      );
    }
    this.working = true;
  }

  /** Whether start() has finished (every queue made, every job and worker taking work) and stop() not begun. */
  get running(): boolean {
    return this.started && this.working;
  }

  /**
   * Every job runs through here: a failure is logged with the job's name, id, attempt and error code
   * (never the message, which may quote what people typed or a file named after them), and the last
   * attempt raises the `job-failed` alert before pg-boss marks the job failed.
   */
  private async logFailure(job: JobWithMetadata<unknown>, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      const facts = { job: job.name, jobId: job.id, attempt: job.retryCount + 1, code: errorCode(err) };
      this.logger.error(facts, 'job failed');
      if (job.retryCount >= job.retryLimit) this.logger.fatal({ alert: 'job-failed', ...facts }, 'job failed for good');
      throw err;
    }
  }

  /** Queues work; `singletonKey` stops the same work being queued twice while one is waiting. */
  async send(name: string, data: Record<string, unknown>, opts: { singletonKey?: string } = {}): Promise<void> {
    if (!this.started) throw new Error(`The job queue is not running, so "${name}" cannot be queued`);
    await this.boss.send(name, data, opts.singletonKey ? { singletonKey: opts.singletonKey } : {});
  }

  /**
   * Cancels the jobs of `name` for this key still shown as active: ones a stopped process was running (for
   * start-up recovery only, before this process takes any). Returns how many were cancelled.
   */
  async cancelActive(name: string, singletonKey: string): Promise<number> {
    if (!this.started) throw new Error(`The job queue is not running, so "${name}" jobs cannot be cancelled`);
    const active = (await this.boss.findJobs(name, { key: singletonKey })).filter((j) => j.state === 'active');
    if (active.length)
      await this.boss.cancel(
        name,
        active.map((j) => j.id),
      );
    return active.length;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.working = false;
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}

/**
 * What kind of failure, without its text: a system or database code (`ENOSPC`, or the SQLSTATE of a query's
 * cause), else the error's class.
 */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return err instanceof Error ? err.constructor.name : typeof err;
}
