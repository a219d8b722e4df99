import { asc, desc, gt, sql } from 'drizzle-orm';
import type { AuditEntry, AuditLog } from '../../app/audit/audit-log.ts';
import type { DbOrTx } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';
import { type ChainedFields, GENESIS_HASH, chainHash } from './chain.ts';

// One lock id for the whole chain: appends are serialised so each row names the one before it.
const AUDIT_CHAIN_LOCK = 7_274_001;

export type AuditRow = typeof auditEvents.$inferSelect;

/** Holds the chain's lock until the transaction ends: appends wait, and a reader sees only committed entries. */
export async function lockAuditChain(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
}

/** Appends must run inside a transaction so the lock and the read of the head are held together. */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry, now: Date): Promise<AuditRow> {
  await lockAuditChain(tx);
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const fields: ChainedFields = {
    seq: (head?.seq ?? 0) + 1,
    at: now,
    actorUserId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject?.id ?? null,
    // The column keeps its name: it is part of every hashed entry already in the chain.
    requestId: entry.correlationId ?? null,
    outcome: entry.outcome,
    // Round-trip through JSON so what is hashed is exactly what jsonb stores.
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  const hash = chainHash(prevHash, fields);
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...fields, prevHash, hash })
    .returning();
  return row as AuditRow;
}

/** Told each new entry's number, inside its transaction (the audit trail checkpoints every so many entries). */
export type AuditAppended = (seq: number) => void;

/** An AuditLog bound to a transaction (or to the database, in which case each append opens one). */
export function auditLogFor(
  dbOrTx: DbOrTx,
  clock: () => Date,
  inTransaction: boolean,
  onAppended?: AuditAppended,
): AuditLog {
  return {
    async record(entry) {
      const row = inTransaction
        ? await appendAudit(dbOrTx, entry, clock())
        : await dbOrTx.transaction((tx) => appendAudit(tx, entry, clock()));
      onAppended?.(row.seq);
    },
  };
}

/** Reads the trail in seq order, a page at a time, so verifying millions of rows stays in bounded memory. */
export async function* readAuditRows(db: DbOrTx, pageSize = 5000, after = 0): AsyncGenerator<AuditRow> {
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, after))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

export async function auditHead(db: DbOrTx): Promise<{ seq: number; hash: string }> {
  const [head] = await db
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return head ?? { seq: 0, hash: GENESIS_HASH };
}
