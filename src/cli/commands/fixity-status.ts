import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { type CliIo, plural, table } from '../io.ts';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : 'never');

export function registerFixityStatus(fixity: Command, io: CliIo): void {
  fixity
    .command('status')
    .description('List stored recordings not checked within the fixity cycle (FIXITY_CYCLE_DAYS)')
    .option('--json', 'print a JSON object instead of a table, for scripts')
    .addHelpText('after', '\nThe scheduled check works through these; `cpcr fixity verify` checks every recording now.')
    .action(async (opts: { json?: boolean }) => {
      await withServices(io, async ({ services }) => {
        const { cycleDays, overdue } = await services.recordings.fixityOverdue();
        if (opts.json) {
          const rows = overdue.map((r) => ({
            id: r.id,
            storedAt: r.storedAt?.toISOString() ?? null,
            lastCheckedAt: r.lastCheckedAt?.toISOString() ?? null,
            lastResult: r.lastResult,
          }));
          io.out(`${JSON.stringify({ cycleDays, overdue: rows }, null, 2)}\n`);
        } else if (overdue.length === 0) {
          io.out(`Every stored recording has been checked within the last ${plural(cycleDays, 'day')}.\n`);
        } else {
          io.out(`${plural(overdue.length, 'recording')} not checked within the last ${plural(cycleDays, 'day')}:\n`);
          io.out(
            table(
              ['RECORDING', 'STORED', 'LAST CHECKED', 'LAST RESULT'],
              overdue.map((r) => [r.id, day(r.storedAt), day(r.lastCheckedAt), r.lastResult ?? '-']),
            ),
          );
        }
      });
    });
}
