import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import type { CliIo } from '../io.ts';

const HELP = `
For when no administrator can do it on the website: the only administrator (the break-glass account)
has lost the phone with their authenticator app and their recovery codes. Their authenticator app,
recovery codes and passkeys are removed and they are signed out everywhere; at their next sign-in,
after their password, they set up an authenticator app again. The reason is kept in the audit trail:

  npx cpcr user reset-second-factor admin@example.gov.uk --reason "Phone lost; identity checked in person"`;

export function registerUserResetSecondFactor(user: Command, io: CliIo): void {
  user
    .command('reset-second-factor')
    .description('Reset the sign-in security of an account: they set up an authenticator app at next sign-in')
    .argument('<email>', 'email address of the account')
    .requiredOption('--reason <text>', 'why it is reset (kept in the audit trail)')
    .addHelpText('after', HELP)
    .action(async (email: string, opts: { reason: string }) => {
      await withServices(io, async ({ services, ctx }) => {
        const found = await services.accounts.findUserByEmail(email);
        if (!found) throw new CommandFailed(`no account has the email address ${email}`);
        if (!opts.reason.trim()) throw new CommandFailed('give the reason for the reset with --reason');
        await services.secondFactor.resetFactors(found.id, opts.reason, ctx);
        io.err(
          `Reset the sign-in security of ${found.name} <${found.email}>: signed out everywhere; they set up an authenticator app at their next sign-in.\n`,
        );
      });
    });
}
