// The embedded database (PGlite) can be opened by one process at a time. When the service has it open,
// a cpcr command must say so plainly, say how to go on, change nothing, and exit with its own code so
// monitoring running `cpcr audit verify` can tell "could not check" (75) from "the trail failed" (1).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSandbox, SLOW, cliSandbox } from './support.ts';

describe('cpcr while the service has the embedded database open', () => {
  let box: CliSandbox;
  // The lock file names the process that has the database open; this test's own process stands in for
  // the running service (alive, and not the command's process).
  const servicePid = process.pid;
  const lockFile = () => path.join(box.dataDir, 'cpcr.lock');

  beforeAll(async () => {
    box = await cliSandbox('pglite');
    await box.withServices(async ({ accounts }) => {
      await accounts.createUser(
        { email: 'chair@example.gov.uk', name: 'A Chair', roles: ['chair'], password: null },
        { actor: { id: null, label: 'test' } },
      );
    });
    await writeFile(lockFile(), String(servicePid));
  });
  afterAll(async () => {
    await box?.dispose();
  });

  it.each([[['audit', 'verify']], [['user', 'disable', '--email', 'chair@example.gov.uk']], [['fixity', 'verify']]])(
    'cpcr %j says the service must be stopped or PostgreSQL used, and changes nothing',
    async (args) => {
      const r = await box.run(args);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `error: the service (process ${servicePid}) has the embedded database in ${box.dataDir} open`,
      );
      expect(r.stderr).toContain('nothing was checked or changed');
      expect(r.stderr).toContain(`stop the service (Ctrl-C where it runs, or: kill ${servicePid})`);
      expect(r.stderr).toContain('run the service on PostgreSQL (set DATABASE_URL');
      expect(r.code).toBe(75);
      // The service's lock is left as it was.
      expect(await readFile(lockFile(), 'utf8')).toBe(String(servicePid));
    },
    SLOW,
  );

  it(
    'leaves the account enabled',
    async () => {
      await writeFile(lockFile(), '');
      await box.withServices(async ({ accounts }) => {
        const user = await accounts.findUserByEmail('chair@example.gov.uk');
        expect(user?.disabledAt ?? null).toBeNull();
      });
    },
    SLOW,
  );
});
