/** One user's page for administrators: details, roles and the account's actions, each form re-rendered with its errors. */
import type { FastifyReply } from 'fastify';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { ChairingService } from '../../../app/conferences/chairing/service.ts';
import type { CouncilSignInService } from '../../../app/accounts/council-sign-in.ts';
import { ROLES, ROLE_LABELS } from '../../../domain/access/roles.ts';

export const ADMIN = { access: ['admin'] as const };

export const roleItems = (selected: string[]) =>
  ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: selected.includes(r) }));

export interface UserPageState {
  errors?: unknown;
  values?: Record<string, unknown>;
  roles?: string[];
}

/** What the account pages use: the accounts, and the line managers (002 §4.1) where the service has them. */
export interface AdminDeps {
  accounts: AccountsService;
  chairing?: Pick<ChairingService, 'lineManager' | 'setLineManager'> | undefined;
  /** Council sign-in, when configured: whether the person signs in with their council account. */
  councilSignIn?: Pick<CouncilSignInService, 'identityOf'> | undefined;
}

export async function userPage(
  { accounts, chairing, councilSignIn }: AdminDeps,
  id: string,
  extra: UserPageState = {},
) {
  const user = await accounts.getUser(id);
  const councilIdentity = councilSignIn ? await councilSignIn.identityOf(id) : null;
  // The summary shows the saved line manager; the form, after a refusal, what was chosen.
  const savedLineManagerId = chairing ? await chairing.lineManager(id) : null;
  const lineManagerId = (extra.values?.['lineManagerId'] as string | undefined) ?? savedLineManagerId;
  const others = chairing ? (await accounts.listUsers()).filter((u) => u.id !== id && !u.disabledAt) : [];
  return {
    // 002 §4.1: the line manager, so a chair who manages a child's social worker is warned about.
    lineManager: chairing
      ? {
          name: others.find((u) => u.id === savedLineManagerId)?.name ?? null,
          items: [
            { value: '', text: 'No line manager' },
            ...others.map((u) => ({ value: u.id, text: u.name, selected: u.id === lineManagerId })),
          ],
        }
      : null,
    title: user.name,
    user,
    // Signs in with their council account: when they last did, instead of a password they never had.
    councilIdentity,
    // Their password is the council's: no reset here (the service refuses one too).
    councilAccount: await accounts.signsInWithCouncil(id),
    // A refused form keeps what was typed; the account's other forms still show what is saved.
    values: { name: user.name, email: user.email, ...extra.values },
    errors: extra.errors,
    roleItems: roleItems(extra.roles ?? user.roles),
  };
}

/** The user's page again with a form's problems (400). */
export async function userPageWithErrors(reply: FastifyReply, deps: AdminDeps, id: string, extra: UserPageState) {
  reply.code(400);
  return reply.view('admin/user.njk', await userPage(deps, id, extra));
}
