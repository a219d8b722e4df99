import type { Command } from 'commander';
import type { UserRecord } from '../../app/accounts/ports.ts';
import { ROLE_LABELS } from '../../domain/access/roles.ts';
import { withServices } from '../context.ts';
import { type CliIo, table } from '../io.ts';

function status(u: UserRecord): string {
  if (u.disabledAt) return `disabled ${u.disabledAt.toISOString().slice(0, 10)}`;
  return u.passwordHash ? 'active' : 'active (no password set)';
}

export function registerUserList(user: Command, io: CliIo): void {
  user
    .command('list')
    .description('List every account: email, name, roles and status')
    .option('--json', 'print a JSON array instead of a table, for scripts')
    .action(async (opts: { json?: boolean }) => {
      await withServices(io, async ({ services }) => {
        const users = await services.accounts.listUsers();
        if (opts.json) {
          // Role codes, not words: scripts match on them (they are what `user create --role` takes).
          const rows = users.map((u) => ({
            id: u.id,
            email: u.email,
            name: u.name,
            roles: u.roles,
            status: status(u),
          }));
          io.out(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (users.length === 0) {
          io.out('There are no accounts yet.\n');
        } else {
          // People read the table, so roles are in words, as on the Users pages; --json keeps the codes for scripts.
          io.out(
            table(
              ['EMAIL', 'NAME', 'ROLES', 'STATUS'],
              users.map((u) => [u.email, u.name, u.roles.map((r) => ROLE_LABELS[r]).join(', '), status(u)]),
            ),
          );
        }
      });
    });
}
