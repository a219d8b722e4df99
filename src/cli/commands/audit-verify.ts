import type { Command } from 'commander';
import type { VerifyResult } from '../../infra/audit/audit-trail.ts';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';

export function describeCheckpoint(r: VerifyResult): string {
  return r.checkpoint ? `checkpoint of ${r.checkpoint.at} covering ${r.checkpoint.size}` : 'no signed checkpoint yet';
}

/** The message for a trail that fails verification: the first bad entry and what is wrong with it. */
export function verificationFailure(r: VerifyResult): string {
  const problem = r.problem ?? { seq: r.entries + 1, problem: 'unknown problem' };
  return [
    `AUDIT TRAIL FAILED VERIFICATION at entry ${problem.seq}: ${problem.problem}.`,
    `${plural(r.entries, 'entry', 'entries')} before it verified (${describeCheckpoint(r)}).`,
    'Preserve the database and the checkpoint directory as they are, and report this as a security incident.',
  ].join('\n');
}

export function registerAuditVerify(audit: Command, io: CliIo): void {
  audit
    .command('verify')
    .description('Check every link of the audit hash chain and the newest signed checkpoint')
    .addHelpText('after', '\nExits 0 when the trail is intact and 1, naming the first bad entry, when it is not.')
    .action(async () => {
      await withServices(io, async ({ services }) => {
        const result = await services.auditTrail.verify();
        if (!result.ok) throw new CommandFailed(verificationFailure(result));
        io.out(`Audit trail intact: ${plural(result.entries, 'entry', 'entries')} (${describeCheckpoint(result)})\n`);
      });
    });
}
