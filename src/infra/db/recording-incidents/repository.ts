import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type {
  CovertActionRecord,
  CovertIncidentRecord,
  NewCovertAction,
  NewCovertIncident,
  NewUnpermittedRecording,
  RecordingIncidentsRepository,
  UnpermittedRecordingRecord,
} from '../../../app/recording-incidents/ports.ts';
import {
  ACTION_DECISIONS,
  COVERT_ACTIONS,
  PUBLICATION_ANSWERS,
  UNPERMITTED_OUTCOMES,
} from '../../../domain/recording-incidents/incidents.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  covertRecordingActions,
  covertRecordingIncidentChildren,
  covertRecordingIncidents,
  covertRecordingReminders,
  unpermittedRecordings,
} from '../recording-incidents-schema.ts';

const userName = (col: unknown) => sql<string | null>`(select u.name from users u where u.id = ${col})`;

const unpermittedColumns = { row: unpermittedRecordings, by: userName(unpermittedRecordings.recordedByUserId) };

function toUnpermitted(r: {
  row: typeof unpermittedRecordings.$inferSelect;
  by: string | null;
}): UnpermittedRecordingRecord {
  const u = r.row;
  return {
    id: u.id,
    conferenceId: u.conferenceId,
    personInviteeId: u.personInviteeId,
    personDescription: u.personDescription,
    askedToStopAt: u.askedToStopAt,
    meetingHaltedAt: u.meetingHaltedAt,
    askedToLeaveAt: u.askedToLeaveAt,
    outcome: oneOf(UNPERMITTED_OUTCOMES, u.outcome, 'unpermitted recording outcome'),
    outcomeAt: u.outcomeAt,
    notes: u.notes,
    recordedByUserId: u.recordedByUserId,
    recordedByName: r.by,
    createdAt: u.createdAt,
  };
}

function toAction(a: typeof covertRecordingActions.$inferSelect): CovertActionRecord {
  return {
    id: a.id,
    incidentId: a.incidentId,
    action: oneOf(COVERT_ACTIONS, a.action, 'covert recording action'),
    description: a.description,
    decision: oneOf(ACTION_DECISIONS, a.decision, 'covert recording action decision'),
    doneOn: a.doneOn,
    doneBy: a.doneBy,
    outcome: a.outcome,
    recordedByUserId: a.recordedByUserId,
    createdAt: a.createdAt,
  };
}

const incidentColumns = { row: covertRecordingIncidents, by: userName(covertRecordingIncidents.reportedByUserId) };

export function recordingIncidentsRepository(db: DbOrTx): RecordingIncidentsRepository {
  /** Incidents with their children and actions, in the rows' order. */
  async function complete(
    rows: Array<{ row: typeof covertRecordingIncidents.$inferSelect; by: string | null }>,
  ): Promise<CovertIncidentRecord[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.row.id);
    const kids = await db
      .select()
      .from(covertRecordingIncidentChildren)
      .where(inArray(covertRecordingIncidentChildren.incidentId, ids));
    const actions = await db
      .select()
      .from(covertRecordingActions)
      .where(inArray(covertRecordingActions.incidentId, ids))
      .orderBy(asc(covertRecordingActions.doneOn), asc(covertRecordingActions.createdAt));
    return rows.map(({ row: i, by }) => ({
      id: i.id,
      conferenceId: i.conferenceId,
      childIds: kids
        .filter((k) => k.incidentId === i.id)
        .map((k) => k.childId)
        .sort(),
      foundOn: i.foundOn,
      foundBy: i.foundBy,
      howFound: i.howFound,
      published: oneOf(PUBLICATION_ANSWERS, i.published, 'publication answer'),
      publishedWhere: i.publishedWhere,
      publishedOn: i.publishedOn,
      takenDown: i.takenDown === null ? null : oneOf(PUBLICATION_ANSWERS, i.takenDown, 'taken down answer'),
      takenDownOn: i.takenDownOn,
      chairUserId: i.chairUserId,
      chairMessageId: i.chairMessageId,
      outcome: i.outcome,
      closedOn: i.closedOn,
      closedByUserId: i.closedByUserId,
      reportedByUserId: i.reportedByUserId,
      reportedByName: by,
      version: i.version,
      createdAt: i.createdAt,
      actions: actions.filter((a) => a.incidentId === i.id).map(toAction),
    }));
  }

  return {
    async insertUnpermitted(r: NewUnpermittedRecording) {
      const [row] = await db.insert(unpermittedRecordings).values(r).returning({ id: unpermittedRecordings.id });
      const [saved] = await db
        .select(unpermittedColumns)
        .from(unpermittedRecordings)
        .where(eq(unpermittedRecordings.id, row!.id));
      return toUnpermitted(saved!);
    },
    async listUnpermitted(conferenceId: string) {
      const rows = await db
        .select(unpermittedColumns)
        .from(unpermittedRecordings)
        .where(eq(unpermittedRecordings.conferenceId, conferenceId))
        .orderBy(asc(unpermittedRecordings.askedToStopAt), asc(unpermittedRecordings.createdAt));
      return rows.map(toUnpermitted);
    },
    async insertCovert(i: NewCovertIncident) {
      const [row] = await db
        .insert(covertRecordingIncidents)
        .values({
          conferenceId: i.conferenceId,
          foundOn: i.foundOn,
          foundBy: i.foundBy,
          howFound: i.howFound,
          published: i.published,
          publishedWhere: i.publishedWhere,
          publishedOn: i.publishedOn,
          takenDown: i.takenDown,
          takenDownOn: i.takenDownOn,
          chairUserId: i.chairUserId,
          reportedByUserId: i.reportedByUserId,
          createdAt: i.at,
          updatedAt: i.at,
        })
        .returning({ id: covertRecordingIncidents.id });
      const id = row!.id;
      await db
        .insert(covertRecordingIncidentChildren)
        .values(i.childIds.map((childId) => ({ incidentId: id, childId })));
      return id;
    },
    async setChairMessage(incidentId: string, messageId: string) {
      await db
        .update(covertRecordingIncidents)
        .set({ chairMessageId: messageId })
        .where(eq(covertRecordingIncidents.id, incidentId));
    },
    async findCovert(id: string, opts: { lock?: boolean } = {}) {
      const q = db.select(incidentColumns).from(covertRecordingIncidents).where(eq(covertRecordingIncidents.id, id));
      const rows = opts.lock ? await q.for('update', { of: covertRecordingIncidents }) : await q;
      return (await complete(rows))[0] ?? null;
    },
    async listCovert(conferenceId: string) {
      const rows = await db
        .select(incidentColumns)
        .from(covertRecordingIncidents)
        .where(eq(covertRecordingIncidents.conferenceId, conferenceId))
        .orderBy(asc(covertRecordingIncidents.foundOn), asc(covertRecordingIncidents.createdAt));
      return complete(rows);
    },
    async insertAction(a: NewCovertAction) {
      const [row] = await db.insert(covertRecordingActions).values(a).returning();
      return toAction(row!);
    },
    async touch(id: string, version: number, at: Date) {
      const rows = await db
        .update(covertRecordingIncidents)
        .set({ version: sql`${covertRecordingIncidents.version} + 1`, updatedAt: at })
        .where(and(eq(covertRecordingIncidents.id, id), eq(covertRecordingIncidents.version, version)))
        .returning({ id: covertRecordingIncidents.id });
      return rows.length === 1;
    },
    async close(id, version, c) {
      const rows = await db
        .update(covertRecordingIncidents)
        .set({
          outcome: c.outcome,
          closedOn: c.closedOn,
          closedByUserId: c.closedByUserId,
          version: sql`${covertRecordingIncidents.version} + 1`,
          updatedAt: c.at,
        })
        .where(
          and(
            eq(covertRecordingIncidents.id, id),
            eq(covertRecordingIncidents.version, version),
            isNull(covertRecordingIncidents.closedOn),
          ),
        )
        .returning({ id: covertRecordingIncidents.id });
      return rows.length === 1;
    },
    async listOpen() {
      const rows = await db
        .select({
          id: covertRecordingIncidents.id,
          conferenceId: covertRecordingIncidents.conferenceId,
          foundOn: covertRecordingIncidents.foundOn,
          chairUserId: covertRecordingIncidents.chairUserId,
          // Qualified: inside the subquery a bare "id" would be the action's own.
          actionCount: sql<number>`(select count(*)::int from covert_recording_actions a where a.incident_id = covert_recording_incidents.id)`,
        })
        .from(covertRecordingIncidents)
        .where(isNull(covertRecordingIncidents.closedOn))
        .orderBy(asc(covertRecordingIncidents.foundOn), asc(covertRecordingIncidents.createdAt));
      return rows.map((r) => ({ ...r, actionCount: Number(r.actionCount) }));
    },
    async listForReminders() {
      const rows = await db
        .select({
          id: covertRecordingIncidents.id,
          conferenceId: covertRecordingIncidents.conferenceId,
          createdAt: covertRecordingIncidents.createdAt,
        })
        .from(covertRecordingIncidents)
        .where(isNull(covertRecordingIncidents.closedOn))
        .orderBy(asc(covertRecordingIncidents.foundOn), asc(covertRecordingIncidents.createdAt));
      const sent = rows.length
        ? await db
            .select({ incidentId: covertRecordingReminders.incidentId, sentOn: covertRecordingReminders.sentOn })
            .from(covertRecordingReminders)
            .where(
              inArray(
                covertRecordingReminders.incidentId,
                rows.map((r) => r.id),
              ),
            )
            .orderBy(desc(covertRecordingReminders.sentOn))
        : [];
      return rows.map((r) => ({
        id: r.id,
        conferenceId: r.conferenceId,
        reportedAt: r.createdAt,
        lastRemindedOn: sent.find((x) => x.incidentId === r.id)?.sentOn ?? null,
      }));
    },
    async claimReminder(r) {
      const rows = await db
        .insert(covertRecordingReminders)
        .values({ incidentId: r.incidentId, dueOn: r.dueOn, sentOn: r.sentOn, createdAt: r.at })
        .onConflictDoNothing()
        .returning({ incidentId: covertRecordingReminders.incidentId });
      return rows.length === 1;
    },
    async setReminderMessage(incidentId, dueOn, recipientUserId, messageId) {
      await db
        .update(covertRecordingReminders)
        .set({ recipientUserId, messageId })
        .where(and(eq(covertRecordingReminders.incidentId, incidentId), eq(covertRecordingReminders.dueOn, dueOn)));
    },
    async listReminders(incidentId) {
      return db
        .select({
          dueOn: covertRecordingReminders.dueOn,
          sentOn: covertRecordingReminders.sentOn,
          recipientUserId: covertRecordingReminders.recipientUserId,
          messageId: covertRecordingReminders.messageId,
        })
        .from(covertRecordingReminders)
        .where(eq(covertRecordingReminders.incidentId, incidentId))
        .orderBy(asc(covertRecordingReminders.dueOn));
    },
  };
}
