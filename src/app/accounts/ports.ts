import type { Role } from '../../domain/access/roles.ts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  passwordHash: string | null;
  /** The password was set by an administrator or operator: the person must choose their own first. */
  mustChangePassword: boolean;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface SessionRecord {
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** Started with a password: good for nothing but giving the second factor until it is given. */
  secondFactorDue: boolean;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AccountsRepository {
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  listUsersWithRole(role: Role): Promise<UserRecord[]>;
  /** The names of these accounts (disabled ones too) in one statement, by id. */
  userNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** Enabled accounts holding any of the roles, by name. */
  listUsersWithAnyRole(roles: readonly Role[]): Promise<UserRecord[]>;
  insertUser(u: {
    email: string;
    name: string;
    roles: Role[];
    passwordHash: string | null;
    mustChangePassword?: boolean;
  }): Promise<UserRecord>;
  updateUser(
    id: string,
    patch: Partial<Pick<UserRecord, 'name' | 'email' | 'roles' | 'passwordHash' | 'mustChangePassword' | 'disabledAt'>>,
  ): Promise<void>;
  countActiveAdmins(): Promise<number>;

  /** `secondFactorDue`: the session was started with a password and waits for the second factor. */
  insertSession(idHash: string, userId: string, now: Date, opts?: { secondFactorDue?: boolean }): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | null>;
  /** The session with its account (null when the account is gone), in one statement: the lookup on every request. */
  findSessionWithUser(idHash: string): Promise<{ session: SessionRecord; user: UserRecord | null } | null>;
  touchSession(idHash: string, now: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsForUser(userId: string): Promise<number>;
  /** Forgets the user's sessions that timed out (idle since, or started before, the given times). */
  deleteEndedSessions(userId: string, lastSeenBefore: Date, createdBefore: Date): Promise<number>;
  /** Ends every session of the user except the one whose hash is given; returns how many ended. */
  deleteOtherSessions(userId: string, keepIdHash: string): Promise<number>;

  insertApiToken(t: {
    userId: string;
    label: string;
    tokenHash: string;
    expiresAt: Date | null;
  }): Promise<ApiTokenRecord>;
  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** The token with its account (null when the account is gone), in one statement: the lookup on every API call. */
  findApiTokenWithUser(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord | null } | null>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  revokeApiToken(id: string, now: Date): Promise<boolean>;
  touchApiToken(id: string, now: Date): Promise<void>;
  /** Revokes every token of the user still active; returns how many. */
  revokeApiTokensForUser(userId: string, now: Date): Promise<number>;

  /** `userId` null: the first administrator's link; otherwise a link for that person to set a new password. */
  insertSetupToken(tokenHash: string, expiresAt: Date, userId?: string | null): Promise<void>;
  /**
   * Marks the token used if it is unused, unexpired and of the given kind (`userId` null: first run);
   * returns the user it was for (null for first run), or undefined when this call did not consume it.
   */
  consumeSetupToken(
    tokenHash: string,
    now: Date,
    kind: 'first-admin' | 'password',
  ): Promise<{ userId: string | null } | undefined>;
  /** The unused, unexpired token of that kind, with the user it is for. */
  findUsableSetupToken(
    tokenHash: string,
    now: Date,
    kind: 'first-admin' | 'password',
  ): Promise<{ userId: string | null } | null>;
  /** Marks every unused link for the user used, so only the newest (or none) works. */
  retireSetupTokensForUser(userId: string, now: Date): Promise<number>;

  /** Failed sign-ins for the account recorded in the audit trail since the given time. */
  countSignInFailuresSince(userId: string, since: Date): Promise<number>;
  /** Records a failure and forgets those older than `pruneBefore` (they no longer count). */
  recordSignInFailure(f: { addressKey: string; userId: string | null; at: Date }, pruneBefore: Date): Promise<void>;
  /** Failures from one address since the given time: across all accounts, and against one account. */
  countAddressFailuresSince(addressKey: string, since: Date, userId?: string): Promise<number>;

  insertKeptForm(f: KeptFormRecord & { idHash: string }): Promise<void>;
  /** Removes the kept form and returns it, if it has not expired. */
  takeKeptForm(idHash: string, now: Date): Promise<KeptFormRecord | null>;
  deleteExpiredKeptForms(now: Date): Promise<number>;
}

export interface KeptFormRecord {
  userId: string;
  path: string;
  fields: Record<string, string | string[]>;
  createdAt: Date;
  expiresAt: Date;
}
