import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  AlreadyInvitedError,
  type ConferenceListing,
  type ConferencePartRecord,
  type ConferenceRecord,
  type ConveningRepository,
  type InvitationIssueRecord,
  type InviteeRecord,
  type ReconveneCandidate,
  type ReportRecord,
  type StaffContact,
} from '../../../app/conferences/convening-ports.ts';
import { type IsoDate, type RuleName, isRuleName } from '../../../domain/calendar/index.ts';
import { CONFERENCE_TYPES, type ConferenceType } from '../../../domain/conferences/decisions.ts';
import { isInvitationMethod, isVenueKind } from '../../../domain/conferences/invitations.ts';
import type { ConferenceLink } from '../../../domain/conferences/reconvening.ts';
import {
  CSC_STAFF_ROLE_LABELS,
  INVITEE_KINDS,
  type InviteeKind,
  isCscStaffRole,
  isInviteeKind,
} from '../../../domain/conferences/invitees.ts';
import { CONFERENCE_STATUSES, type ConferenceStatus } from '../../../domain/conferences/lifecycle.ts';
import { isAgencyKind } from '../../../domain/people/index.ts';
import type { DbOrTx } from '../client.ts';
import { uniqueViolation } from './db-errors.ts';
import {
  agencies,
  childDecisions,
  childRelationships,
  children,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferenceReports,
  conferences,
  dissentReferrals,
  invitationIssues,
  people,
  professionals,
  users,
} from '../schema.ts';

/** Which of an invitee's ids each unique index guards. */
const INVITEE_KEYS: Record<string, 'personId' | 'childId' | 'professionalId' | 'userId'> = {
  conference_invitees_person_key: 'personId',
  conference_invitees_child_key: 'childId',
  conference_invitees_professional_key: 'professionalId',
  conference_invitees_user_key: 'userId',
};

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
  const reconvenedAs = alias(conferences, 'reconvened_as');
  const earlier = alias(conferences, 'earlier');

  const staff = (id: string | null, name: string | null, email: string | null): StaffContact | null =>
    id && name !== null && email !== null ? { id, name, email } : null;

  const link = (c: typeof conferences.$inferSelect): ConferenceLink => ({
    id: c.id,
    type: typeOf(c.type),
    status: statusOf(c.status),
    scheduledDate: c.scheduledDate as IsoDate,
  });

  /**
   * D-1 for each conference: among the referrals of each child's latest decision version, those whose
   * review decided to reconvene; the earliest due date (and its review date) per conference.
   */
  async function dissentReconvenes(
    conferenceIds: readonly string[],
  ): Promise<Map<string, { reviewedOn: IsoDate; reconveneDue: IsoDate }>> {
    if (conferenceIds.length === 0) return new Map();
    const later = alias(childDecisions, 'later_decision');
    const rows = await db
      .select({
        conferenceId: childDecisions.conferenceId,
        reviewedOn: dissentReferrals.reviewedOn,
        reconveneDue: dissentReferrals.reconveneDue,
      })
      .from(dissentReferrals)
      .innerJoin(childDecisions, eq(childDecisions.id, dissentReferrals.decisionId))
      .where(
        and(
          inArray(childDecisions.conferenceId, [...conferenceIds]),
          isNotNull(dissentReferrals.reconveneDue),
          isNotNull(dissentReferrals.reviewedOn),
          sql`not exists (${db
            .select({ one: sql`1` })
            .from(later)
            .where(
              and(
                eq(later.conferenceId, childDecisions.conferenceId),
                eq(later.childId, childDecisions.childId),
                sql`${later.version} > ${childDecisions.version}`,
              ),
            )})`,
        ),
      )
      .orderBy(asc(dissentReferrals.reconveneDue), asc(dissentReferrals.id));
    const out = new Map<string, { reviewedOn: IsoDate; reconveneDue: IsoDate }>();
    for (const r of rows)
      if (!out.has(r.conferenceId))
        out.set(r.conferenceId, { reviewedOn: r.reviewedOn as IsoDate, reconveneDue: r.reconveneDue as IsoDate });
    return out;
  }

  function issueOf(r: typeof invitationIssues.$inferSelect): InvitationIssueRecord {
    return {
      id: r.id,
      conferenceId: r.conferenceId,
      inviteeId: r.inviteeId,
      issueNumber: r.issueNumber,
      channel: isInvitationMethod(r.channel) ? r.channel : known([], r.channel, 'invitation channel'),
      recipientLines: r.recipientLines,
      recipientEmail: r.recipientEmail,
      subject: r.subject,
      body: r.body,
      bodySha256: r.bodySha256,
      issuedAt: r.issuedAt,
      // The name as it was when the invitation was issued.
      issuedBy: { id: r.issuedByUserId, name: r.issuedByLabel },
      createdAt: r.createdAt,
    };
  }

  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },

    async conferenceChildIds(conferenceId) {
      // Keyed by the stored (lower-case) id: an id given in capitals still finds its conference.
      return (await conferenceChildIdsOf(db, [conferenceId])).get(conferenceId.toLowerCase()) ?? null;
    },
    conferenceChildIdsMany: (conferenceIds) => conferenceChildIdsOf(db, conferenceIds),

    async insertConference(c, childIds, parts) {
      const [row] = await db
        .insert(conferences)
        .values({ ...c, status: 'planned' })
        .returning({ id: conferences.id });
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
          reconvenedAs: reconvenedAs,
        })
        .from(conferences)
        .leftJoin(chairs, eq(chairs.id, conferences.chairUserId))
        .leftJoin(minuteTakers, eq(minuteTakers.id, conferences.minuteTakerUserId))
        .leftJoin(previous, eq(previous.id, conferences.previousConferenceId))
        .leftJoin(reconvenedAs, eq(reconvenedAs.id, conferences.reconvenedConferenceId))
        .where(eq(conferences.id, conferenceId));
      if (!r) return null;
      const c = r.c;
      const [reconvenes] = await db.select().from(earlier).where(eq(earlier.reconvenedConferenceId, conferenceId));
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
        reconveneDate: c.reconveneDate as IsoDate | null,
        dissent: (await dissentReconvenes([c.id])).get(c.id) ?? null,
        reconvenedAs: r.reconvenedAs ? link(r.reconvenedAs) : null,
        reconvenes: reconvenes ? link(reconvenes) : null,
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

    async conferenceHeadings(conferenceIds) {
      const out = new Map<string, { id: string; type: ConferenceType; scheduledDate: IsoDate }>();
      if (conferenceIds.length === 0) return out;
      const rows = await db
        .select({ id: conferences.id, type: conferences.type, scheduledDate: conferences.scheduledDate })
        .from(conferences)
        .where(inArray(conferences.id, [...conferenceIds]));
      for (const r of rows)
        out.set(r.id, { id: r.id, type: typeOf(r.type), scheduledDate: r.scheduledDate as IsoDate });
      return out;
    },

    async listPartsMany(conferenceIds) {
      const out = new Map<string, ConferencePartRecord[]>();
      if (conferenceIds.length === 0) return out;
      const rows = await db
        .select({
          conferenceId: conferenceParts.conferenceId,
          id: conferenceParts.id,
          ordinal: conferenceParts.ordinal,
          label: conferenceParts.label,
          startOffsetMinutes: conferenceParts.startOffsetMinutes,
          durationMinutes: conferenceParts.durationMinutes,
        })
        .from(conferenceParts)
        .where(inArray(conferenceParts.conferenceId, [...conferenceIds]))
        .orderBy(asc(conferenceParts.conferenceId), asc(conferenceParts.ordinal));
      for (const { conferenceId, ...part } of rows) out.set(conferenceId, [...(out.get(conferenceId) ?? []), part]);
      return out;
    },

    async listConferencesForChildren(childIds) {
      if (childIds.length === 0) return [];
      const ids = db
        .selectDistinct({ id: conferenceChildren.conferenceId })
        .from(conferenceChildren)
        .where(inArray(conferenceChildren.childId, [...childIds]));
      const rows = await db
        .select({ c: conferences, childId: conferenceChildren.childId })
        .from(conferences)
        .innerJoin(conferenceChildren, eq(conferenceChildren.conferenceId, conferences.id))
        .where(inArray(conferences.id, ids))
        .orderBy(
          desc(conferences.scheduledDate),
          desc(conferences.startTime),
          asc(conferences.id),
          asc(conferenceChildren.childId),
        );
      const byId = new Map<string, ConferenceListing>();
      for (const { c, childId } of rows) {
        const entry = byId.get(c.id) ?? {
          id: c.id,
          type: typeOf(c.type),
          status: statusOf(c.status),
          scheduledDate: c.scheduledDate as IsoDate,
          startTime: c.startTime,
          childIds: [],
        };
        entry.childIds.push(childId);
        byId.set(c.id, entry);
      }
      return [...byId.values()];
    },

    async listReconveneCandidates(childIds) {
      if (childIds.length === 0) return [];
      const ofChildren = db
        .selectDistinct({ id: conferenceChildren.conferenceId })
        .from(conferenceChildren)
        .where(inArray(conferenceChildren.childId, [...childIds]));
      const withDissent = db
        .selectDistinct({ id: childDecisions.conferenceId })
        .from(dissentReferrals)
        .innerJoin(childDecisions, eq(childDecisions.id, dissentReferrals.decisionId))
        .where(isNotNull(dissentReferrals.reconveneDue));
      const rows = await db
        .select({ c: conferences, as: reconvenedAs })
        .from(conferences)
        .leftJoin(reconvenedAs, eq(reconvenedAs.id, conferences.reconvenedConferenceId))
        .where(
          and(
            inArray(conferences.id, ofChildren),
            or(
              and(eq(conferences.status, 'adjourned-inquorate'), isNotNull(conferences.reconveneDate)),
              and(eq(conferences.status, 'held'), inArray(conferences.id, withDissent)),
            ),
          ),
        )
        .orderBy(asc(conferences.scheduledDate), asc(conferences.startTime), asc(conferences.id));
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.c.id);
      const dissent = await dissentReconvenes(ids);
      const kids = await db
        .select({ conferenceId: conferenceChildren.conferenceId, childId: conferenceChildren.childId })
        .from(conferenceChildren)
        .where(inArray(conferenceChildren.conferenceId, ids))
        .orderBy(asc(conferenceChildren.childId));
      return rows
        .map(({ c, as }): ReconveneCandidate => ({
          id: c.id,
          type: typeOf(c.type),
          status: statusOf(c.status),
          scheduledDate: c.scheduledDate as IsoDate,
          childIds: kids.filter((k) => k.conferenceId === c.id).map((k) => k.childId),
          reconveneDate: c.reconveneDate as IsoDate | null,
          dissent: dissent.get(c.id) ?? null,
          reconvenedAs: as ? link(as) : null,
        }))
        .filter((c) => c.status !== 'held' || c.dissent !== null);
    },

    async linkReconvened(conferenceId, reconvenedId) {
      await db
        .update(conferences)
        .set({ reconvenedConferenceId: reconvenedId, version: sql`${conferences.version} + 1`, updatedAt: sql`now()` })
        .where(eq(conferences.id, conferenceId));
    },

    async siblingsOf(childId) {
      const mine = alias(childRelationships, 'mine');
      const theirs = alias(childRelationships, 'theirs');
      const rows = await db
        .select({ childId: theirs.childId, personId: theirs.personId })
        .from(mine)
        .innerJoin(theirs, and(eq(theirs.personId, mine.personId), ne(theirs.childId, mine.childId)))
        .where(
          and(
            eq(mine.childId, childId),
            or(eq(mine.parentalResponsibility, true), eq(theirs.parentalResponsibility, true)),
          ),
        )
        .orderBy(asc(theirs.childId), asc(theirs.personId));
      const byChild = new Map<string, string[]>();
      for (const r of rows) byChild.set(r.childId, [...(byChild.get(r.childId) ?? []), r.personId]);
      return [...byChild].map(([id, personIds]) => ({ childId: id, sharedPersonIds: personIds }));
    },

    async lockConference(conferenceId) {
      await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId)).for('update');
    },

    async childrensSocialCareAgency() {
      const [row] = await db
        .select({ id: agencies.id, name: agencies.name })
        .from(agencies)
        .where(eq(agencies.kind, 'childrens_social_care'))
        .orderBy(asc(agencies.createdAt), asc(agencies.id))
        .limit(1);
      return row ?? null;
    },

    async listInvitees(conferenceId) {
      const invitedChild = alias(children, 'invited_child');
      const staffUser = alias(users, 'staff_user');
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
          staffName: staffUser.name,
          staffEmail: staffUser.email,
          agencyId: agencies.id,
          agencyName: agencies.name,
          agencyKind: agencies.kind,
        })
        .from(conferenceInvitees)
        .leftJoin(people, eq(people.id, conferenceInvitees.personId))
        .leftJoin(invitedChild, eq(invitedChild.id, conferenceInvitees.childId))
        .leftJoin(professionals, eq(professionals.id, conferenceInvitees.professionalId))
        .leftJoin(staffUser, eq(staffUser.id, conferenceInvitees.userId))
        // A professional's agency is stored on the invitation; the professional's own is the fallback.
        .leftJoin(agencies, eq(agencies.id, sql`coalesce(${conferenceInvitees.agencyId}, ${professionals.agencyId})`))
        .where(eq(conferenceInvitees.conferenceId, conferenceId))
        .orderBy(asc(conferenceInvitees.createdAt), asc(conferenceInvitees.id));
      const list = rows.map((r): InviteeRecord => {
        const i = r.i;
        const name =
          r.personGiven !== null
            ? `${r.personGiven} ${r.personFamily}`
            : r.childGiven !== null
              ? `${r.childGiven} ${r.childFamily}`
              : (r.professionalName ?? r.staffName ?? 'Name not recorded');
        const staffRole =
          i.staffRole === null
            ? null
            : isCscStaffRole(i.staffRole)
              ? i.staffRole
              : known([], i.staffRole, 'staff role');
        return {
          id: i.id,
          kind: isInviteeKind(i.kind) ? i.kind : known([], i.kind, 'invitee kind'),
          personId: i.personId,
          childId: i.childId,
          professionalId: i.professionalId,
          userId: i.userId,
          staffRole,
          agencyId: r.agencyId,
          agencyName: r.agencyName,
          agencyKind: r.agencyKind === null ? null : isAgencyKind(r.agencyKind) ? r.agencyKind : 'other',
          name,
          roleTitle: r.professionalRole ?? (staffRole ? CSC_STAFF_ROLE_LABELS[staffRole] : null),
          email: r.personEmail ?? r.professionalEmail ?? r.staffEmail ?? null,
          address: r.personAddress ?? r.childAddress ?? null,
          directContact: i.directContact,
          interpreterLanguage: i.interpreterLanguage,
          invitationMethod: i.invitationMethod,
          invitedAt: i.invitedAt,
          createdAt: i.createdAt,
        };
      });
      // The register's order: children, family, their supporters, professionals, interpreters; then by name.
      const rank = (k: string) => {
        const i = INVITEE_KINDS.indexOf(k as InviteeKind);
        return i < 0 ? INVITEE_KINDS.length : i;
      };
      return list.sort(
        (a, b) => rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
      );
    },

    async insertInvitee(conferenceId, invitee) {
      try {
        const [row] = await db
          .insert(conferenceInvitees)
          .values({ conferenceId, ...invitee })
          .returning({ id: conferenceInvitees.id });
        return row!.id;
      } catch (err) {
        const key = INVITEE_KEYS[uniqueViolation(err) ?? ''];
        if (key) throw new AlreadyInvitedError(key);
        throw err;
      }
    },

    async setInterpreterLanguage(conferenceId, inviteeId, language) {
      const rows = await db
        .update(conferenceInvitees)
        .set({ interpreterLanguage: language })
        .where(and(eq(conferenceInvitees.id, inviteeId), eq(conferenceInvitees.conferenceId, conferenceId)))
        .returning({ id: conferenceInvitees.id });
      return rows.length > 0;
    },

    async insertInvitationIssue(conferenceId, issue) {
      const [next] = await db
        .select({ n: sql<number>`coalesce(max(${invitationIssues.issueNumber}), 0)::int + 1` })
        .from(invitationIssues)
        .where(eq(invitationIssues.inviteeId, issue.inviteeId));
      const [row] = await db
        .insert(invitationIssues)
        .values({
          conferenceId,
          inviteeId: issue.inviteeId,
          issueNumber: Number(next!.n),
          channel: issue.channel,
          recipientLines: [...issue.recipientLines],
          recipientEmail: issue.recipientEmail,
          subject: issue.subject,
          body: issue.body,
          bodySha256: createHash('sha256').update(issue.body, 'utf8').digest('hex'),
          issuedAt: issue.issuedAt,
          issuedByUserId: issue.issuedByUserId,
          issuedByLabel: issue.issuedByLabel,
        })
        .returning();
      return issueOf(row!);
    },

    async listInvitationIssues(conferenceId, inviteeId) {
      const rows = await db
        .select()
        .from(invitationIssues)
        .where(
          and(
            eq(invitationIssues.conferenceId, conferenceId),
            inviteeId === undefined ? undefined : eq(invitationIssues.inviteeId, inviteeId),
          ),
        )
        .orderBy(asc(invitationIssues.createdAt), asc(invitationIssues.inviteeId), asc(invitationIssues.issueNumber));
      return rows.map(issueOf);
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
        .select({
          r: conferenceReports,
          agencyName: agencies.name,
          agencyKind: agencies.kind,
          uploaderName: users.name,
        })
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
      const [row] = await db
        .insert(conferenceReports)
        .values({ conferenceId, ...report })
        .returning({ id: conferenceReports.id });
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

    async listReportBlobKeys() {
      const rows = await db
        .selectDistinct({ key: conferenceReports.blobKey })
        .from(conferenceReports)
        .where(isNotNull(conferenceReports.blobKey))
        .orderBy(asc(conferenceReports.blobKey));
      return rows.map((r) => r.key!);
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

/** Each existing conference's children (an empty list for none) in one statement; missing conferences are left out. */
async function conferenceChildIdsOf(db: DbOrTx, conferenceIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (conferenceIds.length === 0) return out;
  const rows = await db
    .select({
      id: conferences.id,
      childIds: sql<
        string[]
      >`array(select cc.child_id::text from conference_children cc where cc.conference_id = conferences.id)`,
    })
    .from(conferences)
    .where(
      conferenceIds.length === 1 ? eq(conferences.id, conferenceIds[0]!) : inArray(conferences.id, [...conferenceIds]),
    );
  for (const r of rows) out.set(r.id, (r.childIds ?? []).map(String));
  return out;
}
