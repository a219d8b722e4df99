import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';

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
