import { and, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { AccountsRepository, ApiTokenRecord, UserRecord } from '../../app/accounts/ports.ts';
import { isRole, type Role } from '../../domain/access/roles.ts';
import type { DbOrTx } from './client.ts';
import { apiTokens, auditEvents, keptForms, sessions, setupTokens, signInAttempts, users } from './schema.ts';

type UserRow = typeof users.$inferSelect;

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles.filter(isRole),
    passwordHash: row.passwordHash,
    mustChangePassword: row.mustChangePassword,
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
      const [row] = await db
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`);
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
    async userNames(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, [...ids]));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async listUsersWithAnyRole(roles) {
      if (roles.length === 0) return [];
      const rows = await db
        .select()
        .from(users)
        // Overlap (&&) with the roles asked for, which the GIN index on roles answers (0047).
        .where(and(sql`${users.roles} && ${sql.param([...roles])}::text[]`, isNull(users.disabledAt)))
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

    async insertSession(idHash, userId, now, opts) {
      await db.insert(sessions).values({
        idHash,
        userId,
        createdAt: now,
        lastSeenAt: now,
        secondFactorDue: opts?.secondFactorDue ?? false,
      });
    },
    async findSession(idHash) {
      const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash));
      return row
        ? {
            userId: row.userId,
            createdAt: row.createdAt,
            lastSeenAt: row.lastSeenAt,
            secondFactorDue: row.secondFactorDue,
          }
        : null;
    },
    async findSessionWithUser(idHash) {
      const [row] = await db
        .select({ session: sessions, user: users })
        .from(sessions)
        .leftJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.idHash, idHash));
      if (!row) return null;
      const s = row.session;
      return {
        session: {
          userId: s.userId,
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
          secondFactorDue: s.secondFactorDue,
        },
        user: row.user ? toUser(row.user) : null,
      };
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
    async deleteEndedSessions(userId, lastSeenBefore, createdBefore) {
      const rows = await db
        .delete(sessions)
        .where(
          and(
            eq(sessions.userId, userId),
            or(lt(sessions.lastSeenAt, lastSeenBefore), lt(sessions.createdAt, createdBefore)),
          ),
        )
        .returning({ id: sessions.idHash });
      return rows.length;
    },
    async deleteOtherSessions(userId, keepIdHash) {
      const rows = await db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), ne(sessions.idHash, keepIdHash)))
        .returning({ id: sessions.idHash });
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
    async findApiTokenWithUser(tokenHash) {
      const [row] = await db
        .select({ token: tokenColumns, user: users })
        .from(apiTokens)
        .leftJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, tokenHash));
      return row ? { token: row.token, user: row.user ? toUser(row.user) : null } : null;
    },
    async listApiTokens(userId) {
      return db
        .select(tokenColumns)
        .from(apiTokens)
        .where(eq(apiTokens.userId, userId))
        .orderBy(desc(apiTokens.createdAt));
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
    async revokeApiTokensForUser(userId, now) {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length;
    },

    async insertSetupToken(tokenHash, expiresAt, userId = null) {
      await db.insert(setupTokens).values({ tokenHash, expiresAt, userId });
    },
    async consumeSetupToken(tokenHash, now, kind) {
      const rows = await db
        .update(setupTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(setupTokens.tokenHash, tokenHash),
            isNull(setupTokens.usedAt),
            gt(setupTokens.expiresAt, now),
            ofKind(kind),
          ),
        )
        .returning({ userId: setupTokens.userId });
      return rows.length === 1 ? { userId: rows[0]!.userId } : undefined;
    },
    async findUsableSetupToken(tokenHash, now, kind) {
      const [row] = await db
        .select({ userId: setupTokens.userId })
        .from(setupTokens)
        .where(
          and(
            eq(setupTokens.tokenHash, tokenHash),
            isNull(setupTokens.usedAt),
            gt(setupTokens.expiresAt, now),
            ofKind(kind),
          ),
        );
      return row ?? null;
    },
    async retireSetupTokensForUser(userId, now) {
      const rows = await db
        .update(setupTokens)
        .set({ usedAt: now })
        .where(and(eq(setupTokens.userId, userId), isNull(setupTokens.usedAt)))
        .returning({ h: setupTokens.tokenHash });
      return rows.length;
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
    async recordSignInFailure(f, pruneBefore) {
      await db.delete(signInAttempts).where(lt(signInAttempts.at, pruneBefore));
      await db.insert(signInAttempts).values(f);
    },
    async countAddressFailuresSince(addressKey, since, userId) {
      const [r] = await db
        .select({ n: count() })
        .from(signInAttempts)
        .where(
          and(
            eq(signInAttempts.addressKey, addressKey),
            gte(signInAttempts.at, since),
            userId === undefined ? undefined : eq(signInAttempts.userId, userId),
          ),
        );
      return r?.n ?? 0;
    },

    async insertKeptForm(f) {
      await db.insert(keptForms).values(f);
    },
    async takeKeptForm(idHash, now) {
      const [row] = await db.delete(keptForms).where(eq(keptForms.idHash, idHash)).returning();
      if (!row || row.expiresAt <= now) return null;
      return {
        userId: row.userId,
        path: row.path,
        fields: row.fields,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      };
    },
    async deleteExpiredKeptForms(now) {
      const rows = await db.delete(keptForms).where(lt(keptForms.expiresAt, now)).returning({ h: keptForms.idHash });
      return rows.length;
    },
  };
}

function ofKind(kind: 'first-admin' | 'password') {
  return kind === 'first-admin' ? isNull(setupTokens.userId) : isNotNull(setupTokens.userId);
}
