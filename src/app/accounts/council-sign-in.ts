/**
 * Signing in with the council's identity provider (OpenID Connect). A council identity is joined to one account
 * by the provider's issuer and subject, never by email address. The first sign-in of someone new makes their
 * account, disabled and waiting for roles unless the council's groups give it some; roles named in the group
 * mapping follow the groups at every sign-in, the others are given in the service. Every sign-in, refusal and
 * account made is audited.
 */
import { type Role, ROLES } from '../../domain/access/roles.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { UserRecord } from './ports.ts';
import type { CouncilIdentityRecord, SignInFlowRecord } from './council-sign-in-ports.ts';

/** What the provider told us about the person, after its ID token was checked. */
export interface CouncilClaims {
  issuer: string;
  subject: string;
  email: string | undefined;
  name: string | undefined;
  groups: string[];
  /** How they authenticated at the provider (RFC 8176), e.g. ["pwd", "mfa"]. */
  amr: string[];
}

export type CouncilSignInRefusal =
  /** New, or no longer in any group that gives a role: an administrator has to give them roles. */
  | 'waiting-for-roles'
  /** Disabled by an administrator. */
  | 'disabled'
  /** OIDC_REQUIRE_MFA, and the provider does not say a second factor was used. */
  | 'mfa-required'
  /** The provider sent no usable email address for a new account. */
  | 'no-email'
  /** A new council identity whose email address another account already has: never joined by email. */
  | 'email-in-use';

export type CouncilSignInOutcome =
  { ok: true; user: UserRecord; sessionToken: string } | { ok: false; reason: CouncilSignInRefusal };

/** A sign-in that failed before the person was known: at the provider, or in the checks of its answer. */
export type CouncilFlowRefusal =
  | 'unavailable'
  | 'provider-refused'
  | 'state'
  | 'nonce'
  | 'invalid-response'
  /** The callback carried no flow this browser started, or one already used or expired. */
  | 'no-flow';

export interface CouncilSignInSettings {
  /** The roles the provider's groups manage, and the groups giving each. Empty: every role is given in the service. */
  roleGroups: ReadonlyMap<Role, readonly string[]>;
  requireMfa: boolean;
  /** How long a sign-in may take at the provider. */
  flowTtlMs: number;
}

export interface CouncilSignInSecrets {
  newToken(): string;
  hash(token: string): string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SOMEONE = { id: null, label: 'council sign-in' };

/**
 * The roles someone holds after signing in: the roles the groups do not manage are kept as the service has them,
 * the managed ones are exactly those their groups give now.
 */
export function rolesAfterSignIn(
  current: readonly Role[],
  groups: readonly string[],
  roleGroups: ReadonlyMap<Role, readonly string[]>,
): Role[] {
  const given = new Set(groups);
  return ROLES.filter((role) => {
    const managedBy = roleGroups.get(role);
    return managedBy ? managedBy.some((g) => given.has(g)) : current.includes(role);
  });
}

/** Disabled and holding no role: made by a first council sign-in, or left with no role by the groups. */
export function isWaitingForRoles(user: Pick<UserRecord, 'roles' | 'disabledAt'>): boolean {
  return user.roles.length === 0 && user.disabledAt !== null;
}

export class CouncilSignInService {
  private readonly uow: UnitOfWork;
  private readonly clock: Clock;
  private readonly settings: CouncilSignInSettings;
  private readonly secrets: CouncilSignInSecrets;
  private readonly startSession: (userId: string) => Promise<string>;

  constructor(deps: {
    uow: UnitOfWork;
    clock: Clock;
    settings: CouncilSignInSettings;
    secrets: CouncilSignInSecrets;
    /** Starts the service's session once the person is known (the same sessions as the password sign-in's). */
    startSession: (userId: string) => Promise<string>;
  }) {
    this.uow = deps.uow;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.secrets = deps.secrets;
    this.startSession = deps.startSession;
  }

  /** Keeps a sign-in's secrets while the person is at the provider; returns the key for their browser. */
  async keepFlow(flow: { state: string; nonce: string; codeVerifier: string; returnTo: string }): Promise<string> {
    const key = this.secrets.newToken();
    const now = this.clock.now();
    const record: SignInFlowRecord = {
      ...flow,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.settings.flowTtlMs),
    };
    await this.uow.run(({ councilSignIn }) => councilSignIn.insertFlow(this.secrets.hash(key), record, now));
    return key;
  }

  /** The sign-in's secrets, once: a second callback with the same key finds nothing. */
  async takeFlow(key: string): Promise<SignInFlowRecord | null> {
    return this.uow.run(({ councilSignIn }) => councilSignIn.takeFlow(this.secrets.hash(key), this.clock.now()));
  }

  /** A sign-in refused before the person was known: audited with its reason only. */
  async refused(reason: CouncilFlowRefusal, ctx: { correlationId?: string | undefined }, providerError?: string) {
    await this.uow.run(({ audit }) =>
      audit.record({
        action: 'sign-in',
        actor: SOMEONE,
        correlationId: ctx.correlationId,
        outcome: 'denied',
        details: { via: 'council', reason, ...(providerError ? { providerError } : {}) },
      }),
    );
  }

  /** The person the provider vouched for: their account found (or made), their roles brought up to date, signed in or refused. */
  async signIn(claims: CouncilClaims, ctx: { correlationId?: string | undefined }): Promise<CouncilSignInOutcome> {
    const now = this.clock.now();
    const outcome = await this.uow.run(
      async (repos): Promise<{ ok: true; user: UserRecord } | CouncilSignInOutcome> => {
        const { councilSignIn, audit } = repos;
        const identity = await councilSignIn.findIdentity(claims.issuer, claims.subject);
        const refuse = async (reason: CouncilSignInRefusal, user?: UserRecord, extra: Record<string, unknown> = {}) => {
          await audit.record({
            action: 'sign-in',
            actor: user ? { id: user.id, label: user.name } : SOMEONE,
            correlationId: ctx.correlationId,
            subject: user ? { type: 'user', id: user.id } : undefined,
            outcome: 'denied',
            details: { via: 'council', reason, ...extra },
          });
          return { ok: false as const, reason };
        };
        if (this.settings.requireMfa && !claims.amr.includes('mfa')) {
          const known = identity ? await repos.accounts.findUserById(identity.userId) : null;
          return refuse('mfa-required', known ?? undefined);
        }
        let user: UserRecord;
        if (identity) {
          const found = await repos.accounts.findUserById(identity.userId);
          if (!found) throw new NotFoundError('The account');
          user = await this.bringUpToDate(repos, found, claims, ctx);
          await councilSignIn.touchIdentity(claims.issuer, claims.subject, now);
        } else {
          const email = claims.email;
          if (!email || !EMAIL.test(email)) return refuse('no-email');
          const holder = await repos.accounts.findUserByEmail(email);
          // Never joined by email: the existing account may be someone else's, or the break-glass administrator's.
          if (holder) return refuse('email-in-use', holder);
          user = await this.createAccount(repos, { ...claims, email }, ctx);
        }
        if (user.disabledAt) return refuse(isWaitingForRoles(user) ? 'waiting-for-roles' : 'disabled', user);
        await audit.record({
          action: 'sign-in',
          actor: { id: user.id, label: user.name },
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: user.id },
          outcome: 'success',
          details: { via: 'council' },
        });
        return { ok: true, user };
      },
    );
    if (!outcome.ok || 'sessionToken' in outcome) return outcome;
    return { ok: true, user: outcome.user, sessionToken: await this.startSession(outcome.user.id) };
  }

  private async createAccount(
    { accounts, councilSignIn, audit }: Repositories,
    claims: CouncilClaims & { email: string },
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    const now = this.clock.now();
    const roles = rolesAfterSignIn([], claims.groups, this.settings.roleGroups);
    const created = await accounts.insertUser({
      email: claims.email,
      name: claims.name ?? claims.email,
      roles,
      passwordHash: null,
    });
    const user = roles.length === 0 ? { ...created, disabledAt: now } : created;
    if (roles.length === 0) await accounts.updateUser(user.id, { disabledAt: now });
    await councilSignIn.insertIdentity({ issuer: claims.issuer, subject: claims.subject, userId: user.id, at: now });
    await audit.record({
      action: 'user.create',
      actor: { id: user.id, label: user.name },
      correlationId: ctx.correlationId,
      subject: { type: 'user', id: user.id },
      outcome: 'success',
      details: { via: 'council-sign-in', roles, waitingForRoles: roles.length === 0 },
    });
    return user;
  }

  /** Roles from the groups (never for an account an administrator disabled), and the name and email the provider has now. */
  private async bringUpToDate(
    { accounts, audit }: Repositories,
    user: UserRecord,
    claims: CouncilClaims,
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    const now = this.clock.now();
    const actor = { id: user.id, label: user.name };
    let current = user;
    const disabledByAdministrator = user.disabledAt !== null && !isWaitingForRoles(user);
    if (this.settings.roleGroups.size > 0 && !disabledByAdministrator) {
      const roles = rolesAfterSignIn(user.roles, claims.groups, this.settings.roleGroups);
      const changed = roles.length !== user.roles.length || roles.some((r) => !user.roles.includes(r));
      if (changed) {
        await accounts.updateUser(user.id, { roles });
        await audit.record({
          action: 'user.roles',
          actor,
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: user.id },
          outcome: 'success',
          details: { from: user.roles, to: roles, via: 'council-groups' },
        });
        current = { ...current, roles };
      }
      if (roles.length === 0 && !user.disabledAt) {
        // No role left: the account waits for roles, as a new one does, and nothing of theirs stays usable.
        await accounts.updateUser(user.id, { disabledAt: now });
        const sessionsEnded = await accounts.deleteSessionsForUser(user.id);
        const tokensRevoked = await accounts.revokeApiTokensForUser(user.id, now);
        await audit.record({
          action: 'user.disable',
          actor,
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: user.id },
          outcome: 'success',
          details: { via: 'council-groups', sessionsEnded, tokensRevoked },
        });
        current = { ...current, disabledAt: now };
      } else if (roles.length > 0 && user.disabledAt) {
        await accounts.updateUser(user.id, { disabledAt: null });
        await audit.record({
          action: 'user.enable',
          actor,
          correlationId: ctx.correlationId,
          subject: { type: 'user', id: user.id },
          outcome: 'success',
          details: { via: 'council-groups' },
        });
        current = { ...current, disabledAt: null };
      }
    }
    const name = claims.name && claims.name !== user.name ? claims.name : undefined;
    let email = claims.email && EMAIL.test(claims.email) && claims.email !== user.email ? claims.email : undefined;
    if (email) {
      const holder = await accounts.findUserByEmail(email);
      if (holder && holder.id !== user.id) email = undefined;
    }
    if (name || email) {
      await accounts.updateUser(user.id, { ...(name ? { name } : {}), ...(email ? { email } : {}) });
      await audit.record({
        action: 'user.details',
        actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: user.id },
        outcome: 'success',
        details: { changed: [...(name ? ['name'] : []), ...(email ? ['email'] : [])], via: 'council-sign-in' },
      });
      current = { ...current, ...(name ? { name } : {}), ...(email ? { email } : {}) };
    }
    return current;
  }

  /** The council identity joined to an account, if any (for administrators' pages and signing out). */
  async identityOf(userId: string): Promise<CouncilIdentityRecord | null> {
    return this.uow.run(({ councilSignIn }) => councilSignIn.identityOfUser(userId));
  }

  /** An administrator gives roles to an account waiting for them: the roles are set and the account enabled at once. */
  async giveRoles(userId: string, roles: Role[], ctx: RequestContext): Promise<void> {
    if (roles.length === 0) throw new DomainError('ROLES_REQUIRED', 'Select at least one role', 'roles');
    await this.uow.run(async ({ accounts, audit }) => {
      const user = await accounts.findUserById(userId);
      if (!user) throw new NotFoundError('The account');
      if (!isWaitingForRoles(user))
        throw new DomainError('NOT_WAITING', 'This account is not waiting for roles: save its roles instead');
      const given = [...new Set(roles)];
      await accounts.updateUser(userId, { roles: given, disabledAt: null });
      await audit.record({
        action: 'user.roles',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { from: [], to: given },
      });
      await audit.record({
        action: 'user.enable',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'user', id: userId },
        outcome: 'success',
        details: { via: 'roles-given' },
      });
    });
  }
}
