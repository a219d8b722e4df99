import type { Command } from 'commander';
import type { FixityResult } from '../../app/recordings/ports.ts';
import { withServices } from '../context.ts';
import { parseId } from '../../domain/shared/ids.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';

interface Checked {
  id: string;
  result: FixityResult;
}

/** The message for recordings that failed: each one named, and what to do (R-3: originals are evidence). */
export function fixityFailure(results: readonly Checked[]): string {
  const failed = results.filter((r) => r.result !== 'ok');
  return [
    `FIXITY CHECK FAILED for ${plural(failed.length, 'recording')} of ${results.length}:`,
    ...failed.map((r) => `  ${r.id}  ${r.result}`),
    'Each failure is recorded with the recording and has raised an alert. Preserve the blob store, the database and the',
    'recordings key as they are, restore the file from a backup if there is one, and report this as a security incident.',
  ].join('\n');
}

function summary(results: readonly Checked[]): string {
  const counts = new Map<FixityResult, number>();
  for (const r of results) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  const parts = [...counts].map(([result, n]) => `${n} ${result}`);
  return `Checked ${plural(results.length, 'recording')}: ${parts.join(', ')}`;
}

export function registerFixityVerify(fixity: Command, io: CliIo): void {
  fixity
    .command('verify')
    .description('Re-read every stored recording (or one) and check it is exactly what was stored (R-3)')
    .option('--recording <id>', 'check only this recording')
    .option('--json', 'print a JSON object instead of lines, for scripts')
    .addHelpText(
      'after',
      [
        '',
        'Each stored original and its playback copy is decrypted (every chunk authenticated) and its SHA-256',
        'compared with the one recorded when it was stored. Prints one line per recording (id and result: ok,',
        'mismatch, missing or unreadable) and a summary. Every check is recorded with the recording.',
        'Exits 0 when every recording is intact and 1, naming each one that is not, otherwise.',
      ].join('\n'),
    )
    .action(async (opts: { recording?: string; json?: boolean }) => {
      const recordingId = opts.recording === undefined ? undefined : parseId(opts.recording.trim());
      if (recordingId === null) throw new UsageError(`"${opts.recording}" is not a recording id`);
      await withServices(io, async ({ services, ctx }) => {
        const results: Checked[] = [];
        const line = (r: Checked) => {
          if (!opts.json) io.out(`${r.id}  ${r.result}\n`);
        };
        if (recordingId) {
          const result = await services.recordings.checkFixity(recordingId, 'on-demand', ctx);
          results.push({ id: recordingId, result });
          line(results[0]!);
        } else {
          await services.recordings.fixityAll((id, result) => {
            results.push({ id, result });
            line({ id, result });
          });
        }
        const failed = results.filter((r) => r.result !== 'ok').length;
        if (opts.json) io.out(`${JSON.stringify({ checked: results.length, failed, results }, null, 2)}\n`);
        else io.out(results.length ? `${summary(results)}\n` : 'There are no stored recordings to check.\n');
        if (failed) throw new CommandFailed(fixityFailure(results));
      });
    });
}
