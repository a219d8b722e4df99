import type { Command } from 'commander';
import type { ApiTokenRecord } from '../../app/accounts/ports.ts';
import { withServices } from '../context.ts';
import { CommandFailed } from '../errors.ts';
import { type CliIo, table } from '../io.ts';

const day = (d: Date | null, none: string) => (d ? d.toISOString().slice(0, 10) : none);

function status(t: ApiTokenRecord, now: Date): string {
  if (t.revokedAt) return `revoked ${day(t.revokedAt, '')}`;
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return 'active';
}

export function registerTokenList(token: Command, io: CliIo): void {
  token
    .command('list')
    .description("List an account's API tokens (never the tokens themselves)")
    .requiredOption('--email <email>', 'email address of the account')
    .action(async (opts: { email: string }) => {
      await withServices(io, async ({ services }) => {
        const owner = await services.accounts.findUserByEmail(opts.email);
        if (!owner) throw new CommandFailed(`no account has the email address ${opts.email}`);
        const tokens = await services.accounts.listApiTokens(owner.id);
        if (tokens.length === 0) {
          io.out(`${owner.email} has no API tokens.\n`);
          return;
        }
        const now = services.clock.now();
        io.out(
          table(
            ['ID', 'LABEL', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'],
            tokens.map((t) => [
              t.id,
              t.label,
              day(t.createdAt, ''),
              day(t.expiresAt, 'never'),
              day(t.lastUsedAt, 'never'),
              status(t, now),
            ]),
          ),
        );
      });
    });
}
