import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';
import { verificationFailure } from './audit-verify.ts';

export function registerAuditCheckpoint(audit: Command, io: CliIo): void {
  audit
    .command('checkpoint')
    .description('Verify the audit trail, then sign a checkpoint of its newest entry now')
    .addHelpText(
      'after',
      '\nA checkpoint is never written over a trail that fails verification: that would vouch for the damage.',
    )
    .action(async () => {
      await withServices(io, async ({ services }) => {
        const verified = await services.auditTrail.verify();
        if (!verified.ok) throw new CommandFailed(`No checkpoint written.\n${verificationFailure(verified)}`);
        const r = await services.auditTrail.checkpoint();
        io.out(
          r.written
            ? `Signed checkpoint written covering ${plural(r.size, 'entry', 'entries')}: ${r.file ?? ''}\n`
            : `No checkpoint written: the newest checkpoint already covers all ${plural(r.size, 'entry', 'entries')}.\n`,
        );
        for (const s of r.sent) io.out(`Sent ${plural(s.count, 'checkpoint')} to the witness ${s.witness}.\n`);
        if (r.failed.length)
          throw new CommandFailed(
            r.failed
              .map(
                (f) => `Not sent to the witness ${f.witness} (${f.error}); it is tried again at the next checkpoint.`,
              )
              .join('\n'),
          );
      });
    });
}
