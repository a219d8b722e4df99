import { and, eq, lt } from 'drizzle-orm';
import type { CouncilSignInRepository } from '../../app/accounts/council-sign-in-ports.ts';
import type { DbOrTx } from '../db/client.ts';
import { oidcIdentities, oidcSignInFlows } from '../db/oidc-schema.ts';

export function councilSignInRepository(db: DbOrTx): CouncilSignInRepository {
  return {
    async findIdentity(issuer, subject) {
      const [row] = await db
        .select()
        .from(oidcIdentities)
        .where(and(eq(oidcIdentities.issuer, issuer), eq(oidcIdentities.subject, subject)));
      return row ?? null;
    },
    async identityOfUser(userId) {
      const [row] = await db.select().from(oidcIdentities).where(eq(oidcIdentities.userId, userId));
      return row ?? null;
    },
    async insertIdentity(i) {
      await db
        .insert(oidcIdentities)
        .values({ issuer: i.issuer, subject: i.subject, userId: i.userId, createdAt: i.at, lastSignInAt: i.at });
    },
    async touchIdentity(issuer, subject, at) {
      await db
        .update(oidcIdentities)
        .set({ lastSignInAt: at })
        .where(and(eq(oidcIdentities.issuer, issuer), eq(oidcIdentities.subject, subject)));
    },
    async insertFlow(idHash, flow, now) {
      await db.delete(oidcSignInFlows).where(lt(oidcSignInFlows.expiresAt, now));
      await db.insert(oidcSignInFlows).values({ idHash, ...flow });
    },
    async takeFlow(idHash, now) {
      const [row] = await db.delete(oidcSignInFlows).where(eq(oidcSignInFlows.idHash, idHash)).returning();
      if (!row || row.expiresAt <= now) return null;
      const { idHash: _key, ...flow } = row;
      return flow;
    },
  };
}
