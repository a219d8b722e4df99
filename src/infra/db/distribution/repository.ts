import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type {
  DistributionRepository,
  NoInvolvementRecord,
  OverrideRecord,
} from '../../../app/documents/distribution-ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { OVERRIDE_ACTIONS } from '../../../domain/documents/distribution.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { documentDistributionOverrides } from '../distribution-schema.ts';
import { conferenceInvitees, users } from '../schema.ts';

const o = documentDistributionOverrides;

function toOverride(row: typeof o.$inferSelect, byName: string | null): OverrideRecord {
  return {
    id: row.id,
    draftId: row.draftId,
    conferenceId: row.conferenceId,
    inviteeId: row.inviteeId,
    issueNumber: row.issueNumber,
    action: oneOf(OVERRIDE_ACTIONS, row.action, 'distribution change'),
    reason: row.reason,
    byUserId: row.byUserId,
    byName,
    at: row.at,
  };
}

export function distributionRepository(db: DbOrTx): DistributionRepository {
  return {
    async listOverrides(draftId) {
      const rows = await db
        .select({ row: o, byName: users.name })
        .from(o)
        .leftJoin(users, eq(users.id, o.byUserId))
        .where(eq(o.draftId, draftId))
        .orderBy(asc(o.at), sql`${o.id}`);
      return rows.map((r) => toOverride(r.row, r.byName));
    },

    async insertOverride(override) {
      const [row] = await db.insert(o).values(override).returning();
      const [by] = override.byUserId
        ? await db.select({ name: users.name }).from(users).where(eq(users.id, override.byUserId))
        : [];
      return toOverride(row!, by?.name ?? null);
    },

    async listNoInvolvement(conferenceId) {
      const i = conferenceInvitees;
      const rows = await db
        .select({
          inviteeId: i.id,
          saidOn: i.noInvolvementOn,
          note: i.noInvolvementNote,
          byUserId: i.noInvolvementByUserId,
          byName: users.name,
          recordedAt: i.noInvolvementRecordedAt,
        })
        .from(i)
        .leftJoin(users, eq(users.id, i.noInvolvementByUserId))
        .where(and(eq(i.conferenceId, conferenceId), isNotNull(i.noInvolvementOn)));
      return rows.map((r): NoInvolvementRecord => ({
        inviteeId: r.inviteeId,
        saidOn: r.saidOn as IsoDate,
        note: r.note,
        byUserId: r.byUserId,
        byName: r.byName,
        recordedAt: r.recordedAt!,
      }));
    },

    async setNoInvolvement(conferenceId, inviteeId, value) {
      const i = conferenceInvitees;
      const updated = await db
        .update(i)
        .set(
          value
            ? {
                noInvolvementOn: value.saidOn,
                noInvolvementNote: value.note,
                noInvolvementByUserId: value.byUserId,
                noInvolvementRecordedAt: value.at,
              }
            : {
                noInvolvementOn: null,
                noInvolvementNote: null,
                noInvolvementByUserId: null,
                noInvolvementRecordedAt: null,
              },
        )
        .where(and(eq(i.id, inviteeId), eq(i.conferenceId, conferenceId), eq(i.kind, 'professional')))
        .returning({ id: i.id });
      return updated.length > 0;
    },
  };
}
