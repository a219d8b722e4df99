import { type Actor, type Role, ROLES } from '../../domain/access/roles.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import { londonDateTime } from '../requests/delivery-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { ApiTokenRecord, UserRecord } from './ports.ts';

export interface PasswordHasherPort {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | null): Promise<boolean>;
}

export interface SecretsPort {
  newToken(prefix?: string): string;
  hash(token: string): string;
}

/** How a password reset link reaches the person: by email, unless the service sends none (MAIL_TRANSPORT=outbox). */
export interface AccountsMailPort {
  readonly transportName: 'outbox' | 'smtp' | 'notify';
  queueWithin(repos: Repositories, email: EmailToQueue): Promise<{ messageId: string }>;
  dispatch(...messageIds: string[]): Promise<void>;
}

export interface AccountsSettings {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Failed sign-ins against one account from one client address before that address is locked out of it. */
  signInMaxAttempts: number;
  /** The window in which failed attempts count towards a lock-out. */
  signInWindowMs: number;
  setupLinkTtlMs: number;
  /** Where links printed or emailed by the service point, e.g. https://cpcr.example.gov.uk */
  publicBaseUrl: string;
  /** How long a form posted after its session ended is kept for its author. */
  keptFormTtlMs: number;
  /** OIDC_ONLY: everyone else signs in with the council's provider; a password works for administrators only (break-glass). */
  passwordSignInForAdministratorsOnly?: boolean;
}

/**
 * Lock-outs (see `signIn`). An address is stopped for every account after this many times the per-account
 * limit, so one client cannot guess across many accounts; an account is locked for every address after
 * `ACCOUNT_WIDE_FACTOR` times the limit, so guessing spread over many addresses is bounded too.
 */
export const ADDRESS_WIDE_FACTOR = 3;
export const ACCOUNT_WIDE_FACTOR = 10;

export const RESET_LINK_PATH = '/set-password/';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Refusals for an account that signs in through the council's identity provider: its password is the council's. */
export const COUNCIL_PASSWORD_RESET =
  'This person signs in with their council account, so there is no password here to reset. The council’s IT service desk resets council passwords';
export const COUNCIL_PASSWORD_OWN =
  'You sign in with your council account, so there is no password here to change. Change your council password with the council’s IT service desk';

export type SignInResult =
  | { ok: true; user: UserRecord; sessionToken: string }
  /** `throttled`: the client address has failed too often, whatever the account (says nothing about any account). */
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled' | 'throttled' };

export type SessionLookup =
  /** `secondFactorDue`: started with a password, the session waits for the second factor and is good for nothing else. */
  | { ok: true; user: UserRecord; actor: Actor; secondFactorDue: boolean }
  /** `userId`: whose session timed out, so a form they posted can be kept for them alone. */
  | { ok: false; reason: 'unknown' | 'idle' | 'expired' | 'disabled'; userId?: string };

/** The reset link and how it reached the person: emailed, or (no email service) to be given to them by hand. */
export type ResetLinkResult =
  | { delivery: 'emailed'; expiresAt: Date }
  /** The link to give the person (`user`) by hand. */
  | { delivery: 'show-once'; link: string; expiresAt: Date; user: UserRecord };

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
  private readonly mail: AccountsMailPort;
  private readonly addressKey: (address: string) => string;

  constructor(deps: {
    uow: UnitOfWork;
    hasher: PasswordHasherPort;
    secrets: SecretsPort;
    clock: Clock;
    settings: AccountsSettings;
    mail: AccountsMailPort;
    /** A keyed hash of a client address: failures are counted per address without storing it. */
    addressKey: (address: string) => string;
  }) {
    this.uow = deps.uow;
    this.hasher = deps.hasher;
    this.secrets = deps.secrets;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.mail = deps.mail;
    this.addressKey = deps.addressKey;
  }

  /**
   * `mustChangePassword`: the password was chosen by an administrator or an operator (the pages and the
   * CLI set it), so the person has to choose their own at first sign-in before anything else.
   */
  async createUser(
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
    const passwordHash = input.password === null ? null : await this.hasher.hash(input.password);
    return this.uow.run(async ({ accounts, audit }) => {
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

  /**
   * Whether the person signs in with their council account (joined to the council's identity provider): their
   * password is the council's, so this service neither resets nor changes one for them.
   */
  async signsInWithCouncil(userId: string): Promise<boolean> {
    return this.uow.run(async ({ councilSignIn }) => (await councilSignIn.identityOfUser(userId)) !== null);
  }

  async usersWithRole(role: Role): Promise<UserRecord[]> {
    return this.uow.run(({ accounts }) => accounts.listUsersWithRole(role));
  }

  /** An administrator corrects a person's name or email address (unique, whatever the case). */
  async updateDetails(
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
    return this.uow.run(async ({ accounts, audit }) => {
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
  async disableUser(userId: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.disabledAt) return;
      if (user.roles.includes('admin') && (await accounts.countActiveAdmins()) <= 1) {
        throw new DomainError('LAST_ADMIN', 'You cannot disable the only active administrator');
      }
      const now = this.clock.now();
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

  async enableUser(userId: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (!user.disabledAt) return;
      await accounts.updateUser(userId, { disabledAt: null });
      // Tokens issued before the account was disabled stay dead (accounts disabled before tokens were revoked on disabling too).
      const tokensRevoked = await accounts.revokeApiTokensForUser(userId, this.clock.now());
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

  async setRoles(userId: string, roles: Role[], ctx: RequestContext): Promise<void> {
    if (roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
    await this.uow.run(async ({ accounts, audit }) => {
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

  /**
   * Lock-outs that neither reveal which emails have accounts nor let one client lock everyone out:
   * - failures are counted per client address and account: after `signInMaxAttempts` that address is
   *   locked out of that account for the window, while the owner, signing in from their own address, is not;
   * - an address that fails `ADDRESS_WIDE_FACTOR` times as often, across any accounts, is stopped for all of
   *   them (password spraying), before it can lock out many people;
   * - an account that fails `ACCOUNT_WIDE_FACTOR` times as often from all addresses together is locked for
   *   everyone, which bounds guessing spread over many addresses.
   * An unknown, locked, disabled account and a wrong password get the same answer, after the same work
   * (a password hash is always computed, against a dummy for unknown emails).
   */
  async signIn(
    email: string,
    password: string,
    ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
  ): Promise<SignInResult> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - this.settings.signInWindowMs);
    const addressKey = this.addressKey(ctx.clientAddress ?? 'unknown');
    const max = this.settings.signInMaxAttempts;
    const { user, addressFailures, accountAddressFailures, accountFailures } = await this.uow.run(
      async ({ accounts }) => {
        const found = await accounts.findUserByEmail(email.trim());
        return {
          user: found,
          addressFailures: await accounts.countAddressFailuresSince(addressKey, since),
          accountAddressFailures: found ? await accounts.countAddressFailuresSince(addressKey, since, found.id) : 0,
          accountFailures: found ? await accounts.countSignInFailuresSince(found.id, since) : 0,
        };
      },
    );
    // Always run the hash, so timing does not reveal whether the account exists or is locked.
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? null);
    const outcome: SignInResult =
      addressFailures >= max * ADDRESS_WIDE_FACTOR
        ? { ok: false, reason: 'throttled' }
        : !user
          ? { ok: false, reason: 'invalid' }
          : accountAddressFailures >= max || accountFailures >= max * ACCOUNT_WIDE_FACTOR
            ? { ok: false, reason: 'locked' }
            : !passwordOk
              ? { ok: false, reason: 'invalid' }
              : user.disabledAt
                ? { ok: false, reason: 'disabled' }
                : this.settings.passwordSignInForAdministratorsOnly && !user.roles.includes('admin')
                  ? { ok: false, reason: 'invalid' }
                  : { ok: true, user, sessionToken: this.secrets.newToken() };
    await this.uow.run(async ({ accounts, audit }) => {
      // A password alone is not enough: the session waits for the second factor (see SecondFactorService).
      if (outcome.ok) await this.insertSession(accounts, outcome.sessionToken, outcome.user.id, now, true);
      else await accounts.recordSignInFailure({ addressKey, userId: user?.id ?? null, at: now }, since);
      await audit.record({
        action: 'sign-in',
        actor: user ? { id: user.id, label: user.name } : { id: null, label: 'unknown account' },
        correlationId: ctx.correlationId,
        subject: user ? { type: 'user', id: user.id } : undefined,
        outcome: outcome.ok ? 'success' : 'failure',
        details: outcome.ok ? {} : { reason: outcome.reason },
      });
    });
    return outcome;
  }

  /**
   * Starts a session for someone whose identity has been checked by other means (a council's single sign-on,
   * or a second factor just given), returning its token for their cookie. `secondFactorDue`: the session
   * must wait for this service's second factor before it is used. The caller audits how they signed in.
   */
  async startSession(userId: string, opts: { secondFactorDue: boolean }): Promise<string> {
    const token = this.secrets.newToken();
    await this.uow.run(({ accounts }) =>
      this.insertSession(accounts, token, userId, this.clock.now(), opts.secondFactorDue),
    );
    return token;
  }

  /** Stores a new session (hashed) and forgets the person's sessions that have ended. */
  private async insertSession(
    accounts: Repositories['accounts'],
    token: string,
    userId: string,
    now: Date,
    secondFactorDue: boolean,
  ): Promise<void> {
    await accounts.insertSession(this.secrets.hash(token), userId, now, { secondFactorDue });
    await accounts.deleteEndedSessions(
      userId,
      new Date(now.getTime() - this.settings.sessionIdleMs),
      new Date(now.getTime() - this.settings.sessionAbsoluteMs),
    );
  }

  async signOut(sessionToken: string, ctx: RequestContext): Promise<void> {
    await this.uow.run(async ({ accounts, audit }) => {
      await accounts.deleteSession(this.secrets.hash(sessionToken));
      await audit.record({
        action: 'sign-out',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
      });
    });
  }

  /** Idle and absolute time-outs; a disabled account has no sessions, but check anyway. An ended session never comes back. */
  async resolveSession(sessionToken: string): Promise<SessionLookup> {
    const idHash = this.secrets.hash(sessionToken);
    const now = this.clock.now().getTime();
    return this.uow.run(async ({ accounts }) => {
      const session = await accounts.findSession(idHash);
      if (!session) return { ok: false, reason: 'unknown' };
      const expiresAt = session.createdAt.getTime() + this.settings.sessionAbsoluteMs;
      const idleAt = session.lastSeenAt.getTime() + this.settings.sessionIdleMs;
      if (now > expiresAt || now > idleAt) {
        const reason = now > expiresAt ? 'expired' : 'idle';
        // The ended session is remembered as long as a form sent with it would be kept, so a stray request
        // in between (another tab, an image) cannot make the next form post lose what was typed.
        if (now - Math.min(expiresAt, idleAt) <= this.settings.keptFormTtlMs)
          return { ok: false, reason, userId: session.userId };
        await accounts.deleteSession(idHash);
        return { ok: false, reason };
      }
      const user = await accounts.findUserById(session.userId);
      if (!user || user.disabledAt) {
        await accounts.deleteSession(idHash);
        return { ok: false, reason: 'disabled' };
      }
      // Write at most once a minute: a page with many assets should not write for each one.
      if (now - session.lastSeenAt.getTime() > 60_000) await accounts.touchSession(idHash, new Date(now));
      return { ok: true, user, actor: toActor(user), secondFactorDue: session.secondFactorDue };
    });
  }

  async createApiToken(
    userId: string,
    label: string,
    expiresInDays: number | null,
    ctx: RequestContext,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    if (!label.trim())
      throw new DomainError(
        'LABEL_REQUIRED',
        'Enter a name for the token, such as the system that will use it',
        'label',
      );
    const token = this.secrets.newToken('cpcr_');
    const expiresAt = expiresInDays === null ? null : new Date(this.clock.now().getTime() + expiresInDays * 86_400_000);
    return this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.disabledAt) throw new DomainError('USER_DISABLED', 'This account is disabled');
      const record = await accounts.insertApiToken({
        userId,
        label: label.trim(),
        tokenHash: this.secrets.hash(token),
        expiresAt,
      });
      await audit.record({
        action: 'api-token.create',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
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
      await audit.record({
        action: 'api-token.revoke',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'api-token', id: tokenId },
        outcome: 'success',
      });
    });
  }

  async resolveApiToken(
    token: string,
  ): Promise<{ ok: true; user: UserRecord; actor: Actor; tokenId: string } | { ok: false }> {
    const now = this.clock.now();
    return this.uow.run(async ({ accounts }) => {
      const record = await accounts.findApiTokenByHash(this.secrets.hash(token));
      if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now)) return { ok: false };
      const user = await accounts.findUserById(record.userId);
      if (!user || user.disabledAt) return { ok: false };
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000)
        await accounts.touchApiToken(record.id, now);
      return { ok: true, user, actor: toActor(user), tokenId: record.id };
    });
  }

  /** First run: a one-time link to create the first administrator, only while none exists. */
  async createSetupLinkIfNeeded(ctx: RequestContext): Promise<string | null> {
    return this.uow.run(async ({ accounts, audit }) => {
      if ((await accounts.countActiveAdmins()) > 0) return null;
      const token = this.secrets.newToken();
      await accounts.insertSetupToken(
        this.secrets.hash(token),
        new Date(this.clock.now().getTime() + this.settings.setupLinkTtlMs),
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

  async setupTokenUsable(token: string): Promise<boolean> {
    return this.uow.run(
      async ({ accounts }) =>
        (await accounts.countActiveAdmins()) === 0 &&
        (await accounts.findUsableSetupToken(this.secrets.hash(token), this.clock.now(), 'first-admin')) !== null,
    );
  }

  async completeSetup(
    token: string,
    input: { email: string; name: string; password: string },
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    const problem = validatePassword(input.password);
    if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
    const passwordHash = await this.hasher.hash(input.password);
    return this.uow.run(async ({ accounts, audit }) => {
      const consumed = await accounts.consumeSetupToken(this.secrets.hash(token), this.clock.now(), 'first-admin');
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
  async changePassword(
    userId: string,
    sessionToken: string,
    input: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ): Promise<void> {
    const user = await this.getUser(userId);
    if (await this.signsInWithCouncil(userId))
      throw new DomainError('COUNCIL_ACCOUNT', COUNCIL_PASSWORD_OWN, 'currentPassword');
    const currentOk = await this.hasher.verify(input.currentPassword, user.passwordHash);
    if (!currentOk) {
      await this.uow.run(({ audit }) =>
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
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.uow.run(async ({ accounts, audit }) => {
      const now = this.clock.now();
      await accounts.updateUser(userId, { passwordHash, mustChangePassword: false });
      const sessionsEnded = await accounts.deleteOtherSessions(userId, this.secrets.hash(sessionToken));
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
  async resetPassword(
    userId: string,
    ctx: RequestContext,
    opts: { delivery: 'email-if-possible' | 'show-once' } = { delivery: 'email-if-possible' },
  ): Promise<ResetLinkResult> {
    const token = this.secrets.newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.setupLinkTtlMs);
    const link = `${this.settings.publicBaseUrl}${RESET_LINK_PATH}${token}`;
    const email = opts.delivery === 'email-if-possible' && this.mail.transportName !== 'outbox';
    const { messageId, user } = await this.uow.run(async (repos) => {
      const { accounts, audit } = repos;
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (user.disabledAt) throw new DomainError('USER_DISABLED', 'Enable the account before resetting its password');
      // A password here would be a second way in, round the council's own sign-in and its checks.
      if (await repos.councilSignIn.identityOfUser(userId))
        throw new DomainError('COUNCIL_ACCOUNT', COUNCIL_PASSWORD_RESET);
      await accounts.retireSetupTokensForUser(userId, now);
      await accounts.insertSetupToken(this.secrets.hash(token), expiresAt, userId);
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
      const queued = await this.mail.queueWithin(repos, {
        template: 'password-reset',
        to: user.email,
        values: { person_name: user.name, reset_link: link, expires_at: londonDateTime(expiresAt) },
        about: { subjectType: 'user', subjectId: userId, ctx },
      });
      return { messageId: queued.messageId, user };
    });
    if (messageId === null) return { delivery: 'show-once', link, expiresAt, user };
    await this.mail.dispatch(messageId);
    return { delivery: 'emailed', expiresAt };
  }

  /** Who a password link is for, while it can still be used. */
  async passwordLinkFor(token: string): Promise<UserRecord | null> {
    return this.uow.run(async ({ accounts }) => {
      const link = await accounts.findUsableSetupToken(this.secrets.hash(token), this.clock.now(), 'password');
      if (!link?.userId) return null;
      const user = await accounts.findUserById(link.userId);
      return user && !user.disabledAt ? user : null;
    });
  }

  /** The person sets their new password with the link: used once; every session of theirs ends. */
  async completePasswordReset(
    token: string,
    newPassword: string,
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    const problem = validatePassword(newPassword);
    if (problem) throw new DomainError('WEAK_PASSWORD', problem, 'password');
    const passwordHash = await this.hasher.hash(newPassword);
    return this.uow.run(async ({ accounts, audit, councilSignIn }) => {
      const now = this.clock.now();
      const consumed = await accounts.consumeSetupToken(this.secrets.hash(token), now, 'password');
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

  // Forms posted after the session ended: kept for their author alone, briefly, then sent again.

  get keptFormTtlMs(): number {
    return this.settings.keptFormTtlMs;
  }

  /** The idle time-out, for the warning shown before it (WCAG 2.2.1). */
  get sessionIdleMs(): number {
    return this.settings.sessionIdleMs;
  }

  /** Keeps what was posted to `path` by the person whose session ended; returns the key for their browser. */
  async keepForm(
    userId: string,
    path: string,
    fields: Record<string, string | string[]>,
    ctx: { correlationId?: string | undefined },
  ): Promise<string> {
    const key = this.secrets.newToken();
    const now = this.clock.now();
    await this.uow.run(async ({ accounts, audit }) => {
      await accounts.deleteExpiredKeptForms(now);
      await accounts.insertKeptForm({
        idHash: this.secrets.hash(key),
        userId,
        path,
        fields,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.settings.keptFormTtlMs),
      });
      await audit.record({
        action: 'kept-form.keep',
        actor: { id: userId, label: 'signed out' },
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { path, fields: Object.keys(fields).length },
      });
    });
    return key;
  }

  /**
   * The kept form, once, for the person who posted it. Anyone else signing in on that browser gets
   * nothing, and the form is destroyed so it cannot be found later (the attempt is audited as denied).
   */
  async takeKeptForm(
    key: string,
    actor: Actor,
    ctx: RequestContext,
  ): Promise<{ path: string; fields: Record<string, string | string[]> } | null> {
    return this.uow.run(async ({ accounts, audit }) => {
      const kept = await accounts.takeKeptForm(this.secrets.hash(key), this.clock.now());
      if (!kept) return null;
      const mine = kept.userId === actor.id;
      await audit.record({
        action: 'kept-form.restore',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: kept.userId },
        outcome: mine ? 'success' : 'denied',
        details: { path: kept.path },
      });
      return mine ? { path: kept.path, fields: kept.fields } : null;
    });
  }
}
