/**
 * Accounts: people and their roles, signing in and sessions, API tokens and passwords. Each part is its own module
 * (users-admin.ts, sessions.ts, api-tokens.ts, passwords.ts); this service is what the pages, the CLI and the
 * sign-in plugin call.
 */
import type { Actor, Role } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { AccountsDeps, ResetLinkResult, SessionLookup, SignInResult } from './accounts-model.ts';
import type { ApiTokenRecord, UserRecord } from './ports.ts';
import {
  createUser,
  listUsers,
  findUserByEmail,
  getUser,
  signsInWithCouncil,
  usersWithRole,
  updateDetails,
  disableUser,
  enableUser,
  setRoles,
} from './users-admin.ts';
import { signIn, startSession, signOut, resolveSession, keepForm, takeKeptForm } from './sessions.ts';
import { createApiToken, listApiTokens, revokeApiToken, resolveApiToken } from './api-tokens.ts';
import {
  createSetupLinkIfNeeded,
  setupTokenUsable,
  completeSetup,
  changePassword,
  resetPassword,
  passwordLinkFor,
  completePasswordReset,
} from './passwords.ts';

export * from './accounts-model.ts';

export class AccountsService {
  private readonly deps: AccountsDeps;

  constructor(deps: AccountsDeps) {
    this.deps = deps;
  }

  get keptFormTtlMs(): number {
    return this.deps.settings.keptFormTtlMs;
  }

  /** The idle time-out, for the warning shown before it (WCAG 2.2.1). */
  get sessionIdleMs(): number {
    return this.deps.settings.sessionIdleMs;
  }

  createUser(
    input: { email: string; name: string; roles: Role[]; password: string | null; mustChangePassword?: boolean },
    ctx: RequestContext,
  ): Promise<UserRecord> {
    return createUser(this.deps, input, ctx);
  }

  listUsers(): Promise<UserRecord[]> {
    return listUsers(this.deps);
  }

  findUserByEmail(email: string): Promise<UserRecord | null> {
    return findUserByEmail(this.deps, email);
  }

  getUser(id: string): Promise<UserRecord> {
    return getUser(this.deps, id);
  }

  signsInWithCouncil(userId: string): Promise<boolean> {
    return signsInWithCouncil(this.deps, userId);
  }

  usersWithRole(role: Role): Promise<UserRecord[]> {
    return usersWithRole(this.deps, role);
  }

  updateDetails(userId: string, input: { name: string; email: string }, ctx: RequestContext): Promise<UserRecord> {
    return updateDetails(this.deps, userId, input, ctx);
  }

  disableUser(userId: string, ctx: RequestContext): Promise<void> {
    return disableUser(this.deps, userId, ctx);
  }

  enableUser(userId: string, ctx: RequestContext): Promise<void> {
    return enableUser(this.deps, userId, ctx);
  }

  setRoles(userId: string, roles: Role[], ctx: RequestContext): Promise<void> {
    return setRoles(this.deps, userId, roles, ctx);
  }

  signIn(
    email: string,
    password: string,
    ctx: { correlationId?: string | undefined; clientAddress?: string | undefined },
  ): Promise<SignInResult> {
    return signIn(this.deps, email, password, ctx);
  }

  startSession(userId: string, opts: { secondFactorDue: boolean }): Promise<string> {
    return startSession(this.deps, userId, opts);
  }

  signOut(sessionToken: string, ctx: RequestContext): Promise<void> {
    return signOut(this.deps, sessionToken, ctx);
  }

  resolveSession(sessionToken: string): Promise<SessionLookup> {
    return resolveSession(this.deps, sessionToken);
  }

  keepForm(
    userId: string,
    path: string,
    fields: Record<string, string | string[]>,
    ctx: { correlationId?: string | undefined },
  ): Promise<string> {
    return keepForm(this.deps, userId, path, fields, ctx);
  }

  takeKeptForm(
    key: string,
    actor: Actor,
    ctx: RequestContext,
  ): Promise<{ path: string; fields: Record<string, string | string[]> } | null> {
    return takeKeptForm(this.deps, key, actor, ctx);
  }

  createApiToken(
    userId: string,
    label: string,
    expiresInDays: number | null,
    ctx: RequestContext,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    return createApiToken(this.deps, userId, label, expiresInDays, ctx);
  }

  listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    return listApiTokens(this.deps, userId);
  }

  revokeApiToken(tokenId: string, ownerId: string | null, ctx: RequestContext): Promise<void> {
    return revokeApiToken(this.deps, tokenId, ownerId, ctx);
  }

  resolveApiToken(
    token: string,
  ): Promise<{ ok: true; user: UserRecord; actor: Actor; tokenId: string } | { ok: false }> {
    return resolveApiToken(this.deps, token);
  }

  createSetupLinkIfNeeded(ctx: RequestContext): Promise<string | null> {
    return createSetupLinkIfNeeded(this.deps, ctx);
  }

  setupTokenUsable(token: string): Promise<boolean> {
    return setupTokenUsable(this.deps, token);
  }

  completeSetup(
    token: string,
    input: { email: string; name: string; password: string },
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    return completeSetup(this.deps, token, input, ctx);
  }

  changePassword(
    userId: string,
    sessionToken: string,
    input: { currentPassword: string; newPassword: string },
    ctx: RequestContext,
  ): Promise<void> {
    return changePassword(this.deps, userId, sessionToken, input, ctx);
  }

  resetPassword(
    userId: string,
    ctx: RequestContext,
    opts: { delivery: 'email-if-possible' | 'show-once' } = { delivery: 'email-if-possible' },
  ): Promise<ResetLinkResult> {
    return resetPassword(this.deps, userId, ctx, opts);
  }

  passwordLinkFor(token: string): Promise<UserRecord | null> {
    return passwordLinkFor(this.deps, token);
  }

  completePasswordReset(
    token: string,
    newPassword: string,
    ctx: { correlationId?: string | undefined },
  ): Promise<UserRecord> {
    return completePasswordReset(this.deps, token, newPassword, ctx);
  }
}
