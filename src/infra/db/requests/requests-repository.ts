import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type {
  CopyRequestRecord,
  CopyRequestsRepository,
  CopyRequestStepRecord,
  RequestWarning,
} from '../../../app/requests/ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { REQUEST_ACTIONS, REQUEST_STATES, type CopyRequest } from '../../../domain/requests/index.ts';
import type { DbOrTx } from '../client.ts';
import { oneOf } from '../checked-values.ts';
import { copyRequests, copyRequestSteps } from '../requests-schema.ts';

type RequestRow = typeof copyRequests.$inferSelect;
type Json = Record<string, unknown>;

// ------------------------------------------------------------------ the record as JSON

const date = (v: unknown): Date => {
  const d = new Date(v as string);
  if (Number.isNaN(d.getTime())) throw new Error('Unexpected time in a stored copy request');
  return d;
};
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/**
 * A stored CopyRequest back from JSON: its times were written as ISO strings and are read back as
 * Dates, field by field (the domain's shape is fixed, so every time is named here).
 */
export function copyRequestFromJson(j: Json): CopyRequest {
  const r = j as unknown as CopyRequest & Json;
  const obj = (v: unknown) => v as Json | null;
  const check = obj(r.recordingCheck);
  const verification = j['verification'] as Json;
  const lastFailure = obj(verification['lastFailure']);
  const copy = obj(r.copy);
  const approval = obj(r.approval);
  const delivery = obj(r.delivery);
  const notifications = obj(r.notifications);
  const extension = obj(r.extension);
  const outcome = obj(r.outcome);
  return {
    ...r,
    state: oneOf(REQUEST_STATES, r.state, 'copy request state'),
    recordingCheck: check
      ? { ...(check as unknown as NonNullable<CopyRequest['recordingCheck']>), at: date(check['at']) }
      : null,
    verification: {
      ...(verification as unknown as CopyRequest['verification']),
      requestedAt: dateOrNull(verification['requestedAt']),
      verifiedAt: dateOrNull(verification['verifiedAt']),
      lastFailure: lastFailure
        ? {
            ...(lastFailure as unknown as NonNullable<CopyRequest['verification']['lastFailure']>),
            at: date(lastFailure['at']),
          }
        : null,
    },
    copy: copy
      ? { ...(copy as unknown as NonNullable<CopyRequest['copy']>), preparedAt: date(copy['preparedAt']) }
      : null,
    approval: approval
      ? { ...(approval as unknown as NonNullable<CopyRequest['approval']>), approvedAt: date(approval['approvedAt']) }
      : null,
    delivery: delivery
      ? { ...(delivery as unknown as NonNullable<CopyRequest['delivery']>), sentAt: date(delivery['sentAt']) }
      : null,
    notifications: notifications
      ? { ...(notifications as unknown as NonNullable<CopyRequest['notifications']>), at: date(notifications['at']) }
      : null,
    extension: extension
      ? {
          ...(extension as unknown as NonNullable<CopyRequest['extension']>),
          recordedAt: date(extension['recordedAt']),
        }
      : null,
    outcome: outcome
      ? { ...(outcome as unknown as NonNullable<CopyRequest['outcome']>), at: date(outcome['at']) }
      : null,
    history: (r.history as unknown as Json[]).map((h) => ({
      action: oneOf(REQUEST_ACTIONS, h['action'] as string, 'copy request action'),
      state: oneOf(REQUEST_STATES, h['state'] as string, 'copy request state'),
      at: date(h['at']),
      actorId: h['actorId'] as string,
    })),
  };
}

/** JSON for the `data` column (Dates become ISO strings). */
export function copyRequestToJson(r: CopyRequest): Json {
  return JSON.parse(JSON.stringify(r)) as Json;
}

function warningsFromJson(v: unknown): RequestWarning[] {
  return Array.isArray(v) ? v.map((w: Json) => ({ at: date(w['at']), text: String(w['text']) })) : [];
}

function toRecord(row: RequestRow): CopyRequestRecord {
  return {
    id: row.id,
    number: row.number,
    conferenceId: row.conferenceId,
    request: copyRequestFromJson(row.data as Json),
    dueOn: row.dueOn as IsoDate,
    warnings: warningsFromJson(row.warnings),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns the queue filters on, copied from the record. */
function columns(r: { request: CopyRequest; dueOn: IsoDate; warnings: RequestWarning[] }) {
  return {
    conferenceId: r.request.conferenceId,
    chairId: r.request.chairId,
    state: r.request.state,
    requesterType: r.request.requester.type,
    receivedOn: r.request.receivedOn,
    dueOn: r.dueOn,
    extended: r.request.extension !== null,
    sentAt: r.request.delivery?.sentAt ?? null,
    data: copyRequestToJson(r.request),
    warnings: r.warnings.map((w) => ({ at: w.at.toISOString(), text: w.text })),
  };
}

export function copyRequestsRepository(db: DbOrTx): CopyRequestsRepository {
  return {
    async insert(r) {
      const [row] = await db
        .insert(copyRequests)
        .values({ ...columns(r), createdAt: r.at, updatedAt: r.at })
        .returning();
      return toRecord(row!);
    },

    async find(id, opts = {}) {
      const q = db.select().from(copyRequests).where(eq(copyRequests.id, id));
      const [row] = opts.lock ? await q.for('update') : await q;
      return row ? toRecord(row) : null;
    },

    async update(id, expectedVersion, r) {
      const rows = await db
        .update(copyRequests)
        .set({ ...columns(r), updatedAt: r.at, version: sql`${copyRequests.version} + 1` })
        .where(and(eq(copyRequests.id, id), eq(copyRequests.version, expectedVersion)))
        .returning({ version: copyRequests.version });
      return rows[0]?.version ?? null;
    },

    async list(filter) {
      const where: SQL[] = [];
      if (filter.states && filter.states.length) where.push(inArray(copyRequests.state, [...filter.states]));
      if (filter.chairId) where.push(eq(copyRequests.chairId, filter.chairId));
      if (filter.conferenceId) where.push(eq(copyRequests.conferenceId, filter.conferenceId));
      const rows = await db
        .select()
        .from(copyRequests)
        .where(where.length ? and(...where) : undefined)
        .orderBy(asc(copyRequests.dueOn), asc(copyRequests.receivedOn), asc(copyRequests.number));
      return rows.map(toRecord);
    },

    async appendSteps(requestId, steps) {
      if (steps.length === 0) return;
      await db.insert(copyRequestSteps).values(
        steps.map((s) => ({
          requestId,
          action: s.action,
          fromState: s.fromState,
          toState: s.toState,
          at: s.at,
          actorId: s.actorId,
          details: s.details,
        })),
      );
    },

    async listSteps(requestId) {
      const rows = await db
        .select()
        .from(copyRequestSteps)
        .where(eq(copyRequestSteps.requestId, requestId))
        .orderBy(asc(copyRequestSteps.seq));
      return rows.map((s): CopyRequestStepRecord => ({
        seq: s.seq,
        requestId: s.requestId,
        action:
          s.action === 'warning' || s.action === 'advice-asked' || s.action === 'advice-answered'
            ? s.action
            : oneOf(REQUEST_ACTIONS, s.action, 'copy request action'),
        fromState: s.fromState === null ? null : oneOf(REQUEST_STATES, s.fromState, 'copy request state'),
        toState: oneOf(REQUEST_STATES, s.toState, 'copy request state'),
        at: s.at,
        actorId: s.actorId,
        details: s.details as Record<string, unknown>,
      }));
    },
  };
}
