import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import type { CliIo } from '../io.ts';

const HELP = `
The old password stops working and the person is signed out everywhere at once. The link lets
them choose a new password; it works once, for 24 hours, and any earlier link stops working.
Only the link is printed on standard output, so it can be passed on without being shown:

  LINK=$(npx cpcr user reset-link sam.jones@example.gov.uk)

Give it to the person in a way only they can read. Their second factor is kept: to reset that
too (a lost phone), use \`cpcr user reset-second-factor\`.`;

export function registerUserResetLink(user: Command, io: CliIo): void {
  user
    .command('reset-link')
    .description('Reset a password: prints a one-time link (24 hours) for the person to set a new one')
    .argument('<email>', 'email address of the account')
    .addHelpText('after', HELP)
    .action(async (email: string) => {
      await withServices(io, async ({ services, ctx }) => {
        const found = await services.accounts.findUserByEmail(email);
        if (!found) throw new CommandFailed(`no account has the email address ${email}`);
        if (found.disabledAt)
          throw new CommandFailed(`the account of ${found.email} is disabled: enable it before resetting its password`);
        const result = await services.accounts.resetPassword(found.id, ctx, { delivery: 'show-once' });
        if (result.delivery !== 'show-once') throw new CommandFailed('the link was not returned');
        io.err(
          `Reset the password of ${found.name} <${found.email}>: signed out everywhere; the link works once, until ${result.expiresAt.toISOString()}.\n`,
        );
        io.out(`${result.link}\n`);
      });
    });
}
