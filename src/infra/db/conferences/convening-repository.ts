import { and, asc, desc, eq, inArray, ne, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  ConferenceListing,
  ConferenceRecord,
  ConveningRepository,
  InviteeRecord,
  ReportRecord,
  StaffContact,
} from '../../../app/conferences/convening-ports.ts';
import { type IsoDate, type RuleName, isRuleName } from '../../../domain/calendar/index.ts';
import { CONFERENCE_TYPES, type ConferenceType } from '../../../domain/conferences/decisions.ts';
import { isVenueKind } from '../../../domain/conferences/invitations.ts';
import { INVITEE_KINDS, type InviteeKind, isInviteeKind } from '../../../domain/conferences/invitees.ts';
import { CONFERENCE_STATUSES, type ConferenceStatus } from '../../../domain/conferences/lifecycle.ts';
import { isAgencyKind } from '../../../domain/people/index.ts';
import type { DbOrTx } from '../client.ts';
import {
  agencies,
  childRelationships,
  children,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferenceReports,
  conferences,
  people,
  professionals,
  users,
} from '../schema.ts';

/** Values read back are checked against the domain's lists: an unknown value is a bug, not something to guess at. */
function known<T extends string>(list: readonly T[], v: string, what: string): T {
  if ((list as readonly string[]).includes(v)) return v as T;
  throw new Error(`Unknown ${what} in the database: ${v}`);
}

const typeOf = (v: string): ConferenceType => known(CONFERENCE_TYPES, v, 'conference type');
const statusOf = (v: string): ConferenceStatus => known(CONFERENCE_STATUSES, v, 'conference status');
const ruleOf = (v: string): RuleName => {
  if (isRuleName(v)) return v;
  throw new Error(`Unknown timescale rule in the database: ${v}`);
};

export function conveningRepository(db: DbOrTx): ConveningRepository {
  const chairs = alias(users, 'chair');
  const minuteTakers = alias(users, 'minute_taker');
  const previous = alias(conferences, 'previous');

  const staff = (id: string | null, name: string | null, email: string | null): StaffContact | null =>
    id && name !== null && email !== null ? { id, name, email } : null;

  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },

    async conferenceChildIds(conferenceId) {
      if (!(await this.conferenceExists(conferenceId))) return null;
      const rows = await db.select({ childId: conferenceChildren.childId }).from(conferenceChildren).where(eq(conferenceChildren.conferenceId, conferenceId));
      return rows.map((r) => r.childId);
    },

    async insertConference(c, childIds, parts) {
      const [row] = await db.insert(conferences).values({ ...c, status: 'planned' }).returning({ id: conferences.id });
      const id = row!.id;
      await db.insert(conferenceChildren).values(childIds.map((childId) => ({ conferenceId: id, childId })));
      if (parts.length) await db.insert(conferenceParts).values(parts.map((p) => ({ ...p, conferenceId: id })));
      return id;
    },

    async findConference(conferenceId) {
      const [r] = await db
        .select({
          c: conferences,
          chairName: chairs.name,
          chairEmail: chairs.email,
          minuteTakerName: minuteTakers.name,
          minuteTakerEmail: minuteTakers.email,
          previousType: previous.type,
          previousDate: previous.scheduledDate,
        })
        .from(conferences)
        .leftJoin(chairs, eq(chairs.id, conferences.chairUserId))
        .leftJoin(minuteTakers, eq(minuteTakers.id, conferences.minuteTakerUserId))
        .leftJoin(previous, eq(previous.id, conferences.previousConferenceId))
        .where(eq(conferences.id, conferenceId));
      if (!r) return null;
      const c = r.c;
      const record: ConferenceRecord = {
        id: c.id,
        type: typeOf(c.type),
        status: statusOf(c.status),
        scheduledDate: c.scheduledDate as IsoDate,
        startTime: c.startTime,
        durationMinutes: c.durationMinutes,
        venueKind: isVenueKind(c.venueKind) ? c.venueKind : known([], c.venueKind, 'venue kind'),
        venueDetails: c.venueDetails,
        onlineLink: c.onlineLink,
        chair: staff(c.chairUserId, r.chairName, r.chairEmail),
        minuteTaker: staff(c.minuteTakerUserId, r.minuteTakerName, r.minuteTakerEmail),
        strategyDiscussionDate: c.strategyDiscussionDate as IsoDate | null,
        expectedDeliveryDate: c.expectedDeliveryDate as IsoDate | null,
        previousConference:
          c.previousConferenceId && r.previousType && r.previousDate
            ? { id: c.previousConferenceId, type: typeOf(r.previousType), scheduledDate: r.previousDate as IsoDate }
            : null,
        noticeOfMoveDate: c.noticeOfMoveDate as IsoDate | null,
        dueRule: ruleOf(c.dueRule),
        dueDate: c.dueDate as IsoDate,
        lateAgreedBy: c.lateAgreedBy,
        lateReason: c.lateReason,
        cancelledReason: c.cancelledReason,
        createdByUserId: c.createdByUserId,
        version: c.version,
        createdAt: c.createdAt,
      };
      return record;
    },

    async listParts(conferenceId) {
      return db
        .select({
          id: conferenceParts.id,
          ordinal: conferenceParts.ordinal,
          label: conferenceParts.label,
          startOffsetMinutes: conferenceParts.startOffsetMinutes,
          durationMinutes: conferenceParts.durationMinutes,
        })
        .from(conferenceParts)
        .where(eq(conferenceParts.conferenceId, conferenceId))
        .orderBy(asc(conferenceParts.ordinal));
    },

    async listConferencesForChildren(childIds) {
      if (childIds.length === 0) return [];
      const ids = db.selectDistinct({ id: conferenceChildren.conferenceId }).from(conferenceChildren).where(inArray(conferenceChildren.childId, [...childIds]));
      const rows = await db
        .select({ c: conferences, childId: conferenceChildren.childId })
        .from(conferences)
        .innerJoin(conferenceChildren, eq(conferenceChildren.conferenceId, conferences.id))
        .where(inArray(conferences.id, ids))
        .orderBy(desc(conferences.scheduledDate), desc(conferences.startTime), asc(conferences.id), asc(conferenceChildren.childId));
      const byId = new Map<string, ConferenceListing>();
      for (const { c, childId } of rows) {
        const entry = byId.get(c.id) ?? { id: c.id, type: typeOf(c.type), status: statusOf(c.status), scheduledDate: c.scheduledDate as IsoDate, startTime: c.startTime, childIds: [] };
        entry.childIds.push(childId);
        byId.set(c.id, entry);
      }
      return [...byId.values()];
    },

    async siblingsOf(childId) {
      const mine = alias(childRelationships, 'mine');
      const theirs = alias(childRelationships, 'theirs');
      const rows = await db
        .select({ childId: theirs.childId, personId: theirs.personId })
        .from(mine)
        .innerJoin(theirs, and(eq(theirs.personId, mine.personId), ne(theirs.childId, mine.childId)))
        .where(and(eq(mine.childId, childId), or(eq(mine.parentalResponsibility, true), eq(theirs.parentalResponsibility, true))))
        .orderBy(asc(theirs.childId), asc(theirs.personId));
      const byChild = new Map<string, string[]>();
      for (const r of rows) byChild.set(r.childId, [...(byChild.get(r.childId) ?? []), r.personId]);
      return [...byChild].map(([id, personIds]) => ({ childId: id, sharedPersonIds: personIds }));
    },

    async lockConference(conferenceId) {
      await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId)).for('update');
    },

    async listInvitees(conferenceId) {
      const invitedChild = alias(children, 'invited_child');
      const rows = await db
        .select({
          i: conferenceInvitees,
          personGiven: people.givenNames,
          personFamily: people.familyName,
          personEmail: people.email,
          personAddress: people.address,
          childGiven: invitedChild.givenNames,
          childFamily: invitedChild.familyName,
          childAddress: invitedChild.address,
          professionalName: professionals.name,
          professionalRole: professionals.roleTitle,
          professionalEmail: professionals.email,
          agencyName: agencies.name,
          agencyKind: agencies.kind,
        })
        .from(conferenceInvitees)
        .leftJoin(people, eq(people.id, conferenceInvitees.personId))
        .leftJoin(invitedChild, eq(invitedChild.id, conferenceInvitees.childId))
        .leftJoin(professionals, eq(professionals.id, conferenceInvitees.professionalId))
        .leftJoin(agencies, eq(agencies.id, conferenceInvitees.agencyId))
        .where(eq(conferenceInvitees.conferenceId, conferenceId))
        .orderBy(asc(conferenceInvitees.createdAt), asc(conferenceInvitees.id));
      const list = rows.map((r): InviteeRecord => {
        const i = r.i;
        const name =
          r.personGiven !== null ? `${r.personGiven} ${r.personFamily}` : r.childGiven !== null ? `${r.childGiven} ${r.childFamily}` : (r.professionalName ?? 'Unknown');
        return {
          id: i.id,
          kind: isInviteeKind(i.kind) ? i.kind : known([], i.kind, 'invitee kind'),
          personId: i.personId,
          childId: i.childId,
          professionalId: i.professionalId,
          agencyId: i.agencyId,
          agencyName: r.agencyName,
          agencyKind: r.agencyKind === null ? null : isAgencyKind(r.agencyKind) ? r.agencyKind : 'other',
          name,
          roleTitle: r.professionalRole,
          email: r.personEmail ?? r.professionalEmail ?? null,
          address: r.personAddress ?? r.childAddress ?? null,
          directContact: i.directContact,
          invitationMethod: i.invitationMethod,
          invitedAt: i.invitedAt,
          createdAt: i.createdAt,
        };
      });
      // The register's order: children, family, their supporters, professionals, interpreters; then by name.
      const rank = (k: string) => { const i = INVITEE_KINDS.indexOf(k as InviteeKind); return i < 0 ? INVITEE_KINDS.length : i; };
      return list.sort((a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },

    async insertInvitee(conferenceId, invitee) {
      const [row] = await db.insert(conferenceInvitees).values({ conferenceId, ...invitee }).returning({ id: conferenceInvitees.id });
      return row!.id;
    },

    async markInvitationSent(conferenceId, inviteeId, method, at) {
      const rows = await db
        .update(conferenceInvitees)
        .set({ invitationMethod: method, invitedAt: at })
        .where(and(eq(conferenceInvitees.id, inviteeId), eq(conferenceInvitees.conferenceId, conferenceId)))
        .returning({ id: conferenceInvitees.id });
      return rows.length > 0;
    },

    async listReports(conferenceId) {
      const rows = await db
        .select({ r: conferenceReports, agencyName: agencies.name, agencyKind: agencies.kind, uploaderName: users.name })
        .from(conferenceReports)
        .innerJoin(agencies, eq(agencies.id, conferenceReports.agencyId))
        .leftJoin(users, eq(users.id, conferenceReports.uploadedByUserId))
        .where(eq(conferenceReports.conferenceId, conferenceId))
        .orderBy(asc(conferenceReports.receivedAt), asc(agencies.name), asc(conferenceReports.id));
      return rows.map(({ r, agencyName, agencyKind, uploaderName }): ReportRecord => ({
        id: r.id,
        agencyId: r.agencyId,
        agencyName,
        agencyKind: isAgencyKind(agencyKind) ? agencyKind : 'other',
        blobKey: r.blobKey,
        fileSha256: r.fileSha256,
        mediaType: r.mediaType,
        sizeBytes: r.sizeBytes,
        receivedAt: r.receivedAt,
        sharedWithFamilyOn: r.sharedWithFamilyOn as IsoDate | null,
        withheldFromFamily: r.withheldFromFamily,
        withheldReason: r.withheldReason,
        uploadedBy: r.uploadedByUserId ? { id: r.uploadedByUserId, name: uploaderName ?? 'Unknown account' } : null,
      }));
    },

    async insertReport(conferenceId, report) {
      const [row] = await db.insert(conferenceReports).values({ conferenceId, ...report }).returning({ id: conferenceReports.id });
      return row!.id;
    },

    async markReportShared(conferenceId, reportId, sharedOn) {
      const rows = await db
        .update(conferenceReports)
        .set({ sharedWithFamilyOn: sharedOn })
        .where(and(eq(conferenceReports.id, reportId), eq(conferenceReports.conferenceId, conferenceId)))
        .returning({ id: conferenceReports.id });
      return rows.length > 0;
    },

    async markReportWithheld(conferenceId, reportId, reason) {
      const rows = await db
        .update(conferenceReports)
        .set({ withheldFromFamily: true, withheldReason: reason })
        .where(and(eq(conferenceReports.id, reportId), eq(conferenceReports.conferenceId, conferenceId)))
        .returning({ id: conferenceReports.id });
      return rows.length > 0;
    },
  };
}
