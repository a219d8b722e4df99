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
import { copyRequestFromJson, copyRequestToJson } from './copy-request-json.ts';
import { copyRequests, copyRequestSteps } from '../requests-schema.ts';

type RequestRow = typeof copyRequests.$inferSelect;
type Json = Record<string, unknown>;

const date = (v: unknown): Date => {
  const d = new Date(typeof v === 'string' || v instanceof Date ? v : Number.NaN);
  if (Number.isNaN(d.getTime())) throw new Error('Unexpected time in a stored copy request');
  return d;
};

function warningsFromJson(v: unknown): RequestWarning[] {
  return Array.isArray(v) ? v.map((w: Json) => ({ at: date(w['at']), text: String(w['text']) })) : [];
}

function toRecord(row: RequestRow): CopyRequestRecord {
  return {
    id: row.id,
    number: row.number,
    conferenceId: row.conferenceId,
    request: copyRequestFromJson(row.data),
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
