import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, bareEnv, cliSandbox, runCli } from './support.ts';

describe('cpcr seed: refused in production', () => {
  it('refuses outright when NODE_ENV is production, before reading any other setting', async () => {
    const r = await runCli(['seed', '--small'], { env: bareEnv({ NODE_ENV: 'production' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('production configuration');
  });
});

describe.each(testDatabases())('cpcr seed (%s)', (kind) => {
  let box: CliSandbox;
  beforeAll(async () => {
    box = await cliSandbox(kind);
  }, SLOW);
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'seeds an empty database, leaves a trail that verifies, and refuses to seed it again',
    async () => {
      const seeded = await box.run([
        'seed',
        '--years',
        '1',
        '--conferences-per-year',
        '30',
        '--audit-entries',
        '400',
        '--seed',
        '3',
      ]);
      expect(seeded.stderr).toContain('Conferences');
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toMatch(/Seeded in [\d.]+ s: 309 staff, \d+ children, \d+ conferences/);
      expect(seeded.stdout).toContain('400 audit entries');

      const verified = await box.run(['audit', 'verify']);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain('Audit trail intact: 401 entries (checkpoint of');

      const again = await box.run(['seed', '--small']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already holds 309 users');
    },
    SLOW * 2,
  );
});
