import type { Command } from 'commander';
import { describeDatabase, loadCliConfig, withServices } from '../context.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { type CliIo, readStdin } from '../io.ts';

function whole(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

interface SeedFlags {
  years?: number;
  conferencesPerYear?: number;
  auditEntries?: number;
  seed: number;
  small?: boolean;
  force?: boolean;
  passwordStdin?: boolean;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function registerSeed(program: Command, io: CliIo): void {
  program
    .command('seed')
    .description(
      'Fill an empty database with a realistic council: staff, families, conferences, recordings, requests, audit',
    )
    .option('--years <n>', 'years of history, ending today (default 10)', whole('--years', 1, 30))
    .option(
      '--conferences-per-year <n>',
      'conferences a year (default 5000)',
      whole('--conferences-per-year', 1, 50_000),
    )
    .option('--audit-entries <n>', 'audit trail entries (default 5000000)', whole('--audit-entries', 0, 100_000_000))
    .option(
      '--seed <n>',
      'the random seed: the same seed and sizes make the same records',
      whole('--seed', 0, 2 ** 31),
      42,
    )
    .option('--small', 'a small council for tests and demonstrations: 1 year, 120 conferences, 3000 audit entries')
    .option('--force', 'seed even though the database already holds records (added beside them)')
    .option('--password-stdin', 'give every seeded account the password read from standard input')
    .addHelpText(
      'after',
      [
        '',
        'Writes into the configured database (DATA_DIR, or DATABASE_URL for PostgreSQL); refused in production.',
        'Recordings are stored as tiny encrypted placeholder files (not audio) so fixity checks pass; the audit',
        'trail is hash-chained and checkpointed, so `cpcr audit verify` passes. Seeded staff sign in as',
        '<role>.<n>@council.example (for example chair.1@council.example) with the --password-stdin password.',
      ].join('\n'),
    )
    .action(async (flags: SeedFlags) => {
      // Refused before the configuration is even read: a production environment is never seeded.
      if (io.env['NODE_ENV'] === 'production' || loadCliConfig(io.env).env === 'production')
        throw new CommandFailed('Refused: seeding writes made-up records, and this is a production configuration.');
      const base = flags.small
        ? { years: 1, conferencesPerYear: 120, auditEntries: 3000 }
        : { years: 10, conferencesPerYear: 5000, auditEntries: 5_000_000 };
      const sizes = {
        years: flags.years ?? base.years,
        conferencesPerYear: flags.conferencesPerYear ?? base.conferencesPerYear,
        auditEntries: flags.auditEntries ?? base.auditEntries,
      };
      const password = flags.passwordStdin ? await readStdin(io.stdin) : null;
      if (flags.passwordStdin && !password) throw new UsageError('Standard input held no password');
      await withServices(io, async ({ services }) => {
        const { seedCouncil, DatabaseNotEmpty } = await import('../seed/seed-council.ts');
        io.err(
          `Seeding ${describeDatabase(services.config)}: ${sizes.years} year(s), about ${sizes.conferencesPerYear} conferences a year, ` +
            `${sizes.auditEntries} audit entries, seed ${flags.seed}.\n`,
        );
        try {
          const s = await seedCouncil(services, {
            ...sizes,
            seed: flags.seed,
            password,
            force: flags.force ?? false,
            progress: (line) => io.err(`${line}\n`),
          });
          const { rows } = await services.database.execute(
            'select pg_database_size(current_database())::bigint as size',
          );
          const size = Number((rows[0] as { size: string | number }).size);
          io.out(
            `Seeded in ${(s.ms / 1000).toFixed(1)} s: ${s.staff} staff, ${s.children} children, ${s.conferences} conferences, ` +
              `${s.recordings} recordings, ${s.copyRequests} requests for copies, ${s.documents} documents, ` +
              `${s.auditEntries} audit entries. ` +
              `Database size ${mb(size)}. Staff sign in as e.g. chair.1@${s.emailDomain}.\n`,
          );
        } catch (err) {
          if (err instanceof DatabaseNotEmpty) throw new CommandFailed(err.message);
          throw err;
        }
      });
    });
}
