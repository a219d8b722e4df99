import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Database } from '../../infra/db/client.ts';
import { describeDatabase, withServices } from '../context.ts';
import { type CliIo, plural } from '../io.ts';

interface JournalEntry {
  tag: string;
  when: number;
}

/** Migrations in the order they apply, from drizzle's journal. */
async function journal(migrationsFolder: string): Promise<JournalEntry[]> {
  const text = await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(text) as { entries: JournalEntry[] }).entries;
}

/** The `when` of each migration drizzle has recorded as applied (none before the first run). */
async function appliedStamps(database: Database): Promise<Set<number>> {
  const { rows } = await database.execute(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!(rows[0] as { present: boolean } | undefined)?.present) return new Set();
  const applied = await database.execute('select created_at from drizzle.__drizzle_migrations');
  return new Set(applied.rows.map((r) => Number((r as { created_at: unknown }).created_at)));
}

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('Apply any database migrations not yet applied, and say which were applied')
    .addHelpText('after', '\nOther commands also apply pending migrations before they run; this one does only that.')
    .action(async () => {
      let before = new Set<number>();
      await withServices(
        io,
        async ({ services, ctx }) => {
          const { migrationsFolder } = await import('../../infra/db/client.ts');
          const entries = await journal(migrationsFolder);
          const after = await appliedStamps(services.database);
          const applied = entries.filter((e) => after.has(e.when) && !before.has(e.when)).map((e) => e.tag);
          const where = describeDatabase(services.config);
          if (applied.length === 0) {
            io.out(`Nothing to do: ${where} is up to date (${plural(after.size, 'migration')} applied).\n`);
            return;
          }
          await services.uow.run(({ audit }) =>
            audit.record({
              action: 'database.migrate',
              actor: ctx.actor,
              correlationId: ctx.correlationId,
              outcome: 'success',
              details: { applied },
            }),
          );
          io.out(
            `Applied ${plural(applied.length, 'migration')} to ${where}:\n${applied.map((t) => `  ${t}\n`).join('')}`,
          );
        },
        {
          beforeBuild: async (database) => {
            // A new embedded database made from the migrated template had every migration applied just now.
            before = database.fromTemplate ? new Set() : await appliedStamps(database);
          },
        },
      );
    });
}
