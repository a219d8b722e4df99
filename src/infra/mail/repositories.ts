import { and, asc, count, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type {
  MessageTemplateRepository,
  OutboxMessage,
  OutboxRepository,
  OutboxState,
  StoredTemplate,
} from '../../app/mail/ports.ts';
import { OUTBOX_STATES } from '../../app/mail/ports.ts';
import { oneOf } from '../db/checked-values.ts';
import type { DbOrTx } from '../db/client.ts';
import { messageTemplates, outboxMessages } from '../db/mail-schema.ts';
import { users } from '../db/schema.ts';

type OutboxRow = typeof outboxMessages.$inferSelect;

function toMessage(r: OutboxRow): OutboxMessage {
  const { toAddress, sealedSubject, sealedBody, ...rest } = r;
  const sealed = sealedSubject !== null && sealedBody !== null ? { subject: sealedSubject, body: sealedBody } : null;
  return { ...rest, to: toAddress, sealed, state: oneOf(OUTBOX_STATES, r.state, 'outbox message state') };
}

/** Once a message has been handed to the transport (or kept), its usable link or code is removed. */
const UNSEAL = { sealedSubject: null, sealedBody: null } as const;

const summaryColumns = {
  id: outboxMessages.id,
  templateKey: outboxMessages.templateKey,
  templateVersion: outboxMessages.templateVersion,
  toAddress: outboxMessages.toAddress,
  subject: outboxMessages.subject,
  subjectType: outboxMessages.subjectType,
  subjectId: outboxMessages.subjectId,
  state: outboxMessages.state,
  attempts: outboxMessages.attempts,
  lastError: outboxMessages.lastError,
  lastAttemptAt: outboxMessages.lastAttemptAt,
  transport: outboxMessages.transport,
  providerId: outboxMessages.providerId,
  createdAt: outboxMessages.createdAt,
  completedAt: outboxMessages.completedAt,
  secretsMasked: outboxMessages.secretsMasked,
};

export function outboxRepository(db: DbOrTx): OutboxRepository {
  return {
    async insert(m) {
      const { to, sealed, ...rest } = m;
      const [row] = await db
        .insert(outboxMessages)
        .values({
          ...rest,
          toAddress: to,
          sealedSubject: sealed?.subject ?? null,
          sealedBody: sealed?.body ?? null,
          state: 'queued',
          attempts: 0,
        })
        .returning();
      return toMessage(row!);
    },

    async claim(id, at, staleBefore) {
      const [row] = await db
        .update(outboxMessages)
        .set({ state: 'sending', attempts: sql`${outboxMessages.attempts} + 1`, lastAttemptAt: at })
        .where(
          and(
            eq(outboxMessages.id, id),
            or(
              inArray(outboxMessages.state, ['queued', 'failed']),
              and(eq(outboxMessages.state, 'sending'), lt(outboxMessages.lastAttemptAt, staleBefore)),
            ),
          ),
        )
        .returning();
      return row ? toMessage(row) : null;
    },

    async markSent(id, { transport, providerId, at }) {
      await db
        .update(outboxMessages)
        .set({ state: 'sent', transport, providerId, completedAt: at, lastError: null, ...UNSEAL })
        .where(eq(outboxMessages.id, id));
    },

    async markKept(id, at) {
      await db
        .update(outboxMessages)
        .set({ state: 'kept', transport: 'outbox', completedAt: at, lastError: null, ...UNSEAL })
        .where(eq(outboxMessages.id, id));
    },

    async markFailed(id, { transport, error, permanent }) {
      await db
        .update(outboxMessages)
        .set({ state: permanent ? 'rejected' : 'failed', transport, lastError: error.slice(0, 200) })
        .where(eq(outboxMessages.id, id));
    },

    async requeue(id) {
      const rows = await db
        .update(outboxMessages)
        .set({ state: 'queued' })
        .where(and(eq(outboxMessages.id, id), inArray(outboxMessages.state, ['failed', 'rejected'])))
        .returning({ id: outboxMessages.id });
      return rows.length === 1;
    },

    async get(id) {
      const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
      return row ? toMessage(row) : null;
    },

    async list({ state, limit, offset }) {
      const where = state ? eq(outboxMessages.state, state) : undefined;
      const rows = await db
        .select(summaryColumns)
        .from(outboxMessages)
        .where(where)
        .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
        .limit(limit)
        .offset(offset);
      const [total] = await db.select({ n: count() }).from(outboxMessages).where(where);
      return {
        messages: rows.map(({ toAddress, ...r }) => ({
          ...r,
          to: toAddress,
          state: oneOf(OUTBOX_STATES, r.state, 'outbox message state'),
        })),
        total: Number(total?.n ?? 0),
      };
    },

    async countByState() {
      const rows = await db
        .select({ state: outboxMessages.state, n: count() })
        .from(outboxMessages)
        .groupBy(outboxMessages.state);
      const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
      for (const r of rows) counts[oneOf(OUTBOX_STATES, r.state, 'outbox message state')] = Number(r.n);
      return counts;
    },

    async due({ queuedBefore, failedBefore, sendingBefore, limit }) {
      const rows = await db
        .select({ id: outboxMessages.id })
        .from(outboxMessages)
        .where(
          or(
            and(eq(outboxMessages.state, 'queued'), lt(outboxMessages.createdAt, queuedBefore)),
            and(eq(outboxMessages.state, 'failed'), lt(outboxMessages.lastAttemptAt, failedBefore)),
            and(eq(outboxMessages.state, 'sending'), lt(outboxMessages.lastAttemptAt, sendingBefore)),
          ),
        )
        .orderBy(asc(outboxMessages.createdAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },
  };
}

const templateColumns = {
  key: messageTemplates.key,
  subject: messageTemplates.subject,
  body: messageTemplates.body,
  updatedBy: messageTemplates.updatedBy,
  updatedByName: users.name,
  updatedAt: messageTemplates.updatedAt,
  version: messageTemplates.version,
};

export function messageTemplateRepository(db: DbOrTx): MessageTemplateRepository {
  const select = () =>
    db.select(templateColumns).from(messageTemplates).leftJoin(users, eq(users.id, messageTemplates.updatedBy));
  return {
    async list() {
      return (await select().orderBy(asc(messageTemplates.key))) as StoredTemplate[];
    },

    async get(key) {
      const [row] = await select().where(eq(messageTemplates.key, key));
      return (row as StoredTemplate | undefined) ?? null;
    },

    async insertIfAbsent({ key, subject, body, at }) {
      const rows = await db
        .insert(messageTemplates)
        .values({ key, subject, body, updatedAt: at, updatedBy: null, version: 1 })
        .onConflictDoNothing({ target: messageTemplates.key })
        .returning({ key: messageTemplates.key });
      return rows.length === 1;
    },

    async update(key, { subject, body, updatedBy, at, expectedVersion }) {
      const rows = await db
        .update(messageTemplates)
        .set({ subject, body, updatedBy, updatedAt: at, version: sql`${messageTemplates.version} + 1` })
        .where(and(eq(messageTemplates.key, key), eq(messageTemplates.version, expectedVersion)))
        .returning({ key: messageTemplates.key });
      if (rows.length === 0) return null;
      const [row] = await select().where(eq(messageTemplates.key, key));
      return row as StoredTemplate;
    },
  };
}
