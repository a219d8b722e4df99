import { type Actor, type Role, ROLES } from '../../domain/access/roles.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import type { ApiTokenRecord, UserRecord } from './ports.ts';

export interface PasswordHasherPort {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | null): Promise<boolean>;
}

export interface SecretsPort {
  newToken(prefix?: string): string;
  hash(token: string): string;
}

export interface AccountsSettings {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  signInMaxAttempts: number;
  /** The window in which failed attempts count towards a lock-out. */
  signInWindowMs: number;
  setupLinkTtlMs: number;
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type SignInResult =
  | { ok: true; user: UserRecord; sessionToken: string }
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled' };

export type SessionLookup =
  | { ok: true; user: UserRecord; actor: Actor }
  | { ok: false; reason: 'unknown' | 'idle' | 'expired' | 'disabled' };

export function validatePassword(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  return null;
}

export function toActor(user: UserRecord): Actor {
  return { id: user.id, name: user.name, roles: user.roles };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class AccountsService {
  private readonly uow: UnitOfWork;
  private readonly hasher: PasswordHasherPort;
  private readonly secrets: SecretsPort;
  private readonly clock: Clock;
  private readonly settings: AccountsSettings;

  constructor(deps: { uow: UnitOfWork; hasher: PasswordHasherPort; secrets: SecretsPort; clock: Clock; settings: AccountsSettings }) {
    this.uow = deps.uow;
    this.hasher = deps.hasher;
    this.secrets = deps.secrets;
    this.clock = deps.clock;
    this.settings = deps.settings;
  }

  async createUser(
    input: { email: string; name: string; roles: Role[]; password: string | null },
    ctx: RequestContext,
  ): Promise<UserRecord> {
    const email = input.email.trim();
    const name = input.name.trim();
    if (!EMAIL.test(email)) throw new DomainError('INVALID_EMAIL', 'Enter an email address in the correct format, like name@example.gov.uk', 'email');
    if (!name) throw new DomainError('NAME_REQUIRED', 'Enter the person’s full name', 'name');
    if (input.roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
    const unknown = input.roles.filter((r) => !ROLES.includes(r));
    if (unknown.length) throw new DomainError('UNKNOWN_ROLE', `Unknown role: ${unknown.join(', ')}`, 'roles');
    if (input.password !== null) {
      const problem = validatePassword(input.password);
      if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
    }
    const passwordHash = input.password === null ? null : await this.hasher.hash(input.password);
    return this.uow.run(async ({ accounts, audit }) => {
      if (await accounts.findUserByEmail(email)) {
        throw new ConflictError('An account with this email address already exists', 'email');
      }
      const user = await accounts.insertUser({ email, name, roles: [...new Set(input.roles)], passwordHash });
      await audit.record({
        action: 'user.create',
        actor: ctx.actor,
        requestId: ctx.requestId,
        subject: { type: 'user', id: user.id },
        outcome: 'success',
        details: { roles: user.roles },
      });
      return user;
    });
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.uow.run(({ accounts }) => accounts.listUsers());
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    return this.uow.run(({ accounts }) => accounts.findUserByEmail(email));
  }

  async getUser(id: string): Promise<UserRecord> {
    const user = await this.uow.run(({ accounts }) => accounts.findUserById(id));
    if (!user) throw new NotFoundError('The account');
    return user;
  }

  async usersWithRole(role: Role): Promise<UserRecord[]> {
    return this.uow.run(({ accounts }) => accounts.listUsersWithRole(role));
  }

  /** Disabling ends every session and revokes nothing else: tokens stop working because the user is disabled. */
  async disableUser(userId: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.disabledAt) return;
      if (user.roles.includes('admin') && (await accounts.countActiveAdmins()) <= 1) {
        throw new DomainError('LAST_ADMIN', 'You cannot disable the only active administrator');
      }
      await accounts.updateUser(userId, { disabledAt: this.clock.now() });
      const ended = await accounts.deleteSessionsForUser(userId);
      await audit.record({
        action: 'user.disable',
        actor: ctx.actor,
        requestId: ctx.requestId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { sessionsEnded: ended },
      });
    });
  }

  async enableUser(userId: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      await accounts.updateUser(userId, { disabledAt: null });
      await audit.record({ action: 'user.enable', actor: ctx.actor, requestId: ctx.requestId, subject: { type: 'user', id: userId }, outcome: 'success' });
    });
  }

  async setRoles(userId: string, roles: Role[], ctx: RequestContext): Promise<void> {
    if (roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.roles.includes('admin') && !roles.includes('admin') && (await accounts.countActiveAdmins()) <= 1) {
        throw new DomainError('LAST_ADMIN', 'You cannot remove the administrator role from the only active administrator', 'roles');
      }
      await accounts.updateUser(userId, { roles: [...new Set(roles)] });
      await audit.record({
        action: 'user.roles',
        actor: ctx.actor,
        requestId: ctx.requestId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { from: user.roles, to: roles },
      });
    });
  }

  async signIn(email: string, password: string, ctx: { requestId?: string | undefined }): Promise<SignInResult> {
    const now = this.clock.now();
    const user = await this.uow.run(({ accounts }) => accounts.findUserByEmail(email.trim()));
    const failures = user
      ? await this.uow.run(({ accounts }) =>
          accounts.countSignInFailuresSince(user.id, new Date(now.getTime() - this.settings.signInWindowMs)),
        )
      : 0;
    // Always run the hash, so timing does not reveal whether the account exists or is locked.
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? null);
    const outcome: SignInResult = !user
      ? { ok: false, reason: 'invalid' }
      : failures >= this.settings.signInMaxAttempts
        ? { ok: false, reason: 'locked' }
        : !passwordOk
          ? { ok: false, reason: 'invalid' }
          : user.disabledAt
            ? { ok: false, reason: 'disabled' }
            : { ok: true, user, sessionToken: this.secrets.newToken() };
    await this.uow.run(async ({ accounts, audit }) => {
      if (outcome.ok) await accounts.insertSession(this.secrets.hash(outcome.sessionToken), outcome.user.id, now);
      await audit.record({
        action: 'sign-in',
        actor: user ? { id: user.id, label: user.name } : { id: null, label: 'unknown account' },
        requestId: ctx.requestId,
        subject: user ? { type: 'user', id: user.id } : undefined,
        outcome: outcome.ok ? 'success' : 'failure',
        details: outcome.ok ? {} : { reason: outcome.reason },
      });
    });
    return outcome;
  }

  async signOut(sessionToken: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      await accounts.deleteSession(this.secrets.hash(sessionToken));
      await audit.record({ action: 'sign-out', actor: ctx.actor, requestId: ctx.requestId, outcome: 'success' });
    });
  }

  /** Idle and absolute time-outs; a disabled account has no sessions, but check anyway. */
  async resolveSession(sessionToken: string): Promise<SessionLookup> {
    const idHash = this.secrets.hash(sessionToken);
    const now = this.clock.now().getTime();
    return this.uow.run(async ({ accounts }) => {
      const session = await accounts.findSession(idHash);
      if (!session) return { ok: false, reason: 'unknown' };
      if (now - session.createdAt.getTime() > this.settings.sessionAbsoluteMs) {
        await accounts.deleteSession(idHash);
        return { ok: false, reason: 'expired' };
      }
      if (now - session.lastSeenAt.getTime() > this.settings.sessionIdleMs) {
        await accounts.deleteSession(idHash);
        return { ok: false, reason: 'idle' };
      }
      const user = await accounts.findUserById(session.userId);
      if (!user || user.disabledAt) {
        await accounts.deleteSession(idHash);
        return { ok: false, reason: 'disabled' };
      }
      // Write at most once a minute: a page with many assets should not write for each one.
      if (now - session.lastSeenAt.getTime() > 60_000) await accounts.touchSession(idHash, new Date(now));
      return { ok: true, user, actor: toActor(user) };
    });
  }

  async createApiToken(
    userId: string,
    label: string,
    expiresInDays: number | null,
    ctx: RequestContext,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    if (!label.trim()) throw new DomainError('LABEL_REQUIRED', 'Enter a name for the token, such as the system that will use it', 'label');
    const token = this.secrets.newToken('cpcr_');
    const expiresAt = expiresInDays === null ? null : new Date(this.clock.now().getTime() + expiresInDays * 86_400_000);
    return this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.disabledAt) throw new DomainError('USER_DISABLED', 'This account is disabled');
      const record = await accounts.insertApiToken({ userId, label: label.trim(), tokenHash: this.secrets.hash(token), expiresAt });
      await audit.record({
        action: 'api-token.create',
        actor: ctx.actor,
        requestId: ctx.requestId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { tokenId: record.id },
      });
      return { token, record };
    });
  }

  async listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    return this.uow.run(({ accounts }) => accounts.listApiTokens(userId));
  }

  async revokeApiToken(tokenId: string, ownerId: string | null, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      if (ownerId !== null) {
        const mine = await accounts.listApiTokens(ownerId);
        if (!mine.some((t) => t.id === tokenId)) throw new NotFoundError('The token');
      }
      const revoked = await accounts.revokeApiToken(tokenId, this.clock.now());
      if (!revoked) throw new NotFoundError('An active token with that id');
      await audit.record({ action: 'api-token.revoke', actor: ctx.actor, requestId: ctx.requestId, subject: { type: 'api-token', id: tokenId }, outcome: 'success' });
    });
  }

  async resolveApiToken(token: string): Promise<{ ok: true; user: UserRecord; actor: Actor; tokenId: string } | { ok: false }> {
    const now = this.clock.now();
    return this.uow.run(async ({ accounts }) => {
      const record = await accounts.findApiTokenByHash(this.secrets.hash(token));
      if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return { ok: false };
      const user = await accounts.findUserById(record.userId);
      if (!user || user.disabledAt) return { ok: false };
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000) await accounts.touchApiToken(record.id, now);
      return { ok: true, user, actor: toActor(user), tokenId: record.id };
    });
  }

  /** First run: a one-time link to create the first administrator, only while none exists. */
  async createSetupLinkIfNeeded(ctx: RequestContext): Promise<string | null> {
    return this.uow.run(async ({ accounts, audit }) => {
      if ((await accounts.countActiveAdmins()) > 0) return null;
      const token = this.secrets.newToken();
      await accounts.insertSetupToken(this.secrets.hash(token), new Date(this.clock.now().getTime() + this.settings.setupLinkTtlMs));
      await audit.record({ action: 'setup-link.create', actor: ctx.actor, requestId: ctx.requestId, outcome: 'success' });
      return token;
    });
  }

  async setupTokenUsable(token: string): Promise<boolean> {
    return this.uow.run(async ({ accounts }) =>
      (await accounts.countActiveAdmins()) === 0 && accounts.setupTokenUsable(this.secrets.hash(token), this.clock.now()),
    );
  }

  async completeSetup(
    token: string,
    input: { email: string; name: string; password: string },
    ctx: { requestId?: string | undefined },
  ): Promise<UserRecord> {
    const problem = validatePassword(input.password);
    if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
    const passwordHash = await this.hasher.hash(input.password);
    return this.uow.run(async ({ accounts, audit }) => {
      const consumed = await accounts.consumeSetupToken(this.secrets.hash(token), this.clock.now());
      if (!consumed || (await accounts.countActiveAdmins()) > 0) {
        throw new DomainError('SETUP_LINK_INVALID', 'This set-up link has expired or has already been used');
      }
      const email = input.email.trim();
      if (!EMAIL.test(email)) throw new DomainError('INVALID_EMAIL', 'Enter an email address in the correct format, like name@example.gov.uk', 'email');
      if (!input.name.trim()) throw new DomainError('NAME_REQUIRED', 'Enter your full name', 'name');
      if (await accounts.findUserByEmail(email)) throw new ConflictError('An account with this email address already exists', 'email');
      const user = await accounts.insertUser({ email, name: input.name.trim(), roles: ['admin'], passwordHash });
      await audit.record({
        action: 'user.create',
        actor: { id: user.id, label: user.name },
        requestId: ctx.requestId,
        subject: { type: 'user', id: user.id },
        outcome: 'success',
        details: { roles: ['admin'], via: 'setup-link' },
      });
      return user;
    });
  }
}
