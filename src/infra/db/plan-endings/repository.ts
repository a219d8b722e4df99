import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type {
  EndingRecord,
  InvitedAgency,
  NewEnding,
  NewNotice,
  NewStepDown,
  NewTransfer,
  NoticeRecord,
  PlanEndingsRepository,
  StepDownRecord,
  TransferRecord,
} from '../../../app/plan-endings/ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { ENDING_REASONS, LOOKED_AFTER_CRITERIA, STEP_DOWN_KINDS } from '../../../domain/plan-endings/index.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { planEndingNotices, planEndings, planStepDowns, planTransfers } from '../plan-endings-schema.ts';
import { agencies, conferenceChildren, conferenceInvitees, professionals } from '../schema.ts';

const METHODS = ['email', 'letter'] as const;

function stepDown(r: typeof planStepDowns.$inferSelect): StepDownRecord {
  return {
    ...r,
    kind: oneOf(STEP_DOWN_KINDS, r.kind, 'step-down kind'),
    firstMeetingDate: r.firstMeetingDate as IsoDate | null,
  };
}

const endingColumns = {
  row: planEndings,
  authorisedByName: sql<string | null>`(select u.name from users u where u.id = ${planEndings.authorisedByUserId})`,
};

function ending(r: { row: typeof planEndings.$inferSelect; authorisedByName: string | null }): EndingRecord {
  const c = r.row;
  return {
    ...c,
    reason: oneOf(ENDING_REASONS, c.reason, 'plan ending reason'),
    endedOn: c.endedOn as IsoDate,
    lookedAfterCriterion:
      c.lookedAfterCriterion === null ? null : oneOf(LOOKED_AFTER_CRITERIA, c.lookedAfterCriterion, 'criterion'),
    modToldOn: c.modToldOn as IsoDate | null,
    authorisedOn: c.authorisedOn as IsoDate | null,
    authorisedByName: r.authorisedByName,
  };
}

function transfer(r: typeof planTransfers.$inferSelect): TransferRecord {
  const { updatedAt: _updated, ...rest } = r;
  return {
    ...rest,
    noticeOn: r.noticeOn as IsoDate,
    conferenceDue: r.conferenceDue as IsoDate,
    receivingConferenceOn: r.receivingConferenceOn as IsoDate | null,
    confirmationReceivedOn: r.confirmationReceivedOn as IsoDate | null,
  };
}

export function planEndingsRepository(db: DbOrTx): PlanEndingsRepository {
  return {
    async listStepDowns(conferenceId) {
      const rows = await db
        .select()
        .from(planStepDowns)
        .where(eq(planStepDowns.conferenceId, conferenceId))
        .orderBy(asc(planStepDowns.childId), asc(planStepDowns.version));
      return rows.map(stepDown);
    },

    async insertStepDown(row: NewStepDown) {
      const [r] = await db.insert(planStepDowns).values(row).returning({ id: planStepDowns.id });
      return r!.id;
    },

    async findEnding(childId, planConferenceId) {
      const [r] = await db
        .select(endingColumns)
        .from(planEndings)
        .where(and(eq(planEndings.childId, childId), eq(planEndings.planConferenceId, planConferenceId)));
      return r ? ending(r) : null;
    },

    async listEndings(childId) {
      const rows = await db
        .select(endingColumns)
        .from(planEndings)
        .where(eq(planEndings.childId, childId))
        .orderBy(asc(planEndings.recordedAt));
      return rows.map(ending);
    },

    async insertEnding(row: NewEnding) {
      const [r] = await db
        .insert(planEndings)
        .values(row)
        .onConflictDoNothing({ target: [planEndings.childId, planEndings.planConferenceId] })
        .returning({ id: planEndings.id });
      return r?.id ?? null;
    },

    async insertNotice(row: NewNotice) {
      const [r] = await db.insert(planEndingNotices).values(row).returning({ id: planEndingNotices.id });
      return r!.id;
    },

    async listNotices(endingId) {
      const rows = await db
        .select()
        .from(planEndingNotices)
        .where(eq(planEndingNotices.endingId, endingId))
        .orderBy(asc(planEndingNotices.agencyName), asc(planEndingNotices.recipientName));
      return rows.map((r): NoticeRecord => ({
        id: r.id,
        endingId: r.endingId,
        professionalId: r.professionalId,
        recipientName: r.recipientName,
        recipientRole: r.recipientRole,
        agencyName: r.agencyName,
        method: oneOf(METHODS, r.method, 'notice method'),
        outboxMessageId: r.outboxMessageId,
        letterText: r.letterText,
        createdAt: r.createdAt,
        postedAt: r.postedAt,
      }));
    },

    async markPosted(endingId, noticeId, by) {
      const rows = await db
        .update(planEndingNotices)
        .set({ postedAt: by.at, postedByUserId: by.userId })
        .where(
          and(
            eq(planEndingNotices.id, noticeId),
            eq(planEndingNotices.endingId, endingId),
            eq(planEndingNotices.method, 'letter'),
            isNull(planEndingNotices.postedAt),
          ),
        )
        .returning({ id: planEndingNotices.id });
      return rows.length === 1;
    },

    async findTransfer(childId, planConferenceId, opts) {
      const q = db
        .select()
        .from(planTransfers)
        .where(and(eq(planTransfers.childId, childId), eq(planTransfers.planConferenceId, planConferenceId)));
      const [r] = opts?.lock ? await q.for('update') : await q;
      return r ? transfer(r) : null;
    },

    async insertTransfer(row: NewTransfer) {
      const [r] = await db
        .insert(planTransfers)
        .values({ ...row, updatedAt: row.recordedAt })
        .onConflictDoNothing({ target: [planTransfers.childId, planTransfers.planConferenceId] })
        .returning({ id: planTransfers.id });
      return r?.id ?? null;
    },

    async setPackMessage(id, messageId) {
      await db.update(planTransfers).set({ packMessageId: messageId }).where(eq(planTransfers.id, id));
    },

    async updateTransfer(id, version, change) {
      const [r] = await db
        .update(planTransfers)
        .set({
          receivingConferenceOn: change.receivingConferenceOn,
          confirmationReceivedOn: change.confirmationReceivedOn,
          version: version + 1,
          updatedAt: change.at,
        })
        .where(and(eq(planTransfers.id, id), eq(planTransfers.version, version)))
        .returning();
      return r ? transfer(r) : null;
    },

    async invitedAgencies(childId): Promise<InvitedAgency[]> {
      const rows = await db
        .selectDistinctOn([professionals.id], {
          professionalId: professionals.id,
          name: professionals.name,
          roleTitle: professionals.roleTitle,
          agencyName: agencies.name,
          email: professionals.email,
        })
        .from(conferenceChildren)
        .innerJoin(conferenceInvitees, eq(conferenceInvitees.conferenceId, conferenceChildren.conferenceId))
        .innerJoin(professionals, eq(professionals.id, conferenceInvitees.professionalId))
        .innerJoin(agencies, eq(agencies.id, professionals.agencyId))
        .where(eq(conferenceChildren.childId, childId))
        .orderBy(asc(professionals.id));
      return rows.sort(
        (a, b) => a.agencyName.localeCompare(b.agencyName, 'en-GB') || a.name.localeCompare(b.name, 'en-GB'),
      );
    },
  };
}
