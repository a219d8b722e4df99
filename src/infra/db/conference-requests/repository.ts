import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type {
  ConferenceRequestDecision,
  ConferenceRequestRecord,
  ConferenceRequestsRepository,
  ConveningGroundsRecord,
  NewConferenceRequest,
} from '../../../app/conference-requests/ports.ts';
import { REQUEST_STATUSES, SUPPORT_KINDS } from '../../../domain/conference-requests/requests.ts';
import { BROUGHT_FORWARD_REASONS, PRE_BIRTH_GROUNDS } from '../../../domain/conferences/convening-grounds.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  conferenceConveningGrounds as grounds,
  conferenceRequests as requests,
} from '../conference-requests-schema.ts';

const columns = {
  row: requests,
  decidedByName: sql<string | null>`(select u.name from users u where u.id = ${requests.decidedByUserId})`,
  recordedByName: sql<string | null>`(select u.name from users u where u.id = ${requests.recordedByUserId})`,
  conferenceDate: sql<
    string | null
  >`(select c.scheduled_date::text from conferences c where c.id = ${requests.conferenceId})`,
};

function toRecord(r: {
  row: typeof requests.$inferSelect;
  decidedByName: string | null;
  recordedByName: string | null;
  conferenceDate: string | null;
}): ConferenceRequestRecord {
  const c = r.row;
  return {
    id: c.id,
    childId: c.childId,
    professionalId: c.professionalId,
    requesterName: c.requesterName,
    requesterAgency: c.requesterAgency,
    requesterRole: c.requesterRole,
    requesterEmail: c.requesterEmail,
    reasons: c.reasons,
    support: oneOf(SUPPORT_KINDS, c.support, 'support'),
    supporterName: c.supporterName,
    status: oneOf(REQUEST_STATUSES, c.status, 'conference request status'),
    declineReasons: c.declineReasons,
    discussion: c.discussion,
    exceptionReason: c.exceptionReason,
    decidedByUserId: c.decidedByUserId,
    decidedByName: r.decidedByName,
    decidedAt: c.decidedAt,
    requesterToldMessageId: c.requesterToldMessageId,
    conference: c.conferenceId && r.conferenceDate ? { id: c.conferenceId, scheduledDate: r.conferenceDate } : null,
    convenedToldMessageId: c.convenedToldMessageId,
    recordedByUserId: c.recordedByUserId,
    recordedByName: r.recordedByName,
    recordedAt: c.recordedAt,
  };
}

export function conferenceRequestsRepository(db: DbOrTx): ConferenceRequestsRepository {
  return {
    async saveConveningGrounds(g: ConveningGroundsRecord) {
      await db.insert(grounds).values({
        conferenceId: g.conferenceId,
        preBirthGrounds: g.preBirthGrounds,
        prematureBirthLikely: g.prematureBirthLikely,
        broughtForwardReason: g.broughtForwardReason,
        broughtForwardOther: g.broughtForwardOther,
      });
    },

    async findConveningGrounds(conferenceId: string) {
      const [g] = await db.select().from(grounds).where(eq(grounds.conferenceId, conferenceId));
      if (!g) return null;
      return {
        conferenceId: g.conferenceId,
        preBirthGrounds: g.preBirthGrounds.map((x) => oneOf(PRE_BIRTH_GROUNDS, x, 'pre-birth ground')),
        prematureBirthLikely: g.prematureBirthLikely,
        broughtForwardReason:
          g.broughtForwardReason === null
            ? null
            : oneOf(BROUGHT_FORWARD_REASONS, g.broughtForwardReason, 'brought forward reason'),
        broughtForwardOther: g.broughtForwardOther,
      };
    },

    async insert(r: NewConferenceRequest) {
      const [row] = await db
        .insert(requests)
        .values({
          childId: r.childId,
          professionalId: r.professionalId,
          requesterName: r.requesterName,
          requesterAgency: r.requesterAgency,
          requesterRole: r.requesterRole,
          requesterEmail: r.requesterEmail,
          reasons: r.reasons,
          support: r.support,
          supporterName: r.supporterName,
          recordedByUserId: r.recordedByUserId,
          recordedAt: r.recordedAt,
        })
        .returning({ id: requests.id });
      return row!.id;
    },

    async find(id: string, opts: { lock?: boolean } = {}) {
      if (opts.lock) await db.select({ id: requests.id }).from(requests).where(eq(requests.id, id)).for('update');
      const [r] = await db.select(columns).from(requests).where(eq(requests.id, id));
      return r ? toRecord(r) : null;
    },

    async listForChild(childId: string) {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(eq(requests.childId, childId))
        .orderBy(desc(requests.recordedAt), desc(requests.id));
      return rows.map(toRecord);
    },

    async listWaiting() {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(eq(requests.status, 'awaiting-decision'))
        .orderBy(asc(requests.recordedAt), asc(requests.id));
      return rows.map(toRecord);
    },

    async decide(id: string, d: ConferenceRequestDecision) {
      const done = await db
        .update(requests)
        .set({
          status: d.status,
          declineReasons: d.declineReasons,
          discussion: d.discussion,
          exceptionReason: d.exceptionReason,
          decidedByUserId: d.decidedByUserId,
          decidedAt: d.decidedAt,
        })
        .where(and(eq(requests.id, id), eq(requests.status, 'awaiting-decision')))
        .returning({ id: requests.id });
      return done.length > 0;
    },

    async markRequesterTold(id: string, messageId: string) {
      await db.update(requests).set({ requesterToldMessageId: messageId }).where(eq(requests.id, id));
    },

    async linkConference(id: string, conferenceId: string) {
      const done = await db
        .update(requests)
        .set({ conferenceId })
        .where(and(eq(requests.id, id), eq(requests.status, 'agreed'), isNull(requests.conferenceId)))
        .returning({ id: requests.id });
      return done.length > 0;
    },

    async markConvenedTold(id: string, messageId: string) {
      await db.update(requests).set({ convenedToldMessageId: messageId }).where(eq(requests.id, id));
    },
  };
}
