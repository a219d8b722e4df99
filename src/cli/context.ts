import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pino, { type Logger } from 'pino';
import type { RequestContext } from '../app/audit/audit-log.ts';
import type { Services } from '../composition.ts';
import { type Config, loadConfig } from '../infra/config.ts';
import type { Database } from '../infra/db/client.ts';
import { DatabaseInUseError } from '../infra/db/pglite-lock.ts';
import { REDACT_PATHS } from '../infra/logger.ts';
import { DatabaseInUse } from './errors.ts';
import type { CliIo } from './io.ts';

/** The server's configuration, from the same environment variables. Throws ConfigError. */
export function loadCliConfig(env: CliIo['env']): Config {
  return loadConfig(env);
}

/** Silent except for errors, which go to stderr so stdout carries only results. */
export function cliLogger(level: string): Logger {
  const quieter = level === 'silent' || level === 'fatal' ? level : 'error';
  return pino(
    { level: quieter, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: true }),
  );
}

function osUser(env: CliIo['env']): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return env['USER'] ?? env['LOGNAME'];
  }
}

/** Who the audit trail records: the CLI and, where known, the operating-system account that ran it. */
export function cliContext(env: CliIo['env']): RequestContext {
  const user = osUser(env);
  return { actor: { id: null, label: user ? `cli:${user}` : 'cli' }, correlationId: `cli-${randomUUID()}` };
}

/** Where the data lives, for messages: never the password in a database URL. */
export function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `the embedded database in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL database ${decodeURIComponent(url.pathname.slice(1)) || '(default)'} on ${url.host}`;
  } catch {
    return 'the PostgreSQL database in DATABASE_URL';
  }
}

export interface CommandContext {
  services: Services;
  /** The actor and request id for audit entries. */
  ctx: RequestContext;
  io: CliIo;
}

/**
 * Builds the services through the composition root (which applies any pending migrations), runs fn,
 * and always closes them. The job queue and web server are never started. `beforeBuild` sees the
 * opened database before migrations run.
 */
export async function withServices<T>(
  io: CliIo,
  fn: (c: CommandContext) => Promise<T>,
  opts: { beforeBuild?: (database: Database) => Promise<void> } = {},
): Promise<T> {
  const config = loadCliConfig(io.env);
  const logger = cliLogger(config.logLevel);
  // Loaded here rather than at the top so --help and usage errors answer at once; the database first,
  // so a database in use by the service is reported before the rest of the service is loaded.
  const { openDatabase } = await import('../infra/db/client.ts');
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).catch((err: unknown) => {
    throw err instanceof DatabaseInUseError ? new DatabaseInUse(config.dataDir, err.pid) : err;
  });
  const { buildServices } = await import('../composition.ts').catch(async (err: unknown) => {
    await database.close().catch(() => undefined);
    throw err;
  });
  let services: Services;
  try {
    await opts.beforeBuild?.(database);
    services = await buildServices(config, logger, { database });
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  try {
    return await fn({ services, ctx: cliContext(io.env), io });
  } finally {
    await services.close();
  }
}
