/**
 * Reads for the dashboards. A fixed number of queries whatever the number of conferences (no N+1):
 * referrals, ended plans and latest plans first (they name conferences), then the conferences, their
 * children with access facts, named staff on restricted records, invited agencies and reports. The
 * conferences that could replace a cancelled one come with it, in the conferences query.
 * SQL narrows the rows to those that could belong on a dashboard; the domain decides what does.
 */
import {
  type SQL,
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  max,
  ne,
  notExists,
  or,
  sql,
} from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type {
  DashboardRepository,
  DashboardSnapshot,
  RecordsDueFacts,
} from '../../../app/conferences/dashboard-ports.ts';
import type { ChildAccessFacts } from '../../../domain/access/child-access.ts';
import { type IsoDate, parseIsoDate } from '../../../domain/calendar/index.ts';
import {
  type DashboardConference,
  type DashboardFacts,
  type DashboardSection,
  isConferenceType,
  resolveDueRule,
} from '../../../domain/conferences/dashboard.ts';
import { type ConferenceType, OUTCOMES, type Outcome, outcomeHasPlan } from '../../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES, type ConferenceStatus } from '../../../domain/conferences/lifecycle.ts';
import { COUNTS_AS_HELD_OR_PLANNED, type ConferenceForChildren } from '../../../domain/conferences/rearrangement.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import { documentDrafts } from '../documents-schema.ts';
import {
  agencies,
  attendance,
  childAccessGrants,
  childDecisions,
  childPlans,
  children,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferenceReports,
  conferences,
  dissentReferrals,
  people,
  users,
} from '../schema.ts';

/** A conference that counts as "planned for the child": not cancelled, not adjourned (its reconvened conference counts instead). */
const LIVE_STATUSES: ConferenceStatus[] = ['planned', 'in-progress', 'held'];

function conferenceType(v: string, id: string): ConferenceType {
  if (!isConferenceType(v)) throw new Error(`Conference ${id} has an unknown type "${v}"`);
  return v;
}

function conferenceStatus(v: string, id: string): ConferenceStatus {
  if (!(CONFERENCE_STATUSES as readonly string[]).includes(v))
    throw new Error(`Conference ${id} has an unknown status "${v}"`);
  return v as ConferenceStatus;
}

function outcome(v: string | null): Outcome | null {
  if (v === null) return null;
  if (!(OUTCOMES as readonly string[]).includes(v)) throw new Error(`A decision has an unknown outcome "${v}"`);
  return v as Outcome;
}

const date = (v: string): IsoDate => parseIsoDate(v);

/** A child of a conference that could be under records due, with its access facts. */
interface RecordsChildJson {
  id: string;
  restricted: boolean;
  allocatedSocialWorkerId: string | null;
  namedStaffIds: string[] | null;
}

/** A conference that could replace a cancelled one, as the conferences query returns it. */
interface OtherConferenceJson {
  id: string;
  type: string;
  status: string;
  scheduledDate: string;
  childIds: string[] | null;
}
const dateOrNull = (v: string | null): IsoDate | null => (v === null ? null : parseIsoDate(v));

/**
 * T-6 / T-7: the conferences that could be under records due (the domain decides which are): opened on an earlier
 * day and still awaiting decisions; or held or adjourned recently enough for a date to be still to come, or with a
 * document it needs not yet issued, however long ago (from the first date whose written record is kept here). The
 * documents needed are the kinds neededDocuments names: a held conference's decision letter, chair's summary and
 * record, and its plan letter when a plan was made; an adjourned one's notes; each excluded person's letter.
 * `done` is the issued kinds of each conference, read once (most drafts are issued, so reading them all is right).
 */
function recordsDueWindow(
  db: DbOrTx,
  { today, heldSince, writtenRecordFrom }: { today: IsoDate; heldSince: IsoDate; writtenRecordFrom: IsoDate | null },
) {
  const done = db
    .select({
      conferenceId: documentDrafts.conferenceId,
      core: sql<number>`count(distinct ${documentDrafts.kind}) filter (where ${documentDrafts.kind} in ('decision-letter', 'chairs-summary', 'conference-record'))`.as(
        'core',
      ),
      planLetter: sql<boolean>`bool_or(${documentDrafts.kind} = 'plan-and-core-group-letter')`.as('plan_letter'),
      notes: sql<boolean>`bool_or(${documentDrafts.kind} = 'inquorate-notes')`.as('notes'),
    })
    .from(documentDrafts)
    .where(eq(documentDrafts.status, 'issued'))
    .groupBy(documentDrafts.conferenceId)
    .as('done');
  const planMade = sql`exists (
    select 1 from child_decisions ld where ld.conference_id = ${conferences.id}
      and ld.outcome in ('plan-needed', 'plan-continues')
      and ld.version = (select max(lv.version) from child_decisions lv
        where lv.conference_id = ld.conference_id and lv.child_id = ld.child_id))`;
  const exclusionLetterOwed = sql`exists (
    select 1 from attendance a join conference_parts p on p.id = a.part_id
    where p.conference_id = ${conferences.id} and a.exclusion_extent is not null
      and not exists (select 1 from document_drafts x where x.conference_id = ${conferences.id}
        and x.kind = 'exclusion-letter' and x.status = 'issued' and x.subject_invitee_id = a.invitee_id))`;
  const outstanding = sql`(case when ${conferences.status} = 'held' then
      coalesce(${done.core}, 0) < 3 or (not coalesce(${done.planLetter}, false) and ${planMade})
    else not coalesce(${done.notes}, false) end or ${exclusionLetterOwed})`;
  return {
    done,
    where: [
      and(eq(conferences.status, 'in-progress'), lt(conferences.scheduledDate, today))!,
      and(
        inArray(conferences.status, ['held', 'adjourned-inquorate']),
        or(
          gte(conferences.scheduledDate, heldSince),
          writtenRecordFrom ? and(gte(conferences.scheduledDate, writtenRecordFrom), outstanding)! : outstanding,
        ),
      )!,
    ],
  };
}

export function dashboardRepository(db: DbOrTx): DashboardRepository {
  /** A conference for the child (`childId` column) after `after` (a date column) that is planned, under way or held. */
  const laterConference = (childId: AnyPgColumn, after: AnyPgColumn) => {
    const laterCc = alias(conferenceChildren, 'later_cc');
    const later = alias(conferences, 'later_conf');
    return db
      .select({ one: sql`1` })
      .from(laterCc)
      .innerJoin(later, eq(later.id, laterCc.conferenceId))
      .where(and(eq(laterCc.childId, childId), inArray(later.status, LIVE_STATUSES), gt(later.scheduledDate, after)));
  };

  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },

    async recordsDueFacts({ today, heldSince, writtenRecordFrom, conferenceIds }) {
      // One statement: each conference that could be under records due, with what says whether it is and which
      // documents it owes (its children's access facts, latest decisions, exclusions and drafts), names left out.
      const { done, where } = recordsDueWindow(db, { today, heldSince, writtenRecordFrom });
      if (conferenceIds.length) where.push(inArray(conferences.id, [...conferenceIds]));
      const rows = await db
        .select({
          id: conferences.id,
          type: conferences.type,
          status: conferences.status,
          scheduledDate: conferences.scheduledDate,
          startTime: conferences.startTime,
          chairUserId: conferences.chairUserId,
          dueRule: conferences.dueRule,
          dueDate: conferences.dueDate,
          children: sql<RecordsChildJson[] | null>`(
            select json_agg(json_build_object('id', ch.id, 'restricted', ch.restricted,
              'allocatedSocialWorkerId', ch.allocated_social_worker_id,
              'namedStaffIds', case when ch.restricted then
                (select json_agg(g.user_id) from child_access_grants g where g.child_id = ch.id) end)
              order by ch.given_names, ch.family_name, ch.id)
            from conference_children cc join children ch on ch.id = cc.child_id
            where cc.conference_id = ${conferences.id})`,
          outcomes: sql<Array<{ childId: string; outcome: string }> | null>`(
            select json_agg(json_build_object('childId', d.child_id, 'outcome', d.outcome))
            from child_decisions d where d.conference_id = ${conferences.id}
              and d.version = (select max(v.version) from child_decisions v
                where v.conference_id = d.conference_id and v.child_id = d.child_id))`,
          excluded: sql<string[] | null>`(
            select json_agg(distinct a.invitee_id) from attendance a join conference_parts p on p.id = a.part_id
            where p.conference_id = ${conferences.id} and a.exclusion_extent is not null)`,
          drafts: sql<Array<{ kind: string; subjectInviteeId: string | null; status: string }> | null>`(
            select json_agg(json_build_object('kind', d.kind, 'subjectInviteeId', d.subject_invitee_id,
              'status', d.status))
            from document_drafts d where d.conference_id = ${conferences.id})`,
        })
        .from(conferences)
        .leftJoin(done, eq(done.conferenceId, conferences.id))
        .where(or(...where));

      const childAccess = new Map<string, ChildAccessFacts>();
      const out: RecordsDueFacts = {
        conferences: [],
        childAccess,
        decisionOutcomes: [],
        exclusions: [],
        documents: [],
      };
      for (const r of rows) {
        const dueRule = resolveDueRule(r.dueRule, null);
        if (!dueRule) throw new Error(`Conference ${r.id} has an unknown due rule "${r.dueRule}"`);
        out.conferences.push({
          id: r.id,
          type: conferenceType(r.type, r.id),
          status: conferenceStatus(r.status, r.id),
          scheduledDate: date(r.scheduledDate),
          startTime: r.startTime,
          chair: r.chairUserId ? { id: r.chairUserId, name: '' } : null,
          // Records due counts from the conference's own date: its own due date is not read there.
          dueRule,
          dueDate: date(r.dueDate),
          strategyDiscussionDate: null,
          expectedDeliveryDate: null,
          previousConference: null,
          noticeOfMoveDate: null,
          lateAgreedBy: null,
          lateReason: null,
          children: (r.children ?? []).map((k) => ({ id: k.id, givenNames: '', familyName: '' })),
        });
        for (const k of r.children ?? [])
          childAccess.set(k.id, {
            allocatedSocialWorkerId: k.allocatedSocialWorkerId,
            restricted: k.restricted,
            namedStaffIds: k.namedStaffIds ?? [],
          });
        for (const o of r.outcomes ?? [])
          out.decisionOutcomes.push({ conferenceId: r.id, childId: o.childId, outcome: outcome(o.outcome)! });
        for (const inviteeId of r.excluded ?? []) out.exclusions.push({ conferenceId: r.id, inviteeId, name: '' });
        for (const d of r.drafts ?? [])
          out.documents.push({
            conferenceId: r.id,
            kind: oneOf(DOCUMENT_KINDS, d.kind, 'document kind'),
            subjectInviteeId: d.subjectInviteeId,
            status: oneOf(DRAFT_STATUSES, d.status, 'draft status'),
          });
      }
      return out;
    },

    async loadSnapshot({ today, horizon, conferenceIds, sections, chairId, reviewsDueBy, namedOnly }) {
      // A view of some sections loads only the rows those sections classify.
      const needs = (...wanted: DashboardSection[]) => !sections || wanted.some((s) => sections.includes(s));
      // D-1: awaiting review, or a reconvened conference due and none linked as reconvening it yet.
      const reconvenedBy = alias(conferences, 'reconvened_by');
      const referralRows = !needs('dissent')
        ? []
        : await db
            .select({
              id: dissentReferrals.id,
              referredTo: dissentReferrals.referredTo,
              referredOn: dissentReferrals.referredOn,
              reviewedOn: dissentReferrals.reviewedOn,
              reconveneDue: dissentReferrals.reconveneDue,
              conferenceId: childDecisions.conferenceId,
              childId: childDecisions.childId,
              reconvenedBy: reconvenedBy.id,
            })
            .from(dissentReferrals)
            .innerJoin(childDecisions, eq(childDecisions.id, dissentReferrals.decisionId))
            .innerJoin(conferences, eq(conferences.id, childDecisions.conferenceId))
            // A cancelled conference reconvenes nothing.
            .leftJoin(
              reconvenedBy,
              and(eq(reconvenedBy.id, conferences.reconvenedConferenceId), ne(reconvenedBy.status, 'cancelled')),
            )
            .where(
              or(
                isNull(dissentReferrals.reviewedOn),
                and(isNotNull(dissentReferrals.reconveneDue), isNull(reconvenedBy.id)),
              ),
            )
            .orderBy(asc(dissentReferrals.referredOn), asc(dissentReferrals.id));

      // T-9: the latest decision at a held conference ends the plan, and the latest plan version there has no meeting date.
      const dec = alias(childDecisions, 'dec');
      const plan = alias(childPlans, 'plan');
      const latestVersion = sql`(${db
        .select({ v: max(dec.version) })
        .from(dec)
        .where(and(eq(dec.conferenceId, childDecisions.conferenceId), eq(dec.childId, childDecisions.childId)))})`;
      const meetingDate = sql<string | null>`(${db
        .select({ v: plan.planEndedMeetingDate })
        .from(plan)
        .where(and(eq(plan.conferenceId, childDecisions.conferenceId), eq(plan.childId, childDecisions.childId)))
        .orderBy(desc(plan.version))
        .limit(1)})`;
      const endedRows = !needs('plan-ended')
        ? []
        : await db
            .select({
              conferenceId: childDecisions.conferenceId,
              childId: childDecisions.childId,
              planEndedMeetingDate: meetingDate,
            })
            .from(childDecisions)
            .innerJoin(conferences, eq(conferences.id, childDecisions.conferenceId))
            .where(
              and(
                eq(conferences.status, 'held'),
                eq(childDecisions.outcome, 'plan-ends'),
                eq(childDecisions.version, latestVersion),
                sql`${meetingDate} is null`,
              ),
            );

      // T-3: each child's latest plan version, at their latest conference (none planned after it).
      const planDecision = sql<string | null>`(${db
        .select({ v: dec.outcome })
        .from(dec)
        .where(and(eq(dec.conferenceId, childPlans.conferenceId), eq(dec.childId, childPlans.childId)))
        .orderBy(desc(dec.version))
        .limit(1)})`;
      const planRows = !needs('reviews-due')
        ? []
        : await db
            .selectDistinctOn([childPlans.childId], {
              conferenceId: childPlans.conferenceId,
              childId: childPlans.childId,
              nextReviewDate: childPlans.nextReviewDate,
              decisionOutcome: planDecision,
            })
            .from(childPlans)
            .innerJoin(conferences, eq(conferences.id, childPlans.conferenceId))
            .where(
              and(
                inArray(conferences.status, ['in-progress', 'held']),
                notExists(laterConference(childPlans.childId, conferences.scheduledDate)),
                // T-3: a plan still in force (the latest decision there keeps or makes one, or none is recorded yet)…
                sql`(${planDecision} is null or ${planDecision} in (${sql.join(
                  OUTCOMES.filter(outcomeHasPlan).map((o) => sql`${o}`),
                  sql`, `,
                )}))`,
                // …whose review could fall due by the horizon (the domain decides exactly).
                reviewsDueBy
                  ? or(
                      and(eq(conferences.type, 'review'), lte(conferences.scheduledDate, reviewsDueBy.nextReview)),
                      and(ne(conferences.type, 'review'), lte(conferences.scheduledDate, reviewsDueBy.firstReview)),
                      lte(childPlans.nextReviewDate, horizon),
                    )
                  : undefined,
              ),
            )
            .orderBy(asc(childPlans.childId), desc(conferences.scheduledDate), desc(childPlans.version));

      const namedIds = [
        ...new Set([...[...referralRows, ...endedRows, ...planRows].map((r) => r.conferenceId), ...conferenceIds]),
      ];
      const window: SQL[] = [];
      // Upcoming, and reports for upcoming conferences.
      if (needs('upcoming', 'missing-reports', 'family-meetings'))
        window.push(
          and(
            inArray(conferences.status, ['planned', 'in-progress']),
            gte(conferences.scheduledDate, today),
            lte(conferences.scheduledDate, horizon),
          )!,
        );
      // Not held by the due date, or planned after it. Two index ranges, each by status: due before today, or
      // planned from today on after its due date (one planned before today after its due date is due before today).
      if (needs('overdue'))
        window.push(
          and(eq(conferences.status, 'planned'), lt(conferences.dueDate, today))!,
          and(
            eq(conferences.status, 'planned'),
            gte(conferences.scheduledDate, today),
            gt(conferences.scheduledDate, conferences.dueDate),
          )!,
        );
      // Records due is read by recordsDueFacts: its conferences are loaded here only by name (a page's rows).
      // Cancelled, so possibly still needed (T-1, T-2, T-4): the domain decides whether it was replaced.
      if (needs('cancelled'))
        window.push(
          and(eq(conferences.status, 'cancelled'), inArray(conferences.type, ['initial', 'pre-birth', 'transfer-in']))!,
        );
      // A page's rows: only the conferences named, none from the window.
      if (namedOnly) window.length = 0;
      // The window and the conferences named are read as two branches of one statement, so that each is read through
      // its index (by status and date, or by id) rather than the whole table for the union of both.
      const branches = [
        ...(window.length ? [or(...window)!] : []),
        ...(namedIds.length ? [inArray(conferences.id, namedIds)] : []),
      ].map((branch) => (chairId ? and(eq(conferences.chairUserId, chairId), branch)! : branch));
      // For a cancelled conference, in the same statement: the other conferences of the same type, held or
      // planned, sharing a child with it, each with its children (the domain applies the replacement rule).
      const liveStatuses = sql.join(
        COUNTS_AS_HELD_OR_PLANNED.map((st) => sql`${st}`),
        sql`, `,
      );
      const replacements = sql<OtherConferenceJson[] | null>`case when ${conferences.status} = 'cancelled' then (
        select coalesce(json_agg(json_build_object(
          'id', o.id, 'type', o.type, 'status', o.status, 'scheduledDate', o.scheduled_date,
          'childIds', (select json_agg(occ.child_id) from conference_children occ where occ.conference_id = o.id)
        )), '[]'::json)
        from conferences o
        where o.id <> ${conferences.id} and o.type = ${conferences.type} and o.status in (${liveStatuses})
          and exists (select 1 from conference_children x join conference_children y on y.child_id = x.child_id
                      where x.conference_id = o.id and y.conference_id = ${conferences.id})
      ) end`;
      const prev = alias(conferences, 'prev');
      const conferenceQuery = (where: SQL) =>
        db
          .select({
            c: conferences,
            chairName: users.name,
            previousDate: prev.scheduledDate,
            previousType: prev.type,
            replacements,
            // 002 §1.3: the pre-birth window ends earlier when a premature birth is likely (worded on the dashboard).
            prematureBirthLikely: sql<boolean>`coalesce((select g.premature_birth_likely from conference_convening_grounds g where g.conference_id = ${conferences.id}), false)`,
            // 002 §4.1: whether the chair's meeting with the family is recorded (a to-do on the dashboard until it is).
            familyMeetingRecorded: sql<boolean>`exists (select 1 from chair_family_meetings m where m.conference_id = ${conferences.id})`,
          })
          .from(conferences)
          .leftJoin(users, eq(users.id, conferences.chairUserId))
          .leftJoin(prev, eq(prev.id, conferences.previousConferenceId))
          .where(where);
      const [first, second] = branches;
      // A conference both in the window and named comes from both branches: it is kept once.
      const conferenceRows = [
        ...new Map(
          (!first
            ? []
            : second
              ? await conferenceQuery(first).unionAll(conferenceQuery(second))
              : await conferenceQuery(first)
          ).map((r) => [r.c.id, r] as const),
        ).values(),
      ];
      // The chair filter's list names the chairs of every conference in the window, not only the one chosen.
      const chairQuery = (where: SQL) =>
        db
          .selectDistinct({ id: conferences.chairUserId })
          .from(conferences)
          .where(and(isNotNull(conferences.chairUserId), where));
      const [allFirst, allSecond] = [
        ...(window.length ? [or(...window)!] : []),
        ...(namedIds.length ? [inArray(conferences.id, namedIds)] : []),
      ];
      const chairIds = chairId
        ? (!allFirst
            ? []
            : allSecond
              ? await chairQuery(allFirst).union(chairQuery(allSecond))
              : await chairQuery(allFirst)
          ).flatMap((r) => (r.id ? [r.id] : []))
        : [...new Set(conferenceRows.flatMap((r) => (r.c.chairUserId ? [r.c.chairUserId] : [])))];

      const ids = conferenceRows.map((r) => r.c.id);
      const childRows = ids.length
        ? await db
            .select({
              conferenceId: conferenceChildren.conferenceId,
              id: children.id,
              givenNames: children.givenNames,
              familyName: children.familyName,
              allocatedSocialWorkerId: children.allocatedSocialWorkerId,
              restricted: children.restricted,
            })
            .from(conferenceChildren)
            .innerJoin(children, eq(children.id, conferenceChildren.childId))
            .where(inArray(conferenceChildren.conferenceId, ids))
            .orderBy(asc(children.givenNames), asc(children.familyName), asc(children.id))
        : [];
      const restrictedIds = [...new Set(childRows.filter((r) => r.restricted).map((r) => r.id))];
      const grantRows = restrictedIds.length
        ? await db
            .select({ childId: childAccessGrants.childId, userId: childAccessGrants.userId })
            .from(childAccessGrants)
            .where(inArray(childAccessGrants.childId, restrictedIds))
        : [];

      const reportIds = conferenceRows
        .filter((r) => r.c.status === 'planned' && r.c.scheduledDate >= today && r.c.scheduledDate <= horizon)
        .map((r) => r.c.id);
      const agencyColumns = { id: agencies.id, name: agencies.name, kind: agencies.kind };
      const inviteeRows = reportIds.length
        ? await db
            .selectDistinct({ conferenceId: conferenceInvitees.conferenceId, agency: agencyColumns })
            .from(conferenceInvitees)
            .innerJoin(agencies, eq(agencies.id, conferenceInvitees.agencyId))
            // Professionals only: an interpreter's agency writes no report.
            .where(
              and(inArray(conferenceInvitees.conferenceId, reportIds), eq(conferenceInvitees.kind, 'professional')),
            )
        : [];
      const reportRows = reportIds.length
        ? await db
            .select({
              conferenceId: conferenceReports.conferenceId,
              agency: agencyColumns,
              sharedWithFamilyOn: conferenceReports.sharedWithFamilyOn,
              withheldFromFamily: conferenceReports.withheldFromFamily,
            })
            .from(conferenceReports)
            .innerJoin(agencies, eq(agencies.id, conferenceReports.agencyId))
            .where(inArray(conferenceReports.conferenceId, reportIds))
            .orderBy(asc(agencies.name), asc(conferenceReports.receivedAt))
        : [];

      // Which documents held and adjourned conferences need: each child's latest decision, and who was excluded.
      const recordIds = conferenceRows
        .filter((r) => r.c.status === 'held' || r.c.status === 'adjourned-inquorate')
        .map((r) => r.c.id);
      const outcomeRows = recordIds.length
        ? await db
            .selectDistinctOn([childDecisions.conferenceId, childDecisions.childId], {
              conferenceId: childDecisions.conferenceId,
              childId: childDecisions.childId,
              outcome: childDecisions.outcome,
            })
            .from(childDecisions)
            .where(inArray(childDecisions.conferenceId, recordIds))
            .orderBy(asc(childDecisions.conferenceId), asc(childDecisions.childId), desc(childDecisions.version))
        : [];
      const exclusionRows = recordIds.length
        ? await db
            .selectDistinct({
              conferenceId: conferenceParts.conferenceId,
              inviteeId: attendance.inviteeId,
              personGivenNames: people.givenNames,
              personFamilyName: people.familyName,
              childGivenNames: children.givenNames,
              childFamilyName: children.familyName,
            })
            .from(attendance)
            .innerJoin(conferenceParts, eq(conferenceParts.id, attendance.partId))
            .innerJoin(conferenceInvitees, eq(conferenceInvitees.id, attendance.inviteeId))
            .leftJoin(people, eq(people.id, conferenceInvitees.personId))
            .leftJoin(children, eq(children.id, conferenceInvitees.childId))
            .where(and(inArray(conferenceParts.conferenceId, recordIds), isNotNull(attendance.exclusionExtent)))
        : [];

      const trackedChildren = [...new Set([...referralRows, ...planRows].map((r) => r.childId))];
      const latestRows = trackedChildren.length
        ? await db
            .select({ childId: conferenceChildren.childId, latest: max(conferences.scheduledDate) })
            .from(conferenceChildren)
            .innerJoin(conferences, eq(conferences.id, conferenceChildren.conferenceId))
            .where(
              and(inArray(conferenceChildren.childId, trackedChildren), inArray(conferences.status, LIVE_STATUSES)),
            )
            .groupBy(conferenceChildren.childId)
        : [];

      // ------------------------------------------------------------ to domain facts
      const grants = new Map<string, string[]>();
      for (const g of grantRows) grants.set(g.childId, [...(grants.get(g.childId) ?? []), g.userId]);
      const childAccess = new Map<string, ChildAccessFacts>();
      const childrenOf = new Map<string, DashboardConference['children']>();
      for (const r of childRows) {
        childAccess.set(r.id, {
          allocatedSocialWorkerId: r.allocatedSocialWorkerId,
          restricted: r.restricted,
          namedStaffIds: grants.get(r.id) ?? [],
        });
        childrenOf.set(r.conferenceId, [
          ...(childrenOf.get(r.conferenceId) ?? []),
          { id: r.id, givenNames: r.givenNames, familyName: r.familyName },
        ]);
      }

      const conferencesOut: DashboardConference[] = conferenceRows.map(
        ({ c, chairName, previousDate, previousType, prematureBirthLikely, familyMeetingRecorded }) => {
          const previousConference =
            previousDate && previousType
              ? { date: date(previousDate), type: conferenceType(previousType, c.previousConferenceId ?? '') }
              : null;
          const dueRule = resolveDueRule(c.dueRule, previousConference?.type ?? null);
          if (!dueRule) throw new Error(`Conference ${c.id} has an unknown due rule "${c.dueRule}"`);
          return {
            id: c.id,
            type: conferenceType(c.type, c.id),
            status: conferenceStatus(c.status, c.id),
            scheduledDate: date(c.scheduledDate),
            startTime: c.startTime,
            chair: c.chairUserId ? { id: c.chairUserId, name: chairName ?? 'Unknown account' } : null,
            dueRule,
            dueDate: date(c.dueDate),
            strategyDiscussionDate: dateOrNull(c.strategyDiscussionDate),
            expectedDeliveryDate: dateOrNull(c.expectedDeliveryDate),
            previousConference,
            noticeOfMoveDate: dateOrNull(c.noticeOfMoveDate),
            lateAgreedBy: c.lateAgreedBy,
            lateReason: c.lateReason,
            prematureBirthLikely: prematureBirthLikely === true,
            familyMeetingRecorded: familyMeetingRecorded === true,
            children: childrenOf.get(c.id) ?? [],
          };
        },
      );

      const others = new Map<string, ConferenceForChildren>();
      for (const o of conferenceRows.flatMap((r) => r.replacements ?? [])) {
        others.set(o.id, {
          id: o.id,
          type: conferenceType(o.type, o.id),
          status: conferenceStatus(o.status, o.id),
          scheduledDate: date(o.scheduledDate),
          childIds: o.childIds ?? [],
        });
      }

      const facts: Omit<DashboardFacts, 'documents' | 'arrangementTasks'> = {
        conferences: conferencesOut,
        invitedAgencies: inviteeRows,
        reports: reportRows.map((r) => ({ ...r, sharedWithFamilyOn: dateOrNull(r.sharedWithFamilyOn) })),
        latestPlans: planRows.map((r) => ({
          conferenceId: r.conferenceId,
          childId: r.childId,
          nextReviewDate: dateOrNull(r.nextReviewDate),
          decisionOutcome: outcome(r.decisionOutcome),
        })),
        endedPlans: endedRows.map((r) => ({
          conferenceId: r.conferenceId,
          childId: r.childId,
          planEndedMeetingDate: dateOrNull(r.planEndedMeetingDate),
        })),
        referrals: referralRows.map((r) => ({
          ...r,
          referredOn: date(r.referredOn),
          reviewedOn: dateOrNull(r.reviewedOn),
          reconveneDue: dateOrNull(r.reconveneDue),
        })),
        otherConferences: [...others.values()],
        latestConferenceDate: new Map(
          latestRows.filter((r) => r.latest !== null).map((r) => [r.childId, date(r.latest!)]),
        ),
        decisionOutcomes: outcomeRows.map((r) => ({ ...r, outcome: outcome(r.outcome)! })),
        exclusions: exclusionRows.map((r) => ({
          conferenceId: r.conferenceId,
          inviteeId: r.inviteeId,
          name:
            [r.personGivenNames ?? r.childGivenNames, r.personFamilyName ?? r.childFamilyName]
              .filter(Boolean)
              .join(' ') || 'The person excluded',
        })),
      };
      return { ...facts, childAccess, chairIds } satisfies DashboardSnapshot;
    },
  };
}
