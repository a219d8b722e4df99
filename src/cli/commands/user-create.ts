import type { Command } from 'commander';
import { validatePassword } from '../../app/accounts/accounts-service.ts';
import type { Role } from '../../domain/access/roles.ts';
import { withServices } from '../context.ts';
import { UsageError } from '../errors.ts';
import { type CliIo, readStdin } from '../io.ts';
import { VALID_ROLES, collectRole } from './roles.ts';

const HELP = `
The password is read from standard input (all of it, less one trailing newline), so it never
appears in the process list or shell history. It is read whenever standard input is not a
terminal, or with --password-stdin. For example:

  printf '%s' "$NEW_PASSWORD" | npx cpcr user create --email sam.jones@example.gov.uk \\
      --name "Sam Jones" --role chair --role team_manager

The password is temporary: when they first sign in, the person sets up an authenticator app (the
second factor every password sign-in needs) and then chooses their own password.
Prints the new account's id on standard output.

${VALID_ROLES}.`;

async function passwordFromStdin(io: CliIo, explicit: boolean): Promise<string> {
  if (!explicit && io.stdin.isTTY) {
    throw new UsageError(
      'a password is required: pipe it on standard input (see --help), or use --password-stdin and type it followed by Ctrl-D',
    );
  }
  const password = await readStdin(io.stdin);
  if (password === '')
    throw new UsageError('no password on standard input: an account without a password cannot sign in');
  const problem = validatePassword(password);
  if (problem) throw new UsageError(`the password on standard input is not acceptable: ${problem}`);
  return password;
}

export function registerUserCreate(user: Command, io: CliIo): void {
  user
    .command('create')
    .description('Create a staff account with a password from standard input; prints its id')
    .requiredOption('--email <email>', 'email address, used to sign in')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--role <role>', 'a role to give (repeat the option for several)', collectRole)
    .option('--password-stdin', 'read the password from standard input (the default when it is not a terminal)')
    .addHelpText('after', HELP)
    .action(async (opts: { email: string; name: string; role: Role[]; passwordStdin?: boolean }) => {
      // Read before connecting, so a missing password fails fast and touches nothing.
      const password = await passwordFromStdin(io, opts.passwordStdin === true);
      await withServices(io, async ({ services, ctx }) => {
        // Chosen by the operator, so temporary: the person replaces it at first sign-in.
        const created = await services.accounts.createUser(
          { email: opts.email, name: opts.name, roles: opts.role, password, mustChangePassword: true },
          ctx,
        );
        io.err(`Created the account of ${created.name} <${created.email}> with roles: ${created.roles.join(', ')}\n`);
        io.out(`${created.id}\n`);
      });
    });
}
