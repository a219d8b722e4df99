import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import type { CliIo } from '../io.ts';

export function registerUserDisable(user: Command, io: CliIo): void {
  user
    .command('disable')
    .description('Disable an account, end all of its sessions and revoke its API tokens')
    .requiredOption('--email <email>', 'email address of the account')
    .action(async (opts: { email: string }) => {
      await withServices(io, async ({ services, ctx }) => {
        const found = await services.accounts.findUserByEmail(opts.email);
        if (!found) throw new CommandFailed(`no account has the email address ${opts.email}`);
        if (found.disabledAt) {
          io.out(
            `The account of ${found.name} <${found.email}> was already disabled (since ${found.disabledAt.toISOString()}).\n`,
          );
          return;
        }
        await services.accounts.disableUser(found.id, ctx);
        io.out(
          `Disabled the account of ${found.name} <${found.email}>, ended all of its sessions and revoked its API tokens.\n`,
        );
      });
    });
}
