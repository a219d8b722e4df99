/** A signed-in person's own account: their details, API tokens and password. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { changePasswordPage } from './change-password.ts';
import { accountPage } from './tokens.ts';

export async function accountRoutes(app: FastifyInstance, { accounts }: { accounts: AccountsService }): Promise<void> {
  accountPage(app, { accounts });
  changePasswordPage(app, { accounts });
}
