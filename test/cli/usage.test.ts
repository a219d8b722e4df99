import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/access/roles.ts';
import { bareEnv, runCli } from './support.ts';

// None of these reach the database: arguments, standard input and configuration are checked first.
describe('cpcr usage, help and configuration errors', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;
  const run = (args: string[], input?: string, extra: Record<string, string> = {}) =>
    runCli(args, { env: { ...env, ...extra }, input });

  beforeAll(async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'cpcr-cli-usage-'));
    dataDir = path.join(parent, 'data');
    env = bareEnv({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('prints help for the program and for each command, exit 0', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['migrate', 'user', 'token', 'audit']) expect(top.stdout).toContain(c);
    expect(top.stdout).toContain('78 configuration error');

    const create = await run(['user', 'create', '--help']);
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('--password-stdin');
    for (const role of ROLES) expect(create.stdout).toContain(role);

    const verify = await run(['audit', 'verify', '--help']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('Usage: cpcr audit verify');
  });

  it('exits 2 for a missing command, an unknown command or option, or a missing required option', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: cpcr');

    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);

    const badOption = await run(['user', 'list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--colour'/);

    const missing = await run(['token', 'create', '--email', 'a@example.gov.uk']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--label <label>' not specified/);

    const days = await run(['token', 'create', '--email', 'a@example.gov.uk', '--label', 'x', '--expires-days', '0']);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('whole number of days');

    const id = await run(['token', 'revoke', '--id', 'not-an-id']);
    expect(id.code).toBe(2);
    expect(id.stderr).toContain('is not a token id');
  });

  it('rejects an unknown role with exit 2, naming the valid roles', async () => {
    const r = await run(
      ['user', 'create', '--email', 'a@example.gov.uk', '--name', 'A', '--role', 'chair', '--role', 'superuser'],
      'a long enough password\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"superuser" is not a role');
    expect(r.stderr).toContain(`Valid roles: ${ROLES.join(', ')}`);
    expect(r.stdout).toBe('');
  });

  it('requires a password on standard input, with a clear message and exit 2', async () => {
    const args = ['user', 'create', '--email', 'a@example.gov.uk', '--name', 'A', '--role', 'chair'];
    const empty = await run(args, '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no password on standard input');

    const newlineOnly = await run([...args, '--password-stdin'], '\n');
    expect(newlineOnly.code).toBe(2);
    expect(newlineOnly.stderr).toContain('no password on standard input');

    const short = await run(args, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('Password must be 12 characters or more');
    // Nothing was opened or created.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('exits 78 naming the bad setting when the configuration is invalid', async () => {
    const r = await run(['user', 'list'], undefined, { DATABASE_URL: 'mysql://db.example/cpcr' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('DATABASE_URL: must start with postgres://');

    const production = await run(['audit', 'verify'], undefined, { NODE_ENV: 'production' });
    expect(production.code).toBe(78);
    expect(production.stderr).toContain('SESSION_SECRET');
    expect(existsSync(dataDir)).toBe(false);
  });
});
