import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DomainError } from '../domain/shared/errors.ts';
import { ConfigError } from '../infra/config.ts';
import { registerAuditAcknowledgeRestore } from './commands/audit-acknowledge-restore.ts';
import { registerAuditCheckpoint } from './commands/audit-checkpoint.ts';
import { registerAuditRotateKey } from './commands/audit-rotate-key.ts';
import { registerAuditVerify } from './commands/audit-verify.ts';
import { registerBackup } from './commands/backup.ts';
import { registerDbGrantRuntime } from './commands/db-role.ts';
import { registerFixityStatus } from './commands/fixity-status.ts';
import { registerFixityVerify } from './commands/fixity-verify.ts';
import { registerRecordingKey } from './commands/recording-key.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerRestore } from './commands/restore.ts';
import { registerSeed } from './commands/seed.ts';
import { registerTokenCreate } from './commands/token-create.ts';
import { registerTokenList } from './commands/token-list.ts';
import { registerTokenRevoke } from './commands/token-revoke.ts';
import { registerUserCreate } from './commands/user-create.ts';
import { registerUserDisable } from './commands/user-disable.ts';
import { registerUserList } from './commands/user-list.ts';
import { registerUserResetLink } from './commands/user-reset-link.ts';
import { registerUserResetSecondFactor } from './commands/user-reset-second-factor.ts';
import { CommandFailed, DatabaseInUse, EXIT, UsageError } from './errors.ts';
import type { CliIo } from './io.ts';

const ABOUT = `
Configuration comes from the same environment variables as the server: DATA_DIR, DATABASE_URL,
AUDIT_CHECKPOINT_DIR, AUDIT_SIGNING_KEY_FILE and so on. Without DATABASE_URL the embedded database
under DATA_DIR is used, which only one process may open at a time: stop the server first.

Exit codes: 0 done; 1 failed, or the audit trail or a recording failed verification; 2 usage error;
75 the embedded database is in use by the running service, so nothing was done; 78 configuration error.
Set CPCR_DEBUG=1 to see the stack trace of an unexpected error.`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('cpcr')
    .description(
      'Administer cp-conference-records: database migrations, staff accounts, API tokens, the audit trail and recordings’ fixity',
    )
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ABOUT);

  registerMigrate(program, io);
  const db = program.command('db').description('Set up the database roles (PostgreSQL)');
  registerDbGrantRuntime(db, io);
  registerBackup(program, io);
  registerRestore(program, io);

  const user = program.command('user').description('Create, list and disable staff accounts, and reset passwords');
  registerUserCreate(user, io);
  registerUserDisable(user, io);
  registerUserList(user, io);
  registerUserResetLink(user, io);
  registerUserResetSecondFactor(user, io);

  const token = program.command('token').description('Create, list and revoke API tokens');
  registerTokenCreate(token, io);
  registerTokenRevoke(token, io);
  registerTokenList(token, io);

  const audit = program.command('audit').description('Verify and checkpoint the tamper-evident audit trail');
  registerAuditVerify(audit, io);
  registerAuditCheckpoint(audit, io);
  registerAuditAcknowledgeRestore(audit, io);
  registerAuditRotateKey(audit, io);

  const fixity = program
    .command('fixity')
    .description('Check that stored recordings are exactly what was stored (R-3)');
  registerFixityVerify(fixity, io);
  registerFixityStatus(fixity, io);

  registerRecordingKey(program, io);
  registerSeed(program, io);

  return program;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  '28P01',
  '3D000',
]);

/**
 * One line for an unexpected error. A failed query's own message carries the SQL and its parameters
 * (which may be secrets), so only what caused it is shown.
 */
function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  if (!(err instanceof Error)) return String(err);
  const failedQuery = 'query' in err && 'params' in err;
  if (failedQuery && err.cause) return describe(err.cause);
  if (failedQuery) return 'a database query failed';
  const code = (err as NodeJS.ErrnoException).code;
  const message = err.message || code || err.name;
  return code && CONNECTION_CODES.has(code) ? `cannot use the database: ${message}` : message;
}

/** Runs one command and returns the exit code; never throws. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'node' });
    return EXIT.ok;
  } catch (err) {
    // Commander has already printed its message (or the help that was asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n(add --help for usage)\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.err(`error: ${err.message}\n`);
      return EXIT.config;
    }
    if (err instanceof DatabaseInUse) {
      io.err(`error: ${err.message}\n`);
      return EXIT.databaseInUse;
    }
    if (err instanceof CommandFailed || err instanceof DomainError) {
      io.err(`error: ${err.message}\n`);
      return EXIT.failure;
    }
    io.err(`error: ${describe(err)}\n`);
    if (io.env['CPCR_DEBUG'] && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return EXIT.failure;
  }
}
