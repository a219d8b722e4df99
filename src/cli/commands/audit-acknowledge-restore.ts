import type { Command } from 'commander';
import { AuditTamperError } from '../../infra/audit/audit-trail.ts';
import { withServices } from '../context.ts';
import { CommandFailed, UsageError } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';

export function registerAuditAcknowledgeRestore(audit: Command, io: CliIo): void {
  audit
    .command('acknowledge-restore')
    .description('Record that the audit trail is behind its signed checkpoints because an older backup was restored')
    .requiredOption('--reason <text>', 'why the backup was restored (for example the incident or change reference)')
    .addHelpText(
      'after',
      [
        '',
        'Only a trail that is an unchanged earlier state of what was signed can be acknowledged; anything else',
        'stays a verification failure. The acknowledgement is an audit entry naming the lost entries, who ran the',
        'command and why; `cpcr audit verify` then passes and lists it every time it runs.',
      ].join('\n'),
    )
    .action(async (opts: { reason: string }) => {
      const reason = opts.reason.trim();
      // eslint-disable-next-line no-control-regex
      if (!reason || reason.length > 500 || /[\u0000-\u001f\u007f]/.test(reason))
        throw new UsageError('--reason must be 1 to 500 characters on one line, saying why the backup was restored');
      await withServices(io, async ({ services, ctx }) => {
        try {
          const { seq, gap } = await services.auditTrail.acknowledgeRestore(reason, ctx);
          io.out(
            `Restore acknowledged as audit entry ${seq}: ${plural(gap.lostEntries, 'entry', 'entries')} ` +
              `(${gap.lostFrom} to ${gap.lostThrough}, written up to ${gap.lostUntil}) were lost with the restore.\n`,
          );
        } catch (err) {
          if (err instanceof AuditTamperError) throw new CommandFailed(err.message);
          throw err;
        }
      });
    });
}
