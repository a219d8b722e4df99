import { and, asc, desc, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import type {
  CoreGroupDashboardPlan,
  CoreGroupMeetingRecord,
  CoreGroupRecordVersion,
  CoreGroupsRepository,
} from '../../../app/core-groups/ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { ATTENDANCE, PROGRESS } from '../../../domain/core-groups/core-groups.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  coreGroupMeetings as meetings,
  coreGroupRecords as records,
  coreGroupReminders,
  leadSocialWorkerAppointments as appointments,
} from '../core-groups-schema.ts';
import { childPlans, conferenceInvitees, conferences } from '../schema.ts';

const nameOf = (col: unknown) => sql<string | null>`(select u.name from users u where u.id = ${col})`;

function toVersion(r: typeof records.$inferSelect, recordedByName: string | null): CoreGroupRecordVersion {
  return {
    version: r.version,
    planId: r.planId,
    attendance: r.attendance.map((a) => ({
      inviteeId: a.inviteeId,
      attendance: oneOf(ATTENDANCE, a.attendance, 'core group attendance'),
    })),
    progress: r.progress.map((p) => ({
      ordinal: p.ordinal,
      progress: oneOf(PROGRESS, p.progress, 'action progress'),
      note: p.note,
    })),
    notes: r.notes,
    changeReason: r.changeReason,
    recordedByUserId: r.recordedByUserId,
    recordedByName,
    recordedAt: r.recordedAt,
  };
}

// The latest plan version's row at a held conference, the child's latest such conference first.
// No held conference for the child after it: a later conference that made no plan ends the earlier one's place.
const noLaterHeld = sql`not exists (select 1 from conference_children lcc join conferences lc on lc.id = lcc.conference_id
  where lcc.child_id = ${childPlans.childId} and lc.status = 'held' and lc.scheduled_date > ${conferences.scheduledDate})`;
const latestHeldPlanOrder = [asc(childPlans.childId), desc(conferences.scheduledDate), desc(childPlans.version)];

export function coreGroupsRepository(db: DbOrTx): CoreGroupsRepository {
  async function withRecords(rows: Array<{ m: typeof meetings.$inferSelect; chairName: string | null }>) {
    const ids = rows.map((r) => r.m.id);
    const latest = new Map<string, CoreGroupRecordVersion>();
    if (ids.length) {
      const versions = await db
        .selectDistinctOn([records.meetingId], { r: records, by: nameOf(records.recordedByUserId) })
        .from(records)
        .where(inArray(records.meetingId, ids))
        .orderBy(asc(records.meetingId), desc(records.version));
      for (const v of versions) latest.set(v.r.meetingId, toVersion(v.r, v.by));
    }
    return rows.map(({ m, chairName }): CoreGroupMeetingRecord => ({
      id: m.id,
      childId: m.childId,
      conferenceId: m.conferenceId,
      sequence: m.sequence,
      meetingDate: m.meetingDate as IsoDate,
      chairUserId: m.chairUserId,
      chairName,
      version: m.version,
      createdAt: m.createdAt,
      record: latest.get(m.id) ?? null,
    }));
  }

  return {
    async planConferenceId(childId) {
      const [row] = await db
        .select({ conferenceId: childPlans.conferenceId })
        .from(childPlans)
        .innerJoin(conferences, eq(conferences.id, childPlans.conferenceId))
        .where(and(eq(childPlans.childId, childId), eq(conferences.status, 'held'), noLaterHeld))
        .orderBy(desc(conferences.scheduledDate), desc(childPlans.version))
        .limit(1);
      return row?.conferenceId ?? null;
    },

    async listMeetings(childId, conferenceId) {
      const rows = await db
        .select({ m: meetings, chairName: nameOf(meetings.chairUserId) })
        .from(meetings)
        .where(
          conferenceId
            ? and(eq(meetings.childId, childId), eq(meetings.conferenceId, conferenceId))
            : eq(meetings.childId, childId),
        )
        .orderBy(asc(meetings.sequence));
      return withRecords(rows);
    },

    async findMeeting(meetingId, opts) {
      const q = db
        .select({ m: meetings, chairName: nameOf(meetings.chairUserId) })
        .from(meetings)
        .where(eq(meetings.id, meetingId));
      const rows = opts?.lock ? await q.for('update') : await q;
      return (await withRecords(rows))[0] ?? null;
    },

    async recordVersions(meetingId) {
      const rows = await db
        .select({ r: records, by: nameOf(records.recordedByUserId) })
        .from(records)
        .where(eq(records.meetingId, meetingId))
        .orderBy(asc(records.version));
      return rows.map((r) => toVersion(r.r, r.by));
    },

    async nextSequence(childId) {
      const [row] = await db
        .select({ n: max(meetings.sequence) })
        .from(meetings)
        .where(eq(meetings.childId, childId));
      return (row?.n ?? 0) + 1;
    },

    async insertMeeting(m) {
      const [row] = await db
        .insert(meetings)
        .values({
          childId: m.childId,
          conferenceId: m.conferenceId,
          sequence: m.sequence,
          meetingDate: m.meetingDate,
          chairUserId: m.chairUserId,
          createdByUserId: m.createdByUserId,
          createdAt: m.at,
        })
        .returning({ id: meetings.id });
      return row!.id;
    },

    async insertRecord(r, expectedVersion) {
      const bumped = await db
        .update(meetings)
        .set({ version: sql`${meetings.version} + 1` })
        .where(and(eq(meetings.id, r.meetingId), eq(meetings.version, expectedVersion)))
        .returning({ id: meetings.id });
      if (!bumped.length) return false;
      await db.insert(records).values({
        meetingId: r.meetingId,
        version: r.version,
        planId: r.planId,
        attendance: r.attendance,
        progress: r.progress,
        notes: r.notes,
        changeReason: r.changeReason,
        recordedByUserId: r.recordedByUserId,
        recordedAt: r.recordedAt,
      });
      return true;
    },

    async latestAppointment(conferenceId, childId) {
      const [row] = await db
        .select({
          userId: appointments.userId,
          name: nameOf(appointments.userId),
          appointedAt: appointments.appointedAt,
        })
        .from(appointments)
        .where(and(eq(appointments.conferenceId, conferenceId), eq(appointments.childId, childId)))
        .orderBy(desc(appointments.appointedAt), desc(appointments.id))
        .limit(1);
      return row ?? null;
    },

    async appoint(a) {
      await db.insert(appointments).values({
        conferenceId: a.conferenceId,
        childId: a.childId,
        userId: a.userId,
        appointedByUserId: a.appointedByUserId,
        appointedAt: a.at,
      });
    },

    async plansInForce() {
      const decision = sql<string | null>`(select d.outcome from child_decisions d
        where d.conference_id = ${childPlans.conferenceId} and d.child_id = ${childPlans.childId}
        order by d.version desc limit 1)`;
      const appointed = sql<string | null>`(select a.user_id from lead_social_worker_appointments a
        where a.conference_id = ${childPlans.conferenceId} and a.child_id = ${childPlans.childId}
        order by a.appointed_at desc, a.id desc limit 1)`;
      const lastHeld = sql<string | null>`(select max(m.meeting_date) from core_group_meetings m
        where m.child_id = ${childPlans.childId} and m.conference_id = ${childPlans.conferenceId}
          and exists (select 1 from core_group_records r where r.meeting_id = m.id))`;
      const nextScheduled = sql<string | null>`(select min(m.meeting_date) from core_group_meetings m
        where m.child_id = ${childPlans.childId} and m.conference_id = ${childPlans.conferenceId}
          and not exists (select 1 from core_group_records r where r.meeting_id = m.id))`;
      const rows = await db
        .selectDistinctOn([childPlans.childId], {
          conferenceId: childPlans.conferenceId,
          childId: childPlans.childId,
          conferenceDate: conferences.scheduledDate,
          firstCoreGroupDate: childPlans.firstCoreGroupDate,
          leadSocialWorkerUserId: childPlans.leadSocialWorkerUserId,
          decision,
          appointed,
          lastHeld,
          nextScheduled,
        })
        .from(childPlans)
        .innerJoin(conferences, eq(conferences.id, childPlans.conferenceId))
        .where(and(eq(conferences.status, 'held'), noLaterHeld))
        .orderBy(...latestHeldPlanOrder);
      return rows
        .filter((r) => r.decision === 'plan-needed' || r.decision === 'plan-continues')
        .map((r): CoreGroupDashboardPlan => ({
          conferenceId: r.conferenceId,
          childId: r.childId,
          conferenceDate: r.conferenceDate as IsoDate,
          firstCoreGroupDate: (r.firstCoreGroupDate as IsoDate | null) ?? null,
          leadSocialWorkerUserId: r.leadSocialWorkerUserId,
          appointedUserId: r.appointed,
          lastHeld: (r.lastHeld as IsoDate | null) ?? null,
          nextScheduled: (r.nextScheduled as IsoDate | null) ?? null,
        }));
    },

    async plannedInterpreterLanguages() {
      const rows = await db
        .select({
          conferenceId: conferenceInvitees.conferenceId,
          kind: conferenceInvitees.kind,
          interpreterLanguage: conferenceInvitees.interpreterLanguage,
        })
        .from(conferenceInvitees)
        .innerJoin(conferences, eq(conferences.id, conferenceInvitees.conferenceId))
        .where(and(eq(conferences.status, 'planned'), isNotNull(conferenceInvitees.interpreterLanguage)));
      return rows.map((r) => ({
        conferenceId: r.conferenceId,
        kind: r.kind,
        interpreterLanguage: r.interpreterLanguage!,
      }));
    },

    async claimReminder(r) {
      const rows = await db
        .insert(coreGroupReminders)
        .values({ conferenceId: r.conferenceId, childId: r.childId, dueOn: r.dueOn, sentOn: r.sentOn, createdAt: r.at })
        .onConflictDoNothing()
        .returning({ dueOn: coreGroupReminders.dueOn });
      return rows.length === 1;
    },

    async setReminderRecipient(r, recipientUserId, messageId) {
      await db
        .update(coreGroupReminders)
        .set({ recipientUserId, messageId })
        .where(
          and(
            eq(coreGroupReminders.conferenceId, r.conferenceId),
            eq(coreGroupReminders.childId, r.childId),
            eq(coreGroupReminders.dueOn, r.dueOn),
          ),
        );
    },

    async listReminders(childId) {
      const rows = await db
        .select({
          conferenceId: coreGroupReminders.conferenceId,
          dueOn: coreGroupReminders.dueOn,
          recipientUserId: coreGroupReminders.recipientUserId,
        })
        .from(coreGroupReminders)
        .where(eq(coreGroupReminders.childId, childId))
        .orderBy(asc(coreGroupReminders.dueOn));
      return rows.map((x) => ({ ...x, dueOn: x.dueOn as IsoDate }));
    },
  };
}
