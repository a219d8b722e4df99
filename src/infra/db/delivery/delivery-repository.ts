import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type {
  DeliveryCodeRecord,
  DeliveryEvent,
  DeliveryFile,
  DeliveryRecord,
  DeliveryRepository,
} from '../../../app/requests/delivery-ports.ts';
import type { DbOrTx } from '../client.ts';
import { oneOf } from '../checked-values.ts';
import { DELIVERY_EVENT_KINDS, deliveries, deliveryCodes, deliveryEvents, deliveryGrants } from '../delivery-schema.ts';

type DeliveryRow = typeof deliveries.$inferSelect;

function filesFromJson(v: unknown): DeliveryFile[] {
  if (!Array.isArray(v)) throw new Error('Unexpected files of a delivery in the database');
  return v.map((f: Record<string, unknown>) => ({
    fileId: String(f['fileId']),
    fileName: String(f['fileName']),
    sizeBytes: Number(f['sizeBytes']),
  }));
}

function toRecord(r: DeliveryRow): DeliveryRecord {
  return {
    id: r.id,
    requestId: r.requestId,
    copyId: r.copyId,
    documentSendingId: r.documentSendingId,
    tokenHash: r.tokenHash,
    email: r.email,
    files: filesFromJson(r.files),
    downloadLimit: r.downloadLimit,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    revokedBy: r.revokedBy,
    revokeReason: r.revokeReason,
  };
}

export function deliveryRepository(db: DbOrTx): DeliveryRepository {
  const findWhere = async (where: ReturnType<typeof eq>, lock: boolean | undefined): Promise<DeliveryRecord | null> => {
    const q = db.select().from(deliveries).where(where);
    const [row] = lock ? await q.for('update') : await q;
    return row ? toRecord(row) : null;
  };
  return {
    async insert(d) {
      const [row] = await db
        .insert(deliveries)
        .values({ ...d, files: d.files })
        .returning();
      return toRecord(row!);
    },
    find: (id, opts) => findWhere(eq(deliveries.id, id), opts?.lock),
    findByTokenHash: (tokenHash, opts) => findWhere(eq(deliveries.tokenHash, tokenHash), opts?.lock),
    async listForRequest(requestId) {
      const rows = await db
        .select()
        .from(deliveries)
        .where(eq(deliveries.requestId, requestId))
        .orderBy(desc(deliveries.createdAt), desc(deliveries.id));
      return rows.map(toRecord);
    },
    async revoke(id, r) {
      const rows = await db
        .update(deliveries)
        .set({ revokedAt: r.at, revokedBy: r.by, revokeReason: r.reason })
        .where(and(eq(deliveries.id, id), isNull(deliveries.revokedAt)))
        .returning({ id: deliveries.id });
      return rows.length === 1;
    },
    async appendEvent(e) {
      await db.insert(deliveryEvents).values(e);
    },
    async listEvents(deliveryId, limit) {
      const rows = await db
        .select()
        .from(deliveryEvents)
        .where(eq(deliveryEvents.deliveryId, deliveryId))
        .orderBy(desc(deliveryEvents.seq))
        .limit(limit);
      return rows.map((r): DeliveryEvent => ({
        seq: r.seq,
        deliveryId: r.deliveryId,
        kind: oneOf(DELIVERY_EVENT_KINDS, r.kind, 'delivery event'),
        at: r.at,
        fileId: r.fileId,
        actorId: r.actorId,
        details: r.details as Record<string, unknown>,
      }));
    },
    async downloadCounts(deliveryId) {
      const rows = await db
        .select({ fileId: deliveryEvents.fileId, n: sql<number>`count(*)::int` })
        .from(deliveryEvents)
        .where(and(eq(deliveryEvents.deliveryId, deliveryId), eq(deliveryEvents.kind, 'downloaded')))
        .groupBy(deliveryEvents.fileId);
      return new Map(rows.filter((r) => r.fileId !== null).map((r) => [r.fileId!, Number(r.n)]));
    },
    async downloadsUnderWay(deliveryId, since) {
      // A start with neither a completion nor an interruption of the same attempt since `since`.
      const rows = await db
        .select({ fileId: deliveryEvents.fileId, n: sql<number>`count(*)::int` })
        .from(deliveryEvents)
        .where(
          and(
            eq(deliveryEvents.deliveryId, deliveryId),
            eq(deliveryEvents.kind, 'download-started'),
            gt(deliveryEvents.at, since),
            sql`not exists (select 1 from ${deliveryEvents} e where e.delivery_id = ${deliveryEvents.deliveryId}
              and e.kind in ('downloaded', 'download-interrupted')
              and e.details->>'attempt' = ${deliveryEvents.details}->>'attempt')`,
          ),
        )
        .groupBy(deliveryEvents.fileId);
      return new Map(rows.filter((r) => r.fileId !== null).map((r) => [r.fileId!, Number(r.n)]));
    },
    async downloadWindow(deliveryId, attempt) {
      const [row] = await db
        .select({
          openedAt: deliveryEvents.at,
          counted: sql<boolean>`exists (select 1 from ${deliveryEvents} e where e.delivery_id = ${deliveryEvents.deliveryId}
            and e.kind = 'downloaded' and e.details->>'attempt' = ${attempt})`,
        })
        .from(deliveryEvents)
        .where(
          and(
            eq(deliveryEvents.deliveryId, deliveryId),
            eq(deliveryEvents.kind, 'download-started'),
            sql`${deliveryEvents.details}->>'attempt' = ${attempt}`,
          ),
        )
        .orderBy(deliveryEvents.seq)
        .limit(1);
      return row ? { openedAt: row.openedAt, counted: Boolean(row.counted) } : null;
    },
    async insertCode(c) {
      const [row] = await db.insert(deliveryCodes).values(c).returning();
      return row! as DeliveryCodeRecord;
    },
    async codesIssuedSince(deliveryId, since) {
      const rows = await db
        .select({ issuedAt: deliveryCodes.issuedAt })
        .from(deliveryCodes)
        .where(and(eq(deliveryCodes.deliveryId, deliveryId), gt(deliveryCodes.issuedAt, since)));
      return rows.map((r) => r.issuedAt);
    },
    async latestCode(deliveryId) {
      const [row] = await db
        .select()
        .from(deliveryCodes)
        .where(eq(deliveryCodes.deliveryId, deliveryId))
        .orderBy(desc(deliveryCodes.issuedAt), desc(deliveryCodes.id))
        .limit(1)
        .for('update');
      return (row as DeliveryCodeRecord | undefined) ?? null;
    },
    async voidOpenCodes(deliveryId, at) {
      await db
        .update(deliveryCodes)
        .set({ voidedAt: at })
        .where(
          and(eq(deliveryCodes.deliveryId, deliveryId), isNull(deliveryCodes.usedAt), isNull(deliveryCodes.voidedAt)),
        );
    },
    async recordWrongCode(codeId, wrongAttempts, voidedAt) {
      await db.update(deliveryCodes).set({ wrongAttempts, voidedAt }).where(eq(deliveryCodes.id, codeId));
    },
    async markCodeUsed(codeId, at) {
      await db.update(deliveryCodes).set({ usedAt: at }).where(eq(deliveryCodes.id, codeId));
    },
    async insertGrant(g) {
      await db.insert(deliveryGrants).values(g);
    },
    async findGrant(grantHash) {
      const [row] = await db
        .select({ deliveryId: deliveryGrants.deliveryId, expiresAt: deliveryGrants.expiresAt })
        .from(deliveryGrants)
        .where(eq(deliveryGrants.grantHash, grantHash));
      return row ?? null;
    },
  };
}
