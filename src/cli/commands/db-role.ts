import type { Command } from 'commander';
import { describeDatabase, loadCliConfig } from '../context.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';

export function registerDbGrantRuntime(db: Command, io: CliIo): void {
  db.command('grant-runtime')
    .description('Give the role the service runs as exactly the rights it needs on PostgreSQL (run as the owner)')
    .requiredOption('--role <name>', 'the runtime role (it must exist, and own nothing)')
    .addHelpText(
      'after',
      [
        '',
        'Run with DATABASE_URL naming the owner role (the one `cpcr migrate` runs as), after every `cpcr migrate`.',
        "The runtime role may read and write the service's tables, but only read and add to the audit trail; it",
        'owns nothing, so it cannot alter or drop a table or disable a trigger, and it destroys stored recordings',
        'and copies only through the disposal functions, which refuse without an approved proposal. Safe to run',
        'again: the rights are set to exactly these each time. Refuses a role that is a superuser, owns anything,',
        'or can act as the owner.',
      ].join('\n'),
    )
    .action(async (opts: { role: string }) => {
      const config = loadCliConfig(io.env);
      if (!config.databaseUrl)
        throw new UsageError('grant-runtime is for PostgreSQL: set DATABASE_URL (naming the owner role)');
      const { ROLE_NAME, grantRuntime, GrantRefused } = await import('./db-role-grants.ts');
      if (!ROLE_NAME.test(opts.role))
        throw new UsageError(`"${opts.role}" is not a role name (lower-case letters, digits and underscores)`);
      try {
        const r = await grantRuntime(config.databaseUrl, opts.role);
        io.out(
          [
            `${opts.role} can now run the service on ${describeDatabase(config)} (owned by ${r.owner}):`,
            `  read and write ${r.tables} tables and ${r.queueTables} job queue tables;`,
            `  read and add to, never change or remove: ${r.appendOnly.join(', ')};`,
            `  destroys records only through ${r.disposalFunctions.join(', ')} (an approved disposal);`,
            '  owns nothing: cannot alter or drop tables, or disable triggers.',
            `Set the service's DATABASE_URL to connect as ${opts.role}.`,
            '',
          ].join('\n'),
        );
      } catch (err) {
        if (err instanceof GrantRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
}
