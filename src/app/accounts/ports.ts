import type { Role } from '../../domain/access/roles.ts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  passwordHash: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface SessionRecord {
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
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
  insertUser(u: { email: string; name: string; roles: Role[]; passwordHash: string | null }): Promise<UserRecord>;
  updateUser(id: string, patch: Partial<Pick<UserRecord, 'name' | 'roles' | 'passwordHash' | 'disabledAt'>>): Promise<void>;
  countActiveAdmins(): Promise<number>;

  insertSession(idHash: string, userId: string, now: Date): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, now: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsForUser(userId: string): Promise<number>;

  insertApiToken(t: { userId: string; label: string; tokenHash: string; expiresAt: Date | null }): Promise<ApiTokenRecord>;
  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  revokeApiToken(id: string, now: Date): Promise<boolean>;
  touchApiToken(id: string, now: Date): Promise<void>;

  insertSetupToken(tokenHash: string, expiresAt: Date): Promise<void>;
  /** Marks the token used if it is unused and unexpired; true when this call consumed it. */
  consumeSetupToken(tokenHash: string, now: Date): Promise<boolean>;
  setupTokenUsable(tokenHash: string, now: Date): Promise<boolean>;

  /** Failed sign-ins for the account recorded in the audit trail since the given time. */
  countSignInFailuresSince(userId: string, since: Date): Promise<number>;
}
