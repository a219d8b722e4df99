import { type Command, InvalidArgumentError } from 'commander';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import type { CliIo } from '../io.ts';

const MAX_DAYS = 3650;

function days(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_DAYS) {
    throw new InvalidArgumentError(`give a whole number of days from 1 to ${MAX_DAYS}.`);
  }
  return n;
}

export function registerTokenCreate(token: Command, io: CliIo): void {
  token
    .command('create')
    .description('Create an API token for an account; prints only the token')
    .requiredOption('--email <email>', 'email address of the account the token acts as')
    .requiredOption('--label <label>', 'what the token is for, such as the system that will use it')
    .option('--expires-days <n>', `days until it expires, 1 to ${MAX_DAYS} (default: never)`, days)
    .addHelpText(
      'after',
      `
Standard output carries the token and a newline, nothing else, so this works:

  TOKEN=$(npx cpcr token create --email case-system@example.gov.uk --label "Case system" --expires-days 90)

The token is shown once and cannot be recovered. Its id (for "cpcr token revoke") goes to standard error.`,
    )
    .action(async (opts: { email: string; label: string; expiresDays?: number }) => {
      await withServices(io, async ({ services, ctx }) => {
        const owner = await services.accounts.findUserByEmail(opts.email);
        if (!owner) throw new CommandFailed(`no account has the email address ${opts.email}`);
        const { token: secret, record } = await services.accounts.createApiToken(
          owner.id,
          opts.label,
          opts.expiresDays ?? null,
          ctx,
        );
        const expiry = record.expiresAt ? `expires ${record.expiresAt.toISOString()}` : 'does not expire';
        io.err(`Created API token ${record.id} ("${record.label}") for ${owner.email}; it ${expiry}.\n`);
        if (owner.mustChangePassword) {
          // The API refuses it until then (403 password_change_required): say so now rather than leave it to a failed call.
          io.err(
            `The password of ${owner.email} is temporary: the API refuses this token until they sign in to the website and choose their own.\n`,
          );
        }
        io.out(`${secret}\n`);
      });
    });
}
