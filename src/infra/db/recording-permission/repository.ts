import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type {
  NewPermissionRequest,
  PermissionLinkRecord,
  PermissionRequestChange,
  PermissionRequestRecord,
  RecordingPermissionRepository,
  UndertakingFormat,
} from '../../../app/recording-permission/ports.ts';
import {
  ALTERNATIVES,
  MEETING_KINDS,
  REFUSAL_GROUNDS,
  REQUEST_METHODS,
  REQUEST_STATUSES,
  UNDERTAKING_METHODS,
  VIEWS,
} from '../../../domain/recording-permission/requests.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  recordingPermissionLinks as links,
  recordingPermissionRequests as requests,
  recordingPermissionViews as views,
} from '../recording-permission-schema.ts';
import { conferenceChildren, conferences } from '../schema.ts';

const columns = {
  row: requests,
  decidedByName: sql<string | null>`(select u.name from users u where u.id = ${requests.decidedByUserId})`,
};

const FORMATS: readonly UndertakingFormat[] = ['pdf', 'png', 'jpeg'];
const REQUESTER_KINDS = ['child', 'family', 'someone-else'] as const;
const SIGNED_VIA = ['upload', 'online'] as const;

function toRecord(r: { row: typeof requests.$inferSelect; decidedByName: string | null }): PermissionRequestRecord {
  const c = r.row;
  return {
    id: c.id,
    conferenceId: c.conferenceId,
    childId: c.childId,
    meetingKind: oneOf(MEETING_KINDS, c.meetingKind, 'meeting kind'),
    meetingDate: c.meetingDate,
    meetingTime: c.meetingTime,
    organiser: c.organiser,
    requesterKind: oneOf(REQUESTER_KINDS, c.requesterKind, 'requester kind'),
    requesterChildId: c.requesterChildId,
    requesterPersonId: c.requesterPersonId,
    requesterName: c.requesterName,
    askedAt: c.askedAt,
    method: oneOf(REQUEST_METHODS, c.method, 'request method'),
    purpose: c.purpose,
    undertakingMethod: oneOf(UNDERTAKING_METHODS, c.undertakingMethod, 'undertaking method'),
    undertakingFile:
      c.undertakingBlobKey !== null
        ? {
            blobKey: c.undertakingBlobKey,
            sha256: c.undertakingSha256 ?? '',
            size: c.undertakingSize ?? 0,
            format: oneOf(FORMATS, c.undertakingFormat ?? '', 'undertaking format'),
          }
        : null,
    undertakingSignedAt: c.undertakingSignedAt,
    undertakingSignedVia:
      c.undertakingSignedVia === null ? null : oneOf(SIGNED_VIA, c.undertakingSignedVia, 'undertaking signed via'),
    hoursBefore: c.hoursBefore,
    late: c.late,
    status: oneOf(REQUEST_STATUSES, c.status, 'request status'),
    notEligibleReason: c.notEligibleReason,
    grounds: c.decisionGrounds.map((g) => ({
      ground: oneOf(REFUSAL_GROUNDS, g.ground, 'refusal ground'),
      evidence: g.evidence,
    })),
    alternatives: c.decisionAlternatives.map((a) => oneOf(ALTERNATIVES, a, 'alternative')),
    alternativesNote: c.alternativesNote,
    reasons: c.decisionReasons,
    decidedByUserId: c.decidedByUserId,
    decidedByName: r.decidedByName,
    decidedAt: c.decidedAt,
    confirmedAt: c.confirmedAt,
    confirmedByEmail: c.confirmedByEmail,
    version: c.version,
    createdAt: c.createdAt,
  };
}

function toLink(l: typeof links.$inferSelect): PermissionLinkRecord {
  return {
    id: l.id,
    requestId: l.requestId,
    createdAt: l.createdAt,
    expiresAt: l.expiresAt,
    revokedAt: l.revokedAt,
    confirmedAt: l.confirmedAt,
    confirmedName: l.confirmedName,
    codeHash: l.codeHash,
    codeIssuedAt: l.codeIssuedAt,
    codeExpiresAt: l.codeExpiresAt,
    codeAttempts: l.codeAttempts,
    codesIssued: l.codesIssued,
    codeUsedAt: l.codeUsedAt,
  };
}

const WAITING = ['awaiting-undertaking', 'awaiting-decision'];

export function recordingPermissionRepository(db: DbOrTx): RecordingPermissionRepository {
  const find = async (id: string, opts: { lock?: boolean } = {}) => {
    const q = db.select(columns).from(requests).where(eq(requests.id, id));
    const rows = opts.lock ? await q.for('update', { of: requests }) : await q;
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    async insert(r: NewPermissionRequest) {
      const [row] = await db
        .insert(requests)
        .values({
          conferenceId: r.conferenceId,
          childId: r.childId,
          meetingKind: r.meetingKind,
          meetingDate: r.meetingDate,
          meetingTime: r.meetingTime,
          organiser: r.organiser,
          requesterKind: r.requesterKind,
          requesterChildId: r.requesterChildId,
          requesterPersonId: r.requesterPersonId,
          requesterName: r.requesterName,
          askedAt: r.askedAt,
          method: r.method,
          purpose: r.purpose,
          undertakingMethod: r.undertakingMethod,
          undertakingBlobKey: r.undertakingFile?.blobKey ?? null,
          undertakingSha256: r.undertakingFile?.sha256 ?? null,
          undertakingSize: r.undertakingFile?.size ?? null,
          undertakingFormat: r.undertakingFile?.format ?? null,
          undertakingSignedAt: r.undertakingSignedAt,
          undertakingSignedVia: r.undertakingSignedVia,
          hoursBefore: r.hoursBefore,
          late: r.late,
          status: r.status,
          notEligibleReason: r.notEligibleReason,
          createdByUserId: r.createdByUserId,
          createdAt: r.at,
          updatedAt: r.at,
        })
        .returning({ id: requests.id });
      const saved = row ? await find(row.id) : null;
      if (!saved) throw new Error('The request to record was not saved');
      return saved;
    },
    find,
    async listForConference(conferenceId: string) {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(eq(requests.conferenceId, conferenceId))
        .orderBy(asc(requests.askedAt), asc(requests.createdAt));
      return rows.map(toRecord);
    },
    async listForChild(childId: string) {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(
          or(
            eq(requests.childId, childId),
            inArray(
              requests.conferenceId,
              db
                .select({ id: conferenceChildren.conferenceId })
                .from(conferenceChildren)
                .where(eq(conferenceChildren.childId, childId)),
            ),
          ),
        )
        .orderBy(asc(requests.askedAt), asc(requests.createdAt));
      return rows.map(toRecord);
    },
    async listWaiting() {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(inArray(requests.status, WAITING))
        .orderBy(asc(requests.askedAt));
      return rows.map(toRecord);
    },
    async countWaitingFor(userId: string) {
      // One statement for the dashboard: what waits for this person's decision (the conference's chair, or the
      // child's social worker for another meeting), with the soonest meeting still waiting (England date and time),
      // and the decisions not yet confirmed to the requester on requests they decide or recorded.
      const waiting = sql`${requests.status} in ('awaiting-undertaking', 'awaiting-decision')`;
      const unconfirmed = sql`(${requests.confirmedAt} is null and ${requests.status} in ('granted', 'refused', 'not-eligible'))`;
      const decides = sql`(${conferences.chairUserId} = ${userId}
        or ${requests.childId} in (select ch.id from children ch where ch.allocated_social_worker_id = ${userId}))`;
      const rows = await db
        .select({
          waiting: sql<number>`(count(*) filter (where ${waiting}))::int`,
          shortNotice: sql<number>`(count(*) filter (where ${waiting} and ${requests.late}))::int`,
          soonest: sql<
            string | null
          >`min(coalesce(${conferences.scheduledDate}::text, ${requests.meetingDate}::text) || ' ' || coalesce(${conferences.startTime}, ${requests.meetingTime})) filter (where ${waiting})`,
          unconfirmed: sql<number>`(count(*) filter (where ${unconfirmed}))::int`,
        })
        .from(requests)
        .leftJoin(conferences, eq(conferences.id, requests.conferenceId))
        .where(
          sql`((${waiting} and ${decides}) or (${unconfirmed} and (${decides} or ${requests.createdByUserId} = ${userId})))`,
        );
      const soonest = rows[0]?.soonest ?? null;
      const [date, time] = soonest ? soonest.split(' ') : [];
      return {
        waiting: Number(rows[0]?.waiting ?? 0),
        shortNotice: Number(rows[0]?.shortNotice ?? 0),
        soonest: date && time ? { date, time } : null,
        unconfirmed: Number(rows[0]?.unconfirmed ?? 0),
      };
    },
    async listUnconfirmed() {
      const rows = await db
        .select(columns)
        .from(requests)
        .where(and(isNull(requests.confirmedAt), inArray(requests.status, ['granted', 'refused', 'not-eligible'])))
        .orderBy(asc(requests.askedAt));
      return rows.map(toRecord);
    },
    async conferenceHasRequest(conferenceId: string) {
      const rows = await db
        .select({ id: requests.id })
        .from(requests)
        .where(and(eq(requests.conferenceId, conferenceId), sql`${requests.status} <> 'not-eligible'`))
        .limit(1);
      return rows.length > 0;
    },
    async update(id: string, version: number, change: PermissionRequestChange) {
      const d = change.decision;
      const rows = await db
        .update(requests)
        .set({
          ...(change.status !== undefined ? { status: change.status } : {}),
          ...(change.undertakingFile
            ? {
                undertakingBlobKey: change.undertakingFile.blobKey,
                undertakingSha256: change.undertakingFile.sha256,
                undertakingSize: change.undertakingFile.size,
                undertakingFormat: change.undertakingFile.format,
              }
            : {}),
          ...(change.undertakingSigned
            ? { undertakingSignedAt: change.undertakingSigned.at, undertakingSignedVia: change.undertakingSigned.via }
            : {}),
          ...(d
            ? {
                decisionGrounds: d.grounds,
                decisionAlternatives: d.alternatives,
                alternativesNote: d.alternativesNote,
                decisionReasons: d.reasons,
                decidedByUserId: d.byUserId,
                decidedAt: change.at,
              }
            : {}),
          ...(change.confirmed
            ? {
                confirmedAt: change.at,
                confirmedByUserId: change.confirmed.byUserId,
                confirmedByEmail: change.confirmed.byEmail,
              }
            : {}),
          version: sql`${requests.version} + 1`,
          updatedAt: change.at,
        })
        .where(and(eq(requests.id, id), eq(requests.version, version)))
        .returning({ id: requests.id });
      return rows[0] ? find(id) : null;
    },
    async referencedBlobKeys() {
      const rows = await db
        .select({ key: requests.undertakingBlobKey })
        .from(requests)
        .where(isNotNull(requests.undertakingBlobKey));
      return rows.map((r) => r.key!).filter(Boolean);
    },
    async saveView(requestId, v) {
      await db
        .insert(views)
        .values({
          requestId,
          inviteeId: v.inviteeId,
          view: v.view,
          reason: v.reason,
          recordedByUserId: v.byUserId,
          recordedAt: v.at,
        })
        .onConflictDoUpdate({
          target: [views.requestId, views.inviteeId],
          set: { view: v.view, reason: v.reason, recordedByUserId: v.byUserId, recordedAt: v.at },
        });
    },
    async listViews(requestId: string) {
      const rows = await db.select().from(views).where(eq(views.requestId, requestId)).orderBy(asc(views.recordedAt));
      return rows.map((r) => ({
        inviteeId: r.inviteeId,
        view: oneOf(VIEWS, r.view, 'professional view'),
        reason: r.reason,
        recordedAt: r.recordedAt,
      }));
    },
    async insertLink(l) {
      const [row] = await db
        .insert(links)
        .values({
          requestId: l.requestId,
          tokenHash: l.tokenHash,
          createdAt: l.createdAt,
          expiresAt: l.expiresAt,
          createdByUserId: l.byUserId,
        })
        .returning({ id: links.id });
      if (!row) throw new Error('The link was not saved');
      return row.id;
    },
    async findLinkByToken(tokenHash: string, opts: { lock?: boolean } = {}) {
      const q = db.select().from(links).where(eq(links.tokenHash, tokenHash));
      const rows = opts.lock ? await q.for('update') : await q;
      return rows[0] ? toLink(rows[0]) : null;
    },
    async latestLink(requestId: string) {
      const rows = await db
        .select()
        .from(links)
        .where(eq(links.requestId, requestId))
        // A link still in force comes before those cancelled, the newest first.
        .orderBy(sql`${links.revokedAt} is null desc`, desc(links.createdAt))
        .limit(1);
      return rows[0] ? toLink(rows[0]) : null;
    },
    async updateLink(id, change) {
      if (Object.keys(change).length === 0) return;
      await db.update(links).set(change).where(eq(links.id, id));
    },
  };
}
