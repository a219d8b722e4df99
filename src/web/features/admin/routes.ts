/** Administrators' pages for people's accounts: the list, adding one, and one user's details, roles and actions. */
import type { FastifyInstance } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { accountActions } from './account-actions.ts';
import { userPages } from './user.ts';
import { usersPages } from './users.ts';

export async function adminRoutes(app: FastifyInstance, { accounts }: { accounts: AccountsService }): Promise<void> {
  usersPages(app, { accounts });
  userPages(app, { accounts });
  accountActions(app, { accounts });
}
