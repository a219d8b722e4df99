/** Accounts administration: people, their details, whether they may sign in, and their roles. */
import { type Role, ROLES } from '../../domain/access/roles.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { UserRecord } from './ports.ts';
import type { AccountsDeps } from './accounts-model.ts';
import { validatePassword, EMAIL } from './accounts-model.ts';

/**
 * `mustChangePassword`: the password was chosen by an administrator or an operator (the pages and the
 * CLI set it), so the person has to choose their own at first sign-in before anything else.
 */
export async function createUser(
  deps: AccountsDeps,
  input: { email: string; name: string; roles: Role[]; password: string | null; mustChangePassword?: boolean },
  ctx: RequestContext,
): Promise<UserRecord> {
  const email = input.email.trim();
  const name = input.name.trim();
  if (!EMAIL.test(email))
    throw new DomainError(
      'INVALID_EMAIL',
      'Enter an email address in the correct format, like name@example.gov.uk',
      'email',
    );
  if (!name) throw new DomainError('NAME_REQUIRED', 'Enter the person’s full name', 'name');
  if (input.roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
  const unknown = input.roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) throw new DomainError('UNKNOWN_ROLE', `Unknown role: ${unknown.join(', ')}`, 'roles');
  if (input.password !== null) {
    const problem = validatePassword(input.password);
    if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
  }
  const passwordHash = input.password === null ? null : await deps.hasher.hash(input.password);
  return deps.uow.run(async ({ accounts, audit }) => {
    if (await accounts.findUserByEmail(email)) {
      throw new ConflictError('An account with this email address already exists', 'email');
    }
    const mustChangePassword = passwordHash !== null && input.mustChangePassword === true;
    const user = await accounts.insertUser({
      email,
      name,
      roles: [...new Set(input.roles)],
      passwordHash,
      mustChangePassword,
    });
    await audit.record({
      action: 'user.create',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: user.id },
      outcome: 'success',
      details: { roles: user.roles, temporaryPassword: mustChangePassword },
    });
    return user;
  });
}

export async function listUsers(deps: AccountsDeps): Promise<UserRecord[]> {
  return deps.uow.run(({ accounts }) => accounts.listUsers());
}

export async function findUserByEmail(deps: AccountsDeps, email: string): Promise<UserRecord | null> {
  return deps.uow.run(({ accounts }) => accounts.findUserByEmail(email));
}

export async function getUser(deps: AccountsDeps, id: string): Promise<UserRecord> {
  const user = await deps.uow.run(({ accounts }) => accounts.findUserById(id));
  if (!user) throw new NotFoundError('The account');
  return user;
}

/**
 * Whether the person signs in with their council account (joined to the council's identity provider): their
 * password is the council's, so this service neither resets nor changes one for them.
 */
export async function signsInWithCouncil(deps: AccountsDeps, userId: string): Promise<boolean> {
  return deps.uow.run(async ({ councilSignIn }) => (await councilSignIn.identityOfUser(userId)) !== null);
}

export async function usersWithRole(deps: AccountsDeps, role: Role): Promise<UserRecord[]> {
  return deps.uow.run(({ accounts }) => accounts.listUsersWithRole(role));
}

/** An administrator corrects a person's name or email address (unique, whatever the case). */
export async function updateDetails(
  deps: AccountsDeps,
  userId: string,
  input: { name: string; email: string },
  ctx: RequestContext,
): Promise<UserRecord> {
  const email = input.email.trim();
  const name = input.name.trim();
  if (!name) throw new DomainError('NAME_REQUIRED', 'Enter the person’s full name', 'name');
  if (!EMAIL.test(email))
    throw new DomainError(
      'INVALID_EMAIL',
      'Enter an email address in the correct format, like name@example.gov.uk',
      'email',
    );
  return deps.uow.run(async ({ accounts, audit }) => {
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    const holder = await accounts.findUserByEmail(email);
    if (holder && holder.id !== userId)
      throw new ConflictError('Another account already uses this email address', 'email');
    const changed = [...(name !== user.name ? ['name'] : []), ...(email !== user.email ? ['email'] : [])];
    if (changed.length === 0) return user;
    await accounts.updateUser(userId, { name, email });
    // Which details changed, not their values: the audit trail names the account, the account holds the rest.
    await audit.record({
      action: 'user.details',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { changed },
    });
    return { ...user, name, email };
  });
}

/** Disabling ends every session and revokes every API token, so re-enabling the account does not bring them back. */
export async function disableUser(deps: AccountsDeps, userId: string, ctx: RequestContext): Promise<void> {
  await deps.uow.run(async ({ accounts, audit }) => {
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    if (user.disabledAt) return;
    if (user.roles.includes('admin') && (await accounts.countActiveAdmins()) <= 1) {
      throw new DomainError('LAST_ADMIN', 'You cannot disable the only active administrator');
    }
    const now = deps.clock.now();
    await accounts.updateUser(userId, { disabledAt: now });
    const ended = await accounts.deleteSessionsForUser(userId);
    const tokensRevoked = await accounts.revokeApiTokensForUser(userId, now);
    await audit.record({
      action: 'user.disable',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { sessionsEnded: ended, tokensRevoked },
    });
  });
}

export async function enableUser(deps: AccountsDeps, userId: string, ctx: RequestContext): Promise<void> {
  await deps.uow.run(async ({ accounts, audit }) => {
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    if (!user.disabledAt) return;
    await accounts.updateUser(userId, { disabledAt: null });
    // Tokens issued before the account was disabled stay dead (accounts disabled before tokens were revoked on disabling too).
    const tokensRevoked = await accounts.revokeApiTokensForUser(userId, deps.clock.now());
    await audit.record({
      action: 'user.enable',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { tokensRevoked },
    });
  });
}

export async function setRoles(deps: AccountsDeps, userId: string, roles: Role[], ctx: RequestContext): Promise<void> {
  if (roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
  await deps.uow.run(async ({ accounts, audit }) => {
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    if (user.roles.includes('admin') && !roles.includes('admin') && (await accounts.countActiveAdmins()) <= 1) {
      throw new DomainError(
        'LAST_ADMIN',
        'You cannot remove the administrator role from the only active administrator',
        'roles',
      );
    }
    await accounts.updateUser(userId, { roles: [...new Set(roles)] });
    await audit.record({
      action: 'user.roles',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { from: user.roles, to: roles },
    });
  });
}
