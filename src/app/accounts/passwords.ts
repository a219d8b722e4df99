/** Passwords: the first administrator's setup link, a person changing their own, and reset links. */
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { londonDateTime } from '../requests/delivery-service.ts';
import type { UserRecord } from './ports.ts';
import type { AccountsDeps, ResetLinkResult } from './accounts-model.ts';
import {
  RESET_LINK_PATH,
  COUNCIL_PASSWORD_RESET,
  COUNCIL_PASSWORD_OWN,
  validatePassword,
  EMAIL,
} from './accounts-model.ts';
import { getUser, signsInWithCouncil } from './users-admin.ts';

/** First run: a one-time link to create the first administrator, only while none exists. */
export async function createSetupLinkIfNeeded(deps: AccountsDeps, ctx: RequestContext): Promise<string | null> {
  return deps.uow.run(async ({ accounts, audit }) => {
    if ((await accounts.countActiveAdmins()) > 0) return null;
    const token = deps.secrets.newToken();
    await accounts.insertSetupToken(
      deps.secrets.hash(token),
      new Date(deps.clock.now().getTime() + deps.settings.setupLinkTtlMs),
    );
    await audit.record({
      action: 'setup-link.create',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      outcome: 'success',
    });
    return token;
  });
}

export async function setupTokenUsable(deps: AccountsDeps, token: string): Promise<boolean> {
  return deps.uow.run(
    async ({ accounts }) =>
      (await accounts.countActiveAdmins()) === 0 &&
      (await accounts.findUsableSetupToken(deps.secrets.hash(token), deps.clock.now(), 'first-admin')) !== null,
  );
}

export async function completeSetup(
  deps: AccountsDeps,
  token: string,
  input: { email: string; name: string; password: string },
  ctx: { correlationId?: string | undefined },
): Promise<UserRecord> {
  const problem = validatePassword(input.password);
  if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
  const passwordHash = await deps.hasher.hash(input.password);
  return deps.uow.run(async ({ accounts, audit }) => {
    const consumed = await accounts.consumeSetupToken(deps.secrets.hash(token), deps.clock.now(), 'first-admin');
    if (!consumed || (await accounts.countActiveAdmins()) > 0) {
      throw new DomainError('SETUP_LINK_INVALID', 'This set-up link has expired or has already been used');
    }
    const email = input.email.trim();
    if (!EMAIL.test(email))
      throw new DomainError(
        'INVALID_EMAIL',
        'Enter an email address in the correct format, like name@example.gov.uk',
        'email',
      );
    if (!input.name.trim()) throw new DomainError('NAME_REQUIRED', 'Enter your full name', 'name');
    if (await accounts.findUserByEmail(email))
      throw new ConflictError('An account with this email address already exists', 'email');
    const user = await accounts.insertUser({ email, name: input.name.trim(), roles: ['admin'], passwordHash });
    await audit.record({
      action: 'user.create',
      actor: { id: user.id, label: user.name },
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: user.id },
      outcome: 'success',
      details: { roles: ['admin'], via: 'setup-link' },
    });
    return user;
  });
}

// Passwords: changed by their owner, or reset by an administrator with a one-time link.

/**
 * The signed-in person changes their own password: the current one is required, the new one follows
 * the set-up rules, and every other session of theirs ends (this one stays signed in).
 */
export async function changePassword(
  deps: AccountsDeps,
  userId: string,
  sessionToken: string,
  input: { currentPassword: string; newPassword: string },
  ctx: RequestContext,
): Promise<void> {
  const user = await getUser(deps, userId);
  if (await signsInWithCouncil(deps, userId))
    throw new DomainError('COUNCIL_ACCOUNT', COUNCIL_PASSWORD_OWN, 'currentPassword');
  const currentOk = await deps.hasher.verify(input.currentPassword, user.passwordHash);
  if (!currentOk) {
    await deps.uow.run(({ audit }) =>
      audit.record({
        action: 'user.password-change',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'failure',
        details: { reason: 'current-password' },
      }),
    );
    throw new DomainError('WRONG_PASSWORD', 'Your current password is not correct', 'currentPassword');
  }
  const problem = validatePassword(input.newPassword);
  if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'newPassword');
  if (input.newPassword === input.currentPassword)
    throw new DomainError(
      'SAME_PASSWORD',
      'Your new password must be different from your current password',
      'newPassword',
    );
  const passwordHash = await deps.hasher.hash(input.newPassword);
  await deps.uow.run(async ({ accounts, audit }) => {
    const now = deps.clock.now();
    await accounts.updateUser(userId, { passwordHash, mustChangePassword: false });
    const sessionsEnded = await accounts.deleteOtherSessions(userId, deps.secrets.hash(sessionToken));
    await accounts.retireSetupTokensForUser(userId, now);
    await audit.record({
      action: 'user.password-change',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { sessionsEnded, wasTemporary: user.mustChangePassword },
    });
  });
}

/**
 * An administrator (or an operator with the CLI) resets a person's password. The old password stops
 * working and their sessions end at once; a one-time link (24 hours, single use, stored hashed, any
 * earlier link cancelled) lets the person choose a new one. Nobody else ever sets or sees the password.
 * The link is emailed when the service sends email; with MAIL_TRANSPORT=outbox nothing would reach the
 * person, so the link is returned to be shown once (and never kept in the outbox).
 */
export async function resetPassword(
  deps: AccountsDeps,
  userId: string,
  ctx: RequestContext,
  opts: { delivery: 'email-if-possible' | 'show-once' } = { delivery: 'email-if-possible' },
): Promise<ResetLinkResult> {
  const token = deps.secrets.newToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.settings.setupLinkTtlMs);
  const link = `${deps.settings.publicBaseUrl}${RESET_LINK_PATH}${token}`;
  const email = opts.delivery === 'email-if-possible' && deps.mail.transportName !== 'outbox';
  const { messageId, user } = await deps.uow.run(async (repos) => {
    const { accounts, audit } = repos;
    const user = await accounts.findUserById(userId);
    if (!user) throw new NotFoundError('The account');
    if (user.disabledAt) throw new DomainError('USER_DISABLED', 'Enable the account before resetting its password');
    // A password here would be a second way in, round the council's own sign-in and its checks.
    if (await repos.councilSignIn.identityOfUser(userId))
      throw new DomainError('COUNCIL_ACCOUNT', COUNCIL_PASSWORD_RESET);
    await accounts.retireSetupTokensForUser(userId, now);
    await accounts.insertSetupToken(deps.secrets.hash(token), expiresAt, userId);
    await accounts.updateUser(userId, { passwordHash: null, mustChangePassword: false });
    const sessionsEnded = await accounts.deleteSessionsForUser(userId);
    await audit.record({
      action: 'user.password-reset',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: userId },
      outcome: 'success',
      details: { sessionsEnded, delivery: email ? 'emailed' : 'shown-once', expiresAt: expiresAt.toISOString() },
    });
    if (!email) return { messageId: null, user };
    const queued = await deps.mail.queueWithin(repos, {
      template: 'password-reset',
      to: user.email,
      values: { person_name: user.name, reset_link: link, expires_at: londonDateTime(expiresAt) },
      about: { subjectType: 'user', subjectId: userId, ctx },
    });
    return { messageId: queued.messageId, user };
  });
  if (messageId === null) return { delivery: 'show-once', link, expiresAt, user };
  await deps.mail.dispatch(messageId);
  return { delivery: 'emailed', expiresAt };
}

/** Who a password link is for, while it can still be used. */
export async function passwordLinkFor(deps: AccountsDeps, token: string): Promise<UserRecord | null> {
  return deps.uow.run(async ({ accounts }) => {
    const link = await accounts.findUsableSetupToken(deps.secrets.hash(token), deps.clock.now(), 'password');
    if (!link?.userId) return null;
    const user = await accounts.findUserById(link.userId);
    return user && !user.disabledAt ? user : null;
  });
}

/** The person sets their new password with the link: used once; every session of theirs ends. */
export async function completePasswordReset(
  deps: AccountsDeps,
  token: string,
  newPassword: string,
  ctx: { correlationId?: string | undefined },
): Promise<UserRecord> {
  const problem = validatePassword(newPassword);
  if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
  const passwordHash = await deps.hasher.hash(newPassword);
  return deps.uow.run(async ({ accounts, audit, councilSignIn }) => {
    const now = deps.clock.now();
    const consumed = await accounts.consumeSetupToken(deps.secrets.hash(token), now, 'password');
    const user = consumed?.userId ? await accounts.findUserById(consumed.userId) : null;
    if (!user || user.disabledAt)
      throw new DomainError('PASSWORD_LINK_INVALID', 'This link has expired or has already been used');
    if (await councilSignIn.identityOfUser(user.id))
      throw new DomainError('COUNCIL_ACCOUNT', COUNCIL_PASSWORD_OWN, 'password');
    await accounts.updateUser(user.id, { passwordHash, mustChangePassword: false });
    const sessionsEnded = await accounts.deleteSessionsForUser(user.id);
    await audit.record({
      action: 'user.password-set',
      actor: { id: user.id, label: user.name },
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: user.id },
      outcome: 'success',
      details: { via: 'reset-link', sessionsEnded },
    });
    return user;
  });
}
