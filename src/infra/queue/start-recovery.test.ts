/**
 * Start-up recovery on the job queue: work a stopped process left shown as active is dealt with before this
 * process takes any job (an interrupted ingest is resumed at once, not after its job expires an hour later).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, testDatabases } from '../../../test/support/services.ts';
import { createLogger } from '../logger.ts';
import { JobQueue } from './queue.ts';

describe.each(testDatabases())('start-up recovery on %s', (kind) => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let queue: JobQueue;
  beforeEach(async () => {
    fresh = await freshDatabase(kind);
    queue = new JobQueue(fresh.database, createLogger('silent'));
  });
  afterEach(async () => {
    await queue.stop();
    await fresh.dispose();
  });

  it('runs beforeWork before any worker takes a job, where a stopped run’s active job is cancelled and the work queued again at once', async () => {
    const handled: string[] = [];
    const worker = {
      name: 'recovery-test',
      expireInSeconds: 3600,
      retryLimit: 2,
      handle: async (data: Record<string, unknown>) => void handled.push(String(data['id'])),
    };
    let cancelled = -1;
    await queue.start([], [worker], {
      beforeWork: async () => {
        // A job a crashed process had claimed: still active, with an hour before it would expire.
        await queue.send('recovery-test', { id: 'crashed' }, { singletonKey: 'rec-1' });
        const [claimed] = await queue.boss.fetch('recovery-test');
        expect(claimed).toBeDefined();
        expect(handled).toEqual([]);
        cancelled = await queue.cancelActive('recovery-test', 'rec-1');
        await queue.send('recovery-test', { id: 'resumed' }, { singletonKey: 'rec-1' });
      },
    });
    expect(cancelled).toBe(1);
    await expect.poll(() => handled, { timeout: 20_000, interval: 100 }).toEqual(['resumed']);
    const jobs = await queue.boss.findJobs('recovery-test', { key: 'rec-1' });
    expect(jobs.map((j) => j.state).sort()).toEqual(['cancelled', 'completed']);
    expect(await queue.cancelActive('recovery-test', 'rec-1')).toBe(0);
  });
});
