import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type {
  ComplaintChange,
  ComplaintRecord,
  ComplaintsRepository,
  NewComplaintRecord,
} from '../../../app/complaints/ports.ts';
import { COMPLAINT_OUTCOMES, COMPLAINT_STAGES, COMPLAINT_SUBJECTS } from '../../../domain/complaints/complaints.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { complaints } from '../complaints-schema.ts';

const columns = {
  row: complaints,
  investigatorName: sql<string | null>`(select u.name from users u where u.id = ${complaints.investigatorUserId})`,
};

function toRecord(r: { row: typeof complaints.$inferSelect; investigatorName: string | null }): ComplaintRecord {
  const c = r.row;
  return {
    id: c.id,
    conferenceId: c.conferenceId,
    about: c.about.map((a) => oneOf(COMPLAINT_SUBJECTS, a, 'complaint subject')),
    complainantInviteeId: c.complainantInviteeId,
    complainantName: c.complainantName,
    receivedOn: c.receivedOn,
    summary: c.summary,
    stage: oneOf(COMPLAINT_STAGES, c.stage, 'complaint stage'),
    investigatorUserId: c.investigatorUserId,
    investigatorName: r.investigatorName,
    outcome: c.outcome === null ? null : oneOf(COMPLAINT_OUTCOMES, c.outcome, 'complaint outcome'),
    closedOn: c.closedOn,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function complaintsRepository(db: DbOrTx): ComplaintsRepository {
  const find = async (id: string, opts: { lock?: boolean } = {}) => {
    const q = db.select(columns).from(complaints).where(eq(complaints.id, id));
    const rows = opts.lock ? await q.for('update') : await q;
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    async insert(c: NewComplaintRecord) {
      const [row] = await db
        .insert(complaints)
        .values({
          conferenceId: c.conferenceId,
          about: c.about,
          complainantInviteeId: c.complainantInviteeId,
          complainantName: c.complainantName,
          receivedOn: c.receivedOn,
          summary: c.summary,
          stage: 'informal',
          createdByUserId: c.createdByUserId,
          updatedByUserId: c.createdByUserId,
          createdAt: c.at,
          updatedAt: c.at,
        })
        .returning({ id: complaints.id });
      const saved = row ? await find(row.id) : null;
      if (!saved) throw new Error('The complaint was not saved');
      return saved;
    },
    find,
    async listForConference(conferenceId: string) {
      const rows = await db
        .select(columns)
        .from(complaints)
        .where(eq(complaints.conferenceId, conferenceId))
        .orderBy(asc(complaints.receivedOn), asc(complaints.createdAt));
      return rows.map(toRecord);
    },
    async update(id: string, version: number, change: ComplaintChange) {
      const rows = await db
        .update(complaints)
        .set({
          ...(change.stage !== undefined ? { stage: change.stage } : {}),
          ...(change.investigatorUserId !== undefined ? { investigatorUserId: change.investigatorUserId } : {}),
          ...(change.outcome !== undefined ? { outcome: change.outcome } : {}),
          ...(change.closedOn !== undefined ? { closedOn: change.closedOn } : {}),
          version: sql`${complaints.version} + 1`,
          updatedByUserId: change.updatedByUserId,
          updatedAt: change.at,
        })
        .where(and(eq(complaints.id, id), eq(complaints.version, version)))
        .returning({ id: complaints.id });
      return rows[0] ? find(id) : null;
    },
    async investigatorGrants(conferenceId: string, userId: string) {
      const rows = await db
        .select({ id: complaints.id, outcome: complaints.outcome })
        .from(complaints)
        .where(and(eq(complaints.conferenceId, conferenceId), eq(complaints.investigatorUserId, userId)))
        .orderBy(sql`${complaints.outcome} is null desc`, desc(complaints.closedOn), desc(complaints.updatedAt));
      return rows.map((r) => ({ id: r.id, open: r.outcome === null }));
    },
  };
}
