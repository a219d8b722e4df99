/** Administrators' pages for people's accounts: the list, adding one, and one user's details, roles and actions. */
import type { FastifyInstance } from 'fastify';
import { accountActions } from './account-actions.ts';
import { userPages } from './user.ts';
import { usersPages } from './users.ts';
import { lineManagerForm } from './line-manager.ts';
import type { AdminDeps } from './user-page.ts';

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { accounts } = deps;
  usersPages(app, { accounts });
  userPages(app, deps);
  accountActions(app, deps);
  lineManagerForm(app, deps);
}
