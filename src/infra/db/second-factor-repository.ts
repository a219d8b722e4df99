import { and, count, eq, gte, isNull, lt, or } from 'drizzle-orm';
import type { SecondFactorRepository, StoredPasskey } from '../../app/second-factor/ports.ts';
import type { DbOrTx } from './client.ts';
import { auditEvents } from './schema.ts';
import { passkeys, recoveryCodes, totpFactors, webauthnChallenges } from './second-factor-schema.ts';

function toPasskey(row: typeof passkeys.$inferSelect): StoredPasskey {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    credentialId: row.credentialId,
    publicKey: row.publicKey,
    counter: row.counter,
    transports: row.transports,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export function secondFactorRepository(db: DbOrTx): SecondFactorRepository {
  return {
    async findTotp(userId) {
      const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId));
      return row
        ? { secretSealed: row.secretSealed, confirmedAt: row.confirmedAt, lastUsedStep: row.lastUsedStep }
        : null;
    },
    async insertPendingTotp(userId, secretSealed, now) {
      await db.insert(totpFactors).values({ userId, secretSealed, createdAt: now }).onConflictDoNothing();
    },
    async confirmTotp(userId, step, now) {
      await db.update(totpFactors).set({ confirmedAt: now, lastUsedStep: step }).where(eq(totpFactors.userId, userId));
    },
    async useTotpStep(userId, step) {
      const rows = await db
        .update(totpFactors)
        .set({ lastUsedStep: step })
        .where(
          and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))),
        )
        .returning({ userId: totpFactors.userId });
      return rows.length === 1;
    },

    async replaceRecoveryCodes(userId, hashes, now) {
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      if (hashes.length)
        await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash, createdAt: now })));
    },
    async useRecoveryCode(userId, hash, now) {
      const [row] = await db
        .select({ id: recoveryCodes.id })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hash), isNull(recoveryCodes.usedAt)))
        .limit(1);
      if (!row) return false;
      const used = await db
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(and(eq(recoveryCodes.id, row.id), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      return used.length === 1;
    },
    async countUnusedRecoveryCodes(userId) {
      const [r] = await db
        .select({ n: count() })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return r?.n ?? 0;
    },

    async listPasskeys(userId) {
      const rows = await db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(passkeys.createdAt);
      return rows.map(toPasskey);
    },
    async findPasskeyByCredentialId(credentialId) {
      const [row] = await db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
      return row ? toPasskey(row) : null;
    },
    async insertPasskey(p) {
      const [row] = await db.insert(passkeys).values(p).returning();
      return toPasskey(row!);
    },
    async usePasskey(id, from, to, now) {
      const rows = await db
        .update(passkeys)
        .set({ counter: to, lastUsedAt: now })
        .where(and(eq(passkeys.id, id), eq(passkeys.counter, from)))
        .returning({ id: passkeys.id });
      return rows.length === 1;
    },
    async deletePasskey(id, userId) {
      const rows = await db
        .delete(passkeys)
        .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
        .returning({ id: passkeys.id });
      return rows.length === 1;
    },

    async deleteAllFactors(userId) {
      const app = await db
        .delete(totpFactors)
        .where(eq(totpFactors.userId, userId))
        .returning({ id: totpFactors.userId });
      const codes = await db
        .delete(recoveryCodes)
        .where(eq(recoveryCodes.userId, userId))
        .returning({ id: recoveryCodes.id });
      const keys = await db.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ id: passkeys.id });
      return { authenticatorApp: app.length > 0, recoveryCodes: codes.length, passkeys: keys.length };
    },

    async saveChallenge(sessionHash, purpose, challenge, expiresAt) {
      await db
        .insert(webauthnChallenges)
        .values({ sessionHash, purpose, challenge, expiresAt })
        .onConflictDoUpdate({
          target: [webauthnChallenges.sessionHash, webauthnChallenges.purpose],
          set: { challenge, expiresAt },
        });
    },
    async takeChallenge(sessionHash, purpose, now) {
      const rows = await db
        .delete(webauthnChallenges)
        .where(and(eq(webauthnChallenges.sessionHash, sessionHash), eq(webauthnChallenges.purpose, purpose)))
        .returning();
      const row = rows[0];
      return row && row.expiresAt > now ? row.challenge : null;
    },

    async countFailuresSince(userId, since) {
      const [r] = await db
        .select({ n: count() })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'second-factor.verify'),
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
