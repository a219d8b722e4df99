import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  ChairingRepository,
  ChairOccasion,
  FamilyMeetingRecord,
  IndependenceReasonRecord,
} from '../../../app/conferences/chairing/ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { INDEPENDENCE_CONCERN_KINDS, type IndependenceConcernKind } from '../../../domain/conferences/chairing.ts';
import type { DbOrTx } from '../client.ts';
import { chairFamilyMeetings, chairIndependenceReasons } from '../family-status-schema.ts';
import { conferenceCoverChairs } from '../chair-cover-schema.ts';
import { children, conferences, users } from '../schema.ts';

const FORMER = 'A former member of staff';

/** 002 §4.1: the chair's independence and meeting with the family, and staff's line managers. */
export function chairingRepository(db: DbOrTx): ChairingRepository {
  return {
    async caseResponsibilities(childIds) {
      if (childIds.length === 0) return [];
      const sw = alias(users, 'social_worker');
      const rows = await db
        .select({
          givenNames: children.givenNames,
          familyName: children.familyName,
          socialWorkerId: children.allocatedSocialWorkerId,
          socialWorkerName: sw.name,
          socialWorkerLineManagerId: sw.lineManagerId,
        })
        .from(children)
        .leftJoin(sw, eq(sw.id, children.allocatedSocialWorkerId))
        .where(inArray(children.id, [...childIds]))
        .orderBy(asc(children.givenNames), asc(children.id));
      return rows.map((r) => ({
        childName: `${r.givenNames} ${r.familyName}`,
        socialWorkerId: r.socialWorkerId,
        socialWorkerName: r.socialWorkerName,
        socialWorkerLineManagerId: r.socialWorkerLineManagerId,
      }));
    },

    async insertIndependenceReason(row) {
      const [saved] = await db
        .insert(chairIndependenceReasons)
        .values(row)
        .returning({ id: chairIndependenceReasons.id });
      return saved!.id;
    },

    async listIndependenceReasons(conferenceId) {
      const chair = alias(users, 'chair');
      const by = alias(users, 'recorded_by');
      const rows = await db
        .select({ r: chairIndependenceReasons, chairName: chair.name, byName: by.name })
        .from(chairIndependenceReasons)
        .leftJoin(chair, eq(chair.id, chairIndependenceReasons.chairUserId))
        .leftJoin(by, eq(by.id, chairIndependenceReasons.recordedBy))
        .where(eq(chairIndependenceReasons.conferenceId, conferenceId))
        .orderBy(asc(chairIndependenceReasons.recordedAt), asc(chairIndependenceReasons.id));
      return rows.map(({ r, chairName, byName }): IndependenceReasonRecord => ({
        id: r.id,
        chairUserId: r.chairUserId,
        chairName: chairName ?? FORMER,
        occasion: r.occasion as ChairOccasion,
        concerns: r.concerns.filter((k): k is IndependenceConcernKind =>
          (INDEPENDENCE_CONCERN_KINDS as readonly string[]).includes(k),
        ),
        reason: r.reason,
        recordedByName: byName ?? FORMER,
        recordedAt: r.recordedAt,
      }));
    },

    async setChair(conferenceId, chairUserId) {
      await db
        .update(conferences)
        .set({ chairUserId, version: sql`${conferences.version} + 1` })
        .where(eq(conferences.id, conferenceId));
    },

    async findFamilyMeeting(conferenceId) {
      const [row] = await db
        .select({ m: chairFamilyMeetings, byName: users.name })
        .from(chairFamilyMeetings)
        .leftJoin(users, eq(users.id, chairFamilyMeetings.recordedBy))
        .where(eq(chairFamilyMeetings.conferenceId, conferenceId));
      if (!row) return null;
      const { m, byName } = row;
      const base = { recordedByName: byName ?? FORMER, recordedAt: m.recordedAt, version: m.version };
      return m.met
        ? ({
            met: true,
            metOn: m.metOn as IsoDate,
            whoMet: m.whoMet!,
            notMetReason: null,
            ...base,
          } as FamilyMeetingRecord)
        : ({ met: false, metOn: null, whoMet: null, notMetReason: m.notMetReason!, ...base } as FamilyMeetingRecord);
    },

    async saveFamilyMeeting(conferenceId, meeting, by, expectedVersion) {
      const values = {
        met: meeting.met,
        metOn: meeting.metOn,
        whoMet: meeting.whoMet,
        notMetReason: meeting.notMetReason,
        recordedBy: by.userId,
        recordedAt: by.at,
      };
      if (expectedVersion === null) {
        const rows = await db
          .insert(chairFamilyMeetings)
          .values({ conferenceId, ...values })
          .onConflictDoNothing()
          .returning({ id: chairFamilyMeetings.conferenceId });
        return rows.length === 1;
      }
      const rows = await db
        .update(chairFamilyMeetings)
        .set({ ...values, version: sql`${chairFamilyMeetings.version} + 1` })
        .where(
          and(eq(chairFamilyMeetings.conferenceId, conferenceId), eq(chairFamilyMeetings.version, expectedVersion)),
        )
        .returning({ id: chairFamilyMeetings.conferenceId });
      return rows.length === 1;
    },

    async lineManagerOf(userId) {
      const [row] = await db.select({ id: users.lineManagerId }).from(users).where(eq(users.id, userId));
      return row?.id ?? null;
    },

    async setLineManager(userId, lineManagerId) {
      await db.update(users).set({ lineManagerId, updatedAt: new Date() }).where(eq(users.id, userId));
    },

    async currentCover(conferenceId) {
      const cover = alias(users, 'cover_chair');
      const by = alias(users, 'recorded_by');
      const [row] = await db
        .select({
          id: conferenceCoverChairs.id,
          coverChairUserId: conferenceCoverChairs.coverChairUserId,
          coverChairName: cover.name,
          reason: conferenceCoverChairs.reason,
          recordedByName: by.name,
          recordedAt: conferenceCoverChairs.recordedAt,
        })
        .from(conferenceCoverChairs)
        .innerJoin(cover, eq(cover.id, conferenceCoverChairs.coverChairUserId))
        .leftJoin(by, eq(by.id, conferenceCoverChairs.recordedBy))
        .where(and(eq(conferenceCoverChairs.conferenceId, conferenceId), isNull(conferenceCoverChairs.endedAt)));
      return row ? { ...row, recordedByName: row.recordedByName ?? FORMER } : null;
    },

    async recordCover(row) {
      await db
        .update(conferenceCoverChairs)
        .set({ endedAt: row.recordedAt })
        .where(and(eq(conferenceCoverChairs.conferenceId, row.conferenceId), isNull(conferenceCoverChairs.endedAt)));
      const [inserted] = await db.insert(conferenceCoverChairs).values(row).returning({ id: conferenceCoverChairs.id });
      return inserted!.id;
    },
  };
}
