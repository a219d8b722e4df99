/** One user's page for administrators: details, roles and the account's actions, each form re-rendered with its errors. */
import type { FastifyReply } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { ROLES, ROLE_LABELS } from '../../../domain/access/roles.ts';

export const ADMIN = { access: ['admin'] as const };

export const roleItems = (selected: string[]) =>
  ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: selected.includes(r) }));

export interface UserPageState {
  errors?: unknown;
  values?: Record<string, unknown>;
  roles?: string[];
}

export async function userPage(accounts: AccountsService, id: string, extra: UserPageState = {}) {
  const user = await accounts.getUser(id);
  return {
    title: user.name,
    user,
    values: extra.values ?? { name: user.name, email: user.email },
    errors: extra.errors,
    roleItems: roleItems(extra.roles ?? user.roles),
  };
}

/** The user's page again with a form's problems (400). */
export async function userPageWithErrors(
  reply: FastifyReply,
  accounts: AccountsService,
  id: string,
  extra: UserPageState,
) {
  reply.code(400);
  return reply.view('admin/user.njk', await userPage(accounts, id, extra));
}
