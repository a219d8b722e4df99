import type { Command } from 'commander';
import { withServices } from '../context.ts';
import { parseId } from '../../domain/shared/ids.ts';
import { UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';

export function registerTokenRevoke(token: Command, io: CliIo): void {
  token
    .command('revoke')
    .description('Revoke an API token so it stops working at once')
    .requiredOption('--id <id>', 'the token id (shown by "token create" and "token list")')
    .action(async (opts: { id: string }) => {
      const id = parseId(opts.id.trim());
      if (!id)
        throw new UsageError(`"${opts.id}" is not a token id: ids look like 0b9f0c1e-5a7d-4c0e-9a51-3f7f2f1c2d3e`);
      await withServices(io, async ({ services, ctx }) => {
        await services.accounts.revokeApiToken(id, null, ctx);
        io.out(`Revoked API token ${id}.\n`);
      });
    });
}
