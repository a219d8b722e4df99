import { and, count, desc, eq, gt, gte, isNull, sql } from 'drizzle-orm';
import type { AccountsRepository, ApiTokenRecord, UserRecord } from '../../app/accounts/ports.ts';
import { isRole, type Role } from '../../domain/access/roles.ts';
import type { DbOrTx } from './client.ts';
import { apiTokens, auditEvents, sessions, setupTokens, users } from './schema.ts';

type UserRow = typeof users.$inferSelect;

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles.filter(isRole),
    passwordHash: row.passwordHash,
    disabledAt: row.disabledAt,
    createdAt: row.createdAt,
  };
}

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  label: apiTokens.label,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export function accountsRepository(db: DbOrTx): AccountsRepository {
  return {
    async findUserByEmail(email) {
      const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
      return row ? toUser(row) : null;
    },
    async findUserById(id) {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ? toUser(row) : null;
    },
    async listUsers() {
      return (await db.select().from(users).orderBy(users.name)).map(toUser);
    },
    async listUsersWithRole(role: Role) {
      const rows = await db
        .select()
        .from(users)
        .where(and(sql`${role} = any(${users.roles})`, isNull(users.disabledAt)))
        .orderBy(users.name);
      return rows.map(toUser);
    },
    async insertUser(u) {
      const [row] = await db.insert(users).values(u).returning();
      return toUser(row as UserRow);
    },
    async updateUser(id, patch) {
      await db
        .update(users)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(users.id, id));
    },
    async countActiveAdmins() {
      const [r] = await db
        .select({ n: count() })
        .from(users)
        .where(and(sql`'admin' = any(${users.roles})`, isNull(users.disabledAt)));
      return r?.n ?? 0;
    },

    async insertSession(idHash, userId, now) {
      await db.insert(sessions).values({ idHash, userId, createdAt: now, lastSeenAt: now });
    },
    async findSession(idHash) {
      const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash));
      return row ? { userId: row.userId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt } : null;
    },
    async touchSession(idHash, now) {
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
    },
    async deleteSession(idHash) {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },
    async deleteSessionsForUser(userId) {
      const rows = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.idHash });
      return rows.length;
    },

    async insertApiToken(t) {
      const [row] = await db.insert(apiTokens).values(t).returning(tokenColumns);
      return row as ApiTokenRecord;
    },
    async findApiTokenByHash(tokenHash) {
      const [row] = await db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
      return row ?? null;
    },
    async listApiTokens(userId) {
      return db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
    },
    async revokeApiToken(id, now) {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },
    async touchApiToken(id, now) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
    },

    async insertSetupToken(tokenHash, expiresAt) {
      await db.insert(setupTokens).values({ tokenHash, expiresAt });
    },
    async consumeSetupToken(tokenHash, now) {
      const rows = await db
        .update(setupTokens)
        .set({ usedAt: now })
        .where(and(eq(setupTokens.tokenHash, tokenHash), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)))
        .returning({ h: setupTokens.tokenHash });
      return rows.length === 1;
    },
    async setupTokenUsable(tokenHash, now) {
      const [row] = await db
        .select({ h: setupTokens.tokenHash })
        .from(setupTokens)
        .where(and(eq(setupTokens.tokenHash, tokenHash), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)));
      return Boolean(row);
    },

    async countSignInFailuresSince(userId, since) {
      const [r] = await db
        .select({ n: count() })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'sign-in'),
            eq(auditEvents.outcome, 'failure'),
            eq(auditEvents.subjectType, 'user'),
            eq(auditEvents.subjectId, userId),
            gte(auditEvents.at, since),
          ),
        );
      return r?.n ?? 0;
    },
  };
}
