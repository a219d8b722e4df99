import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type {
  CancellationNoticeRecord,
  ConferenceChangeRecord,
  InvitationDispatchRecord,
  LifecycleRepository,
} from '../../../app/conferences/lifecycle-ports.ts';
import { type ArrangementChange, CHANGE_KINDS, type ChangeKind } from '../../../domain/conferences/rearrangement.ts';
import type { DbOrTx } from '../client.ts';
import { cancellationNotices, conferenceChanges, invitationDispatches } from '../lifecycle-schema.ts';
import { outboxMessages } from '../mail-schema.ts';
import { conferenceParts, conferences } from '../schema.ts';

function kindOf(v: string): ChangeKind {
  if ((CHANGE_KINDS as readonly string[]).includes(v)) return v as ChangeKind;
  throw new Error(`Unknown conference change in the database: ${v}`);
}

function methodOf(v: string): 'email' | 'post' {
  if (v === 'email' || v === 'post') return v;
  throw new Error(`Unknown way of sending in the database: ${v}`);
}

export function lifecycleRepository(db: DbOrTx): LifecycleRepository {
  return {
    async insertChange(conferenceId, c) {
      const [row] = await db
        .insert(conferenceChanges)
        .values({
          conferenceId,
          kind: c.kind,
          changes: c.changes.map((x) => ({ field: x.field, label: x.label, from: x.from, to: x.to })),
          reason: c.reason,
          lateAgreedBy: c.lateAgreedBy,
          lateReason: c.lateReason,
          changedByUserId: c.changedByUserId,
          changedByLabel: c.changedByLabel,
          changedAt: c.changedAt,
        })
        .returning({ id: conferenceChanges.id });
      return row!.id;
    },

    async listChanges(conferenceId) {
      const rows = await db
        .select()
        .from(conferenceChanges)
        .where(eq(conferenceChanges.conferenceId, conferenceId))
        .orderBy(asc(conferenceChanges.changedAt), asc(conferenceChanges.id));
      return rows.map((r): ConferenceChangeRecord => ({
        id: r.id,
        conferenceId: r.conferenceId,
        kind: kindOf(r.kind),
        changes: r.changes as ArrangementChange[],
        reason: r.reason,
        lateAgreedBy: r.lateAgreedBy,
        lateReason: r.lateReason,
        changedBy: { id: r.changedByUserId, name: r.changedByLabel },
        changedAt: r.changedAt,
      }));
    },

    async updateArrangements(conferenceId, a, late) {
      const [before] = await db
        .select({ durationMinutes: conferences.durationMinutes })
        .from(conferences)
        .where(eq(conferences.id, conferenceId));
      await db
        .update(conferences)
        .set({
          scheduledDate: a.scheduledDate,
          startTime: a.startTime,
          durationMinutes: a.durationMinutes,
          venueKind: a.venueKind,
          venueDetails: a.venueDetails,
          onlineLink: a.onlineLink,
          lateAgreedBy: late.agreedBy,
          lateReason: late.reason,
          version: sql`${conferences.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(conferences.id, conferenceId));
      const parts = await db.select().from(conferenceParts).where(eq(conferenceParts.conferenceId, conferenceId));
      // An unsplit conference's one part is the whole conference: it follows the new length.
      if (
        parts.length === 1 &&
        before &&
        parts[0]!.startOffsetMinutes === 0 &&
        parts[0]!.durationMinutes === before.durationMinutes
      ) {
        await db
          .update(conferenceParts)
          .set({ durationMinutes: a.durationMinutes })
          .where(eq(conferenceParts.id, parts[0]!.id));
      }
    },

    async markCancelled(conferenceId, reason) {
      const rows = await db
        .update(conferences)
        .set({
          status: 'cancelled',
          cancelledReason: reason,
          version: sql`${conferences.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(conferences.id, conferenceId), eq(conferences.status, 'planned')))
        .returning({ id: conferences.id });
      return rows.length === 1;
    },

    async insertDispatch(conferenceId, d) {
      await db.insert(invitationDispatches).values({
        issueId: d.issueId,
        conferenceId,
        inviteeId: d.inviteeId,
        method: d.method,
        outboxMessageId: d.outboxMessageId,
        postedAt: d.posted?.at ?? null,
        postedByUserId: d.posted?.userId ?? null,
        postedByLabel: d.posted?.label ?? null,
      });
    },

    async listDispatches(conferenceId) {
      const rows = await db
        .select({ d: invitationDispatches, outboxState: outboxMessages.state })
        .from(invitationDispatches)
        .leftJoin(outboxMessages, eq(outboxMessages.id, invitationDispatches.outboxMessageId))
        .where(eq(invitationDispatches.conferenceId, conferenceId))
        .orderBy(asc(invitationDispatches.createdAt));
      return rows.map(({ d, outboxState }): InvitationDispatchRecord => ({
        issueId: d.issueId,
        inviteeId: d.inviteeId,
        method: methodOf(d.method),
        outboxMessageId: d.outboxMessageId,
        outboxState: outboxState ?? null,
        postedAt: d.postedAt,
        postedByLabel: d.postedByLabel,
        createdAt: d.createdAt,
      }));
    },

    async markDispatchPosted(issueId, posted) {
      const rows = await db
        .update(invitationDispatches)
        .set({ postedAt: posted.at, postedByUserId: posted.userId, postedByLabel: posted.label })
        .where(
          and(
            eq(invitationDispatches.issueId, issueId),
            eq(invitationDispatches.method, 'post'),
            isNull(invitationDispatches.postedAt),
          ),
        )
        .returning({ id: invitationDispatches.issueId });
      return rows.length === 1;
    },

    async insertCancellationNotice(conferenceId, n) {
      const [row] = await db
        .insert(cancellationNotices)
        .values({ conferenceId, ...n })
        .returning({ id: cancellationNotices.id });
      return row!.id;
    },

    async listCancellationNotices(conferenceId) {
      const rows = await db
        .select({ n: cancellationNotices, outboxState: outboxMessages.state })
        .from(cancellationNotices)
        .leftJoin(outboxMessages, eq(outboxMessages.id, cancellationNotices.outboxMessageId))
        .where(eq(cancellationNotices.conferenceId, conferenceId))
        .orderBy(asc(cancellationNotices.issuedAt), asc(cancellationNotices.id));
      return rows.map(({ n, outboxState }): CancellationNoticeRecord => ({
        id: n.id,
        inviteeId: n.inviteeId,
        method: methodOf(n.method),
        recipientEmail: n.recipientEmail,
        outboxMessageId: n.outboxMessageId,
        outboxState: outboxState ?? null,
        subject: n.subject,
        body: n.body,
        issuedAt: n.issuedAt,
        issuedByLabel: n.issuedByLabel,
        postedAt: n.postedAt,
        postedByLabel: n.postedByLabel,
      }));
    },

    async markNoticePosted(noticeId, posted) {
      const rows = await db
        .update(cancellationNotices)
        .set({ postedAt: posted.at, postedByUserId: posted.userId, postedByLabel: posted.label })
        .where(
          and(
            eq(cancellationNotices.id, noticeId),
            eq(cancellationNotices.method, 'post'),
            isNull(cancellationNotices.postedAt),
          ),
        )
        .returning({ id: cancellationNotices.id });
      return rows.length === 1;
    },
  };
}
