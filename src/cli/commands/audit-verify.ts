import type { Command } from 'commander';
import type { AcknowledgedRestore, VerifyResult } from '../../infra/audit/audit-trail.ts';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import { type CliIo, plural } from '../io.ts';

export function describeCheckpoint(r: VerifyResult): string {
  return r.checkpoint ? `checkpoint of ${r.checkpoint.at} covering ${r.checkpoint.size}` : 'no signed checkpoint yet';
}

/** The message for a trail that fails verification: the first bad entry and what is wrong with it. */
export function verificationFailure(r: VerifyResult): string {
  const problem = r.problem ?? { seq: r.entries + 1, problem: 'unknown problem' };
  if (r.restore) {
    const g = r.restore;
    return [
      `AUDIT TRAIL IS BEHIND ITS SIGNED CHECKPOINTS at entry ${problem.seq}: ${problem.problem}.`,
      `What is left is an unchanged earlier state of the trail, which is what restoring an older backup leaves:`,
      `the database holds entries 1 to ${g.restoredThrough}${g.restoredThroughAt ? ` (the last written ${g.restoredThroughAt})` : ''};`,
      `${plural(g.lostEntries, 'entry', 'entries')} (${g.lostFrom} to ${g.lostThrough}), written up to ${g.lostUntil}, are not in it,`,
      `and neither is anything else recorded in that time (recordings, requests, changes).`,
      `If a backup was restored, record that it was: cpcr audit acknowledge-restore --reason "…"`,
      'If no backup was restored, preserve the database and the checkpoint directory as they are, and report this as a security incident.',
    ].join('\n');
  }
  return [
    `AUDIT TRAIL FAILED VERIFICATION at entry ${problem.seq}: ${problem.problem}.`,
    `${plural(r.entries, 'entry', 'entries')} before it verified (${describeCheckpoint(r)}).`,
    'Preserve the database and the checkpoint directory as they are, and report this as a security incident.',
  ].join('\n');
}

export function describeAcknowledged(a: AcknowledgedRestore): string {
  return (
    `Acknowledged restore (entry ${a.seq}, ${a.at}, by ${a.by}): ${plural(a.lostEntries, 'entry', 'entries')} ` +
    `(${a.lostFrom} to ${a.lostThrough}, written up to ${a.lostUntil}) were lost when a backup was restored. Reason: ${a.reason}`
  );
}

/** What an intact trail was compared with, and the gaps operators acknowledged. */
export function verificationNotes(r: VerifyResult): string {
  const lines = [
    ...(r.witnesses ?? []).map((w) =>
      w.newest
        ? `Witness ${w.label}: newest checkpoint covering ${w.newest.size} (${w.newest.at}) matches.`
        : `Witness ${w.label}: holds no checkpoint yet.`,
    ),
    ...(r.acknowledged ?? []).map(describeAcknowledged),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

export function registerAuditVerify(audit: Command, io: CliIo): void {
  audit
    .command('verify')
    .description('Check every link of the audit hash chain against the signed checkpoints, here and at each witness')
    .addHelpText(
      'after',
      [
        '',
        'Exits 0 when the trail is intact and 1, naming the first bad entry, when it is not: a trail shorter than',
        'or different from a checkpoint held locally or by a witness fails. Signatures are checked with the public',
        'keys in AUDIT_VERIFY_KEY_FILE only. A trail that is an earlier state of what was signed (a restored backup)',
        'fails until the restore is acknowledged with `cpcr audit acknowledge-restore`.',
      ].join('\n'),
    )
    .action(async () => {
      await withServices(io, async ({ services }) => {
        const result = await services.auditTrail.verify();
        if (!result.ok) throw new CommandFailed(verificationFailure(result));
        io.out(`Audit trail intact: ${plural(result.entries, 'entry', 'entries')} (${describeCheckpoint(result)})\n`);
        io.out(verificationNotes(result));
      });
    });
}
