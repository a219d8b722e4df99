import type { Command } from 'commander';
import { AuditTamperError } from '../../infra/audit/audit-trail.ts';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import type { CliIo } from '../io.ts';

export function registerAuditRotateKey(audit: Command, io: CliIo): void {
  audit
    .command('rotate-key')
    .description('Replace the audit signing key with a new one; checkpoints signed before still verify')
    .addHelpText(
      'after',
      [
        '',
        'Checks the trail first. The new private key replaces AUDIT_SIGNING_KEY_FILE; its public key is added to',
        'AUDIT_VERIFY_KEY_FILE (the old one stays, so older checkpoints still verify) and printed, for the copy of the',
        'keyring kept away from this machine. The rotation is recorded in the trail and signed at once with the new key.',
      ].join('\n'),
    )
    .action(async () => {
      await withServices(io, async ({ services, ctx }) => {
        try {
          const r = await services.auditTrail.rotateKey(ctx);
          io.out(
            [
              `Audit signing key rotated: ${r.oldKeyId} -> ${r.newKeyId}.`,
              r.addedToKeyring
                ? 'Its public key was added to the verification keyring. Add it to every other copy of the keyring:'
                : 'Its public key was already in the verification keyring:',
              r.publicKeyPem.trimEnd(),
              '',
            ].join('\n'),
          );
        } catch (err) {
          if (err instanceof AuditTamperError) throw new CommandFailed(err.message);
          throw err;
        }
      });
    });
}
