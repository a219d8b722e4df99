import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { type Database, openDatabase } from '../../src/infra/db/client.ts';
import { freshDatabase } from '../support/services.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'cpcr.js');

/** Settings that must not leak from the developer's environment into the CLI under test. */
const CONFIG_VARIABLES = [
  'NODE_ENV',
  'DATA_DIR',
  'DATABASE_URL',
  'AUDIT_CHECKPOINT_DIR',
  'AUDIT_SIGNING_KEY_FILE',
  'AUDIT_CHECKPOINT_MINUTES',
  'AUDIT_CHECKPOINT_ENTRIES',
  'AUDIT_VERIFY_KEY_FILE',
  'AUDIT_WITNESS_S3_BUCKET',
  'AUDIT_WITNESS_S3_REGION',
  'AUDIT_WITNESS_S3_ENDPOINT',
  'AUDIT_WITNESS_S3_FORCE_PATH_STYLE',
  'AUDIT_WITNESS_S3_ACCESS_KEY_ID',
  'AUDIT_WITNESS_S3_SECRET_ACCESS_KEY',
  'AUDIT_WITNESS_S3_PREFIX',
  'AUDIT_WITNESS_RETAIN_DAYS',
  'AUDIT_WITNESS_URL',
  'AUDIT_WITNESS_TOKEN',
  'BANK_HOLIDAYS_FILE',
  'LOG_LEVEL',
  'SESSION_SECRET',
  'PUBLIC_BASE_URL',
  'COOKIE_SECURE',
];

/** For a test that runs the CLI several times: each run starts Node and opens the database (seconds on a busy machine). */
export const SLOW = 120_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/cpcr.js …` to completion. Standard input is always closed, after `input` if given. */
export function runCli(
  args: string[],
  opts: { env: Record<string, string | undefined>; input?: string; cwd?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: opts.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The environment for a CLI run against nothing in particular (usage and configuration errors). */
export function bareEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  return { ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...extra };
}

/**
 * A data directory and an empty database that the CLI (a child process) and the test both use.
 * PGlite allows one process at a time, so the test opens its own handle only between CLI runs.
 */
export interface CliSandbox {
  kind: 'pglite' | 'postgres';
  dataDir: string;
  env: Record<string, string | undefined>;
  run(args: string[], opts?: { input?: string; cwd?: string }): Promise<CliResult>;
  /** Opens the database, runs fn, closes it again. */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Builds the real services on the same database and data directory, runs fn, closes them. */
  withServices<T>(fn: (services: Services) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export async function cliSandbox(kind: 'pglite' | 'postgres'): Promise<CliSandbox> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-cli-'));
  let url: string | undefined;
  let disposeDatabase = async () => {};
  if (kind === 'postgres') {
    const fresh = await freshDatabase('postgres');
    url = fresh.url;
    disposeDatabase = fresh.dispose;
  }
  const env = bareEnv({ DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) });
  const open = () => openDatabase({ url, dataDir });
  return {
    kind,
    dataDir,
    env,
    run: (args, opts = {}) => runCli(args, { env, ...opts }),
    async withDatabase(fn) {
      const database = await open();
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    async withServices(fn) {
      const config = loadConfig({ ...env, SESSION_SECRET: 'x'.repeat(40) });
      const services = await buildServices(config, pino({ level: 'silent' }), { database: await open() });
      try {
        return await fn(services);
      } finally {
        await services.close();
      }
    },
    async dispose() {
      await disposeDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
