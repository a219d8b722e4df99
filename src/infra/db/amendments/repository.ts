import { and, asc, eq, getTableName, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type {
  AmendmentRequestRecord,
  AmendmentStatus,
  AmendmentsRepository,
} from '../../../app/documents/amendments-ports.ts';
import { parseIsoDate } from '../../../domain/calendar/index.ts';
import { AMENDMENT_CHANNELS } from '../../../domain/documents/amendments.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { amendmentRequests } from '../amendments-schema.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { documentDrafts } from '../documents-schema.ts';
import { conferences, users } from '../schema.ts';

const STATUSES: readonly AmendmentStatus[] = ['waiting-for-chair', 'decided'];

function qualified(column: AnyPgColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}

function nameOf(column: AnyPgColumn): SQL<string | null> {
  return sql<string | null>`(select u.name from ${users} u where u.id = ${qualified(column)})`;
}

const columns = {
  row: amendmentRequests,
  kind: documentDrafts.kind,
  recordedByName: nameOf(amendmentRequests.recordedByUserId),
  decidedByName: nameOf(amendmentRequests.decidedByUserId),
};

function toRecord(r: {
  row: typeof amendmentRequests.$inferSelect;
  kind: string;
  recordedByName: string | null;
  decidedByName: string | null;
}): AmendmentRequestRecord {
  const a = r.row;
  return {
    ...a,
    kind: oneOf(DOCUMENT_KINDS, r.kind, 'document kind'),
    channel: oneOf(AMENDMENT_CHANNELS, a.channel, 'amendment channel'),
    status: oneOf(STATUSES, a.status, 'amendment status'),
    receivedOn: parseIsoDate(a.receivedOn),
    recordReceivedOn: parseIsoDate(a.recordReceivedOn),
    dueOn: parseIsoDate(a.dueOn),
    recordedByName: r.recordedByName,
    decidedByName: r.decidedByName,
  };
}

export function amendmentsRepository(db: DbOrTx): AmendmentsRepository {
  const select = () =>
    db
      .select(columns)
      .from(amendmentRequests)
      .innerJoin(documentDrafts, eq(documentDrafts.id, amendmentRequests.draftId));

  async function find(requestId: string, opts: { lock?: boolean } = {}): Promise<AmendmentRequestRecord | null> {
    const q = select().where(eq(amendmentRequests.id, requestId));
    const [row] = opts.lock ? await q.for('update', { of: amendmentRequests }) : await q;
    return row ? toRecord(row) : null;
  }

  return {
    async insert(request) {
      const [row] = await db
        .insert(amendmentRequests)
        .values({ ...request, status: 'waiting-for-chair' })
        .returning({ id: amendmentRequests.id });
      const found = row ? await find(row.id) : null;
      if (!found) throw new Error('The amendment request was not saved');
      return found;
    },

    async list(conferenceId) {
      const rows = await select()
        .where(eq(amendmentRequests.conferenceId, conferenceId))
        .orderBy(asc(amendmentRequests.recordedAt), asc(amendmentRequests.id));
      return rows.map(toRecord);
    },

    find,

    async decide(requestId, expectedVersion, change) {
      const [row] = await db
        .update(amendmentRequests)
        .set({
          points: change.points,
          status: 'decided',
          decidedByUserId: change.decidedByUserId,
          decidedAt: change.at,
          version: sql`${amendmentRequests.version} + 1`,
        })
        .where(
          and(
            eq(amendmentRequests.id, requestId),
            eq(amendmentRequests.version, expectedVersion),
            eq(amendmentRequests.status, 'waiting-for-chair'),
          ),
        )
        .returning({ id: amendmentRequests.id });
      return row ? find(row.id) : null;
    },

    async decidedFor(draftId, issueNumber) {
      const rows = await select()
        .where(
          and(
            eq(amendmentRequests.draftId, draftId),
            eq(amendmentRequests.issueNumber, issueNumber),
            eq(amendmentRequests.status, 'decided'),
          ),
        )
        .orderBy(asc(amendmentRequests.recordedAt), asc(amendmentRequests.id));
      return rows.map(toRecord);
    },

    async listWaiting() {
      const rows = await db
        .select({
          id: amendmentRequests.id,
          conferenceId: amendmentRequests.conferenceId,
          conferenceDate: conferences.scheduledDate,
          kind: documentDrafts.kind,
          issueNumber: amendmentRequests.issueNumber,
          dueOn: amendmentRequests.dueOn,
          late: amendmentRequests.late,
          receivedOn: amendmentRequests.receivedOn,
          recordReceivedOn: amendmentRequests.recordReceivedOn,
          points: sql<number>`jsonb_array_length(${amendmentRequests.points})::int`,
          chairUserId: conferences.chairUserId,
        })
        .from(amendmentRequests)
        .innerJoin(documentDrafts, eq(documentDrafts.id, amendmentRequests.draftId))
        .innerJoin(conferences, eq(conferences.id, amendmentRequests.conferenceId))
        .where(eq(amendmentRequests.status, 'waiting-for-chair'))
        .orderBy(asc(amendmentRequests.dueOn), asc(amendmentRequests.recordedAt));
      return rows.map((r) => ({
        ...r,
        kind: oneOf(DOCUMENT_KINDS, r.kind, 'document kind'),
        conferenceDate: parseIsoDate(r.conferenceDate),
        dueOn: parseIsoDate(r.dueOn),
        receivedOn: parseIsoDate(r.receivedOn),
        recordReceivedOn: parseIsoDate(r.recordReceivedOn),
        points: Number(r.points),
      }));
    },
  };
}
