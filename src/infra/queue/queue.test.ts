import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, freshDatabase, testDatabases } from '../../../test/support/services.ts';
import { createLogger } from '../logger.ts';
import { JobQueue } from './queue.ts';

describe.each(testDatabases())('background jobs on %s', (kind) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestServices(kind);
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  it('runs the scheduled audit checkpoint job through pg-boss', async () => {
    await ctx.services.accounts.createSetupLinkIfNeeded({ actor: { id: null, label: 'system' } });
    await ctx.services.queue.start(ctx.services.scheduledJobs);
    // The schedule fires on its cron; sending the same job proves the worker and storage path now.
    await ctx.services.queue.boss.send('audit-checkpoint', {});
    await expect
      .poll(
        async () =>
          (await readdir(ctx.config.auditCheckpointDir).catch(() => [])).filter((n) => n.startsWith('checkpoint-')),
        {
          timeout: 20_000,
          interval: 250,
        },
      )
      .toHaveLength(1);
    expect((await ctx.services.auditTrail.verify()).checkpoint?.size).toBe(1);
  });
});

interface LogLine {
  level: number;
  msg: string;
  alert?: string;
  job?: string;
  jobId?: string;
  attempt?: number;
  code?: string;
}

describe.each(testDatabases())('a failed background job on %s', (kind) => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let queue: JobQueue;
  const lines: string[] = [];
  const logged = () => lines.map((l) => JSON.parse(l) as LogLine);
  beforeEach(async () => {
    lines.length = 0;
    fresh = await freshDatabase(kind);
    queue = new JobQueue(fresh.database, createLogger('info', { write: (line) => void lines.push(line) }));
  });
  afterEach(async () => {
    await queue.stop();
    await fresh.dispose();
  });

  it('is logged with its name, id, attempt and error code on every attempt, and alerts once when retries run out', async () => {
    // Disk full while writing a file named after the child: the message holds personal data, the code does not.
    const diskFull = () =>
      Object.assign(new Error("ENOSPC: no space left on device, write '/data/blobs/Zebedee Quartermaine.m4a'"), {
        code: 'ENOSPC',
      });
    await queue.start(
      [],
      [
        {
          name: 'fails-on-full-disk',
          expireInSeconds: 60,
          retryLimit: 1,
          retryDelaySeconds: 0,
          handle: () => Promise.reject(diskFull()),
        },
      ],
    );
    await queue.send('fails-on-full-disk', { child: 'Zebedee Quartermaine' });
    const [job] = await queue.boss.findJobs('fails-on-full-disk');
    await expect
      .poll(async () => (await queue.boss.findJobs('fails-on-full-disk', { id: job!.id }))[0]?.state, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe('failed');

    const failures = logged().filter((l) => l.msg === 'job failed');
    expect(failures.map(({ job, jobId, attempt, code }) => ({ job, jobId, attempt, code }))).toEqual([
      { job: 'fails-on-full-disk', jobId: job!.id, attempt: 1, code: 'ENOSPC' },
      { job: 'fails-on-full-disk', jobId: job!.id, attempt: 2, code: 'ENOSPC' },
    ]);
    const alerts = logged().filter((l) => l.alert === 'job-failed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      level: 60,
      job: 'fails-on-full-disk',
      jobId: job!.id,
      attempt: 2,
      code: 'ENOSPC',
    });
    expect(lines.join('\n')).not.toMatch(/Zebedee|Quartermaine|no space left/);
  });
});
