import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  AttendanceRecord,
  CurrentOutcome,
  DecisionRecord,
  MeetingChild,
  MeetingConference,
  MeetingInvitee,
  MeetingRepository,
  PlanRecord,
  ReferralRecord,
  SummaryRecord,
} from '../../../app/conferences/meeting-ports.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../domain/conferences/attendance.ts';
import {
  type Category,
  CATEGORIES,
  CONFERENCE_TYPES,
  type ConferenceType,
  type Outcome,
  OUTCOMES,
} from '../../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES, type ConferenceStatus } from '../../../domain/conferences/lifecycle.ts';
import { isReferralOutcome } from '../../../domain/conferences/meeting.ts';
import { isRelationshipKind } from '../../../domain/people/index.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import type { DbOrTx } from '../client.ts';
import { conferenceCoverChairs } from '../chair-cover-schema.ts';
import { oneOf } from '../checked-values.ts';
import { conveningRepository } from './convening-repository.ts';
import { uniqueViolation } from './db-errors.ts';
import {
  agencies,
  agencyViews,
  attendance,
  chairSummaries,
  childDecisions,
  childPlans,
  childRelationships,
  children,
  conferenceChildren,
  conferenceInvitees,
  conferenceParts,
  conferences,
  coreGroupMembers,
  dissentReferrals,
  planActions,
  users,
} from '../schema.ts';

const date = (v: string | null): IsoDate | null => v as IsoDate | null;

const recordedBy = alias(users, 'recorded_by');
const leadSw = alias(users, 'lead_sw');

function toConference(r: typeof conferences.$inferSelect, chairName: string | null): MeetingConference {
  return {
    id: r.id,
    type: oneOf<ConferenceType>(CONFERENCE_TYPES, r.type, 'conference type'),
    status: oneOf<ConferenceStatus>(CONFERENCE_STATUSES, r.status, 'conference status'),
    scheduledDate: r.scheduledDate as IsoDate,
    startTime: r.startTime,
    durationMinutes: r.durationMinutes,
    venueKind: r.venueKind,
    venueDetails: r.venueDetails,
    chairUserId: r.chairUserId,
    chairName,
    previousConferenceId: r.previousConferenceId,
    actualStartTime: r.actualStartTime,
    reminderGivenAt: r.reminderGivenAt,
    actualEndTime: r.actualEndTime,
    proceededInquorateReason: r.proceededInquorateReason,
    adjournmentSafetySteps: r.adjournmentSafetySteps,
    reconveneDate: date(r.reconveneDate),
    reconvenedConferenceId: r.reconvenedConferenceId,
    cancelledReason: r.cancelledReason,
    version: r.version,
  };
}

export function meetingRepository(db: DbOrTx): MeetingRepository {
  // The conference's parts and invitation list are read as convening reads them.
  const convening = conveningRepository(db);

  async function decisionsWhere(where: ReturnType<typeof eq>): Promise<DecisionRecord[]> {
    const rows = await db
      .select({ d: childDecisions, by: recordedBy.name })
      .from(childDecisions)
      .leftJoin(recordedBy, eq(recordedBy.id, childDecisions.recordedByUserId))
      .where(where)
      .orderBy(asc(childDecisions.childId), asc(childDecisions.version));
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.d.id);
    const views = await db
      .select({
        decisionId: agencyViews.decisionId,
        agencyId: agencyViews.agencyId,
        agencyName: agencies.name,
        view: agencyViews.view,
        note: agencyViews.note,
      })
      .from(agencyViews)
      .innerJoin(agencies, eq(agencies.id, agencyViews.agencyId))
      .where(inArray(agencyViews.decisionId, ids))
      .orderBy(asc(agencies.name));
    const referrals = await db
      .select()
      .from(dissentReferrals)
      .where(inArray(dissentReferrals.decisionId, ids))
      .orderBy(asc(dissentReferrals.createdAt));
    return rows.map(({ d, by }) => {
      const ref = referrals.filter((x) => x.decisionId === d.id).at(-1);
      const referral: ReferralRecord | null = ref
        ? {
            id: ref.id,
            decisionId: ref.decisionId,
            referredTo: ref.referredTo,
            referredOn: ref.referredOn as IsoDate,
            reviewedOn: date(ref.reviewedOn),
            outcome: ref.outcome !== null && isReferralOutcome(ref.outcome) ? ref.outcome : null,
            reconveneDue: date(ref.reconveneDue),
          }
        : null;
      return {
        id: d.id,
        conferenceId: d.conferenceId,
        childId: d.childId,
        version: d.version,
        outcome: oneOf<Outcome>(OUTCOMES, d.outcome, 'outcome'),
        category: d.category === null ? null : oneOf<Category>(CATEGORIES, d.category, 'category'),
        reasons: d.reasons,
        equallySplit: d.equallySplit,
        seniorManagerReferralRequired: d.seniorManagerReferralRequired,
        changeReason: d.changeReason,
        recordedByUserId: d.recordedByUserId,
        recordedByName: by,
        recordedAt: d.recordedAt,
        agencyViews: views
          .filter((v) => v.decisionId === d.id)
          .map((v) => ({
            agencyId: v.agencyId,
            agencyName: v.agencyName,
            view: v.view === 'dissents' ? ('dissents' as const) : ('agrees' as const),
            note: v.note,
          })),
        referral,
      };
    });
  }

  async function plansWhere(where: ReturnType<typeof eq>): Promise<PlanRecord[]> {
    const rows = await db
      .select({ p: childPlans, by: recordedBy.name, lead: leadSw.name })
      .from(childPlans)
      .leftJoin(recordedBy, eq(recordedBy.id, childPlans.recordedByUserId))
      .leftJoin(leadSw, eq(leadSw.id, childPlans.leadSocialWorkerUserId))
      .where(where)
      .orderBy(asc(childPlans.childId), asc(childPlans.version));
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.p.id);
    const actions = await db
      .select()
      .from(planActions)
      .where(inArray(planActions.planId, ids))
      .orderBy(asc(planActions.ordinal));
    const members = await db.select().from(coreGroupMembers).where(inArray(coreGroupMembers.planId, ids));
    return rows.map(({ p, by, lead }) => ({
      id: p.id,
      conferenceId: p.conferenceId,
      childId: p.childId,
      version: p.version,
      leadSocialWorkerUserId: p.leadSocialWorkerUserId,
      leadSocialWorkerName: lead,
      firstCoreGroupDate: date(p.firstCoreGroupDate),
      contingencyPlan: p.contingencyPlan,
      nextReviewDate: date(p.nextReviewDate),
      planEndedMeetingDate: date(p.planEndedMeetingDate),
      changeReason: p.changeReason,
      recordedByUserId: p.recordedByUserId,
      recordedByName: by,
      recordedAt: p.recordedAt,
      actions: actions
        .filter((a) => a.planId === p.id)
        .map((a) => ({ ordinal: a.ordinal, action: a.action, who: a.who, byWhen: date(a.byWhen) })),
      coreGroupInviteeIds: members.filter((m) => m.planId === p.id).map((m) => m.inviteeId),
    }));
  }

  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },

    async findConference(conferenceId, opts = {}) {
      if (opts.lock)
        await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId)).for('update');
      const [row] = await db
        .select({ c: conferences, chairName: users.name })
        .from(conferences)
        .leftJoin(users, eq(users.id, conferences.chairUserId))
        .where(eq(conferences.id, conferenceId));
      if (!row) return null;
      // 002 §4.1: the cover chair recorded now, if any.
      const cover = alias(users, 'cover_chair');
      const [current] = await db
        .select({ id: conferenceCoverChairs.coverChairUserId, name: cover.name })
        .from(conferenceCoverChairs)
        .innerJoin(cover, eq(cover.id, conferenceCoverChairs.coverChairUserId))
        .where(and(eq(conferenceCoverChairs.conferenceId, conferenceId), isNull(conferenceCoverChairs.endedAt)));
      return {
        ...toConference(row.c, row.chairName),
        coverChairUserId: current?.id ?? null,
        coverChairName: current?.name ?? null,
      };
    },

    async listChildren(conferenceId) {
      const rows = await db
        .select({
          childId: children.id,
          givenNames: children.givenNames,
          familyName: children.familyName,
          dateOfBirth: children.dateOfBirth,
          expectedDeliveryDate: children.expectedDeliveryDate,
          allocatedSocialWorkerId: children.allocatedSocialWorkerId,
          allocatedSocialWorkerName: users.name,
          childViews: conferenceChildren.childViews,
        })
        .from(conferenceChildren)
        .innerJoin(children, eq(children.id, conferenceChildren.childId))
        .leftJoin(users, eq(users.id, children.allocatedSocialWorkerId))
        .where(eq(conferenceChildren.conferenceId, conferenceId))
        // Oldest first, unborn last: the order families and records usually list a sibling group.
        .orderBy(sql`${children.dateOfBirth} asc nulls last`, asc(children.givenNames), asc(children.id));
      return rows.map((r): MeetingChild => ({
        ...r,
        dateOfBirth: date(r.dateOfBirth),
        expectedDeliveryDate: date(r.expectedDeliveryDate),
      }));
    },

    async listChildrenOfConferences(conferenceIds) {
      const out = new Map<string, MeetingChild[]>();
      if (conferenceIds.length === 0) return out;
      const rows = await db
        .select({
          conferenceId: conferenceChildren.conferenceId,
          childId: children.id,
          givenNames: children.givenNames,
          familyName: children.familyName,
          dateOfBirth: children.dateOfBirth,
          expectedDeliveryDate: children.expectedDeliveryDate,
          allocatedSocialWorkerId: children.allocatedSocialWorkerId,
          allocatedSocialWorkerName: users.name,
          childViews: conferenceChildren.childViews,
        })
        .from(conferenceChildren)
        .innerJoin(children, eq(children.id, conferenceChildren.childId))
        .leftJoin(users, eq(users.id, children.allocatedSocialWorkerId))
        .where(inArray(conferenceChildren.conferenceId, [...conferenceIds]))
        // As listChildren: oldest first, unborn last.
        .orderBy(sql`${children.dateOfBirth} asc nulls last`, asc(children.givenNames), asc(children.id));
      for (const { conferenceId, ...r } of rows)
        out.set(conferenceId, [
          ...(out.get(conferenceId) ?? []),
          { ...r, dateOfBirth: date(r.dateOfBirth), expectedDeliveryDate: date(r.expectedDeliveryDate) },
        ]);
      return out;
    },

    listParts: (conferenceId) => convening.listParts(conferenceId),

    /** The invitation list (the register's order), with each family member's links to the conference's children. */
    async listInvitees(conferenceId) {
      const invitees = await convening.listInvitees(conferenceId);
      const personIds = invitees.map((i) => i.personId).filter((x): x is string => x !== null);
      const links = personIds.length
        ? await db
            .select({
              personId: childRelationships.personId,
              childId: childRelationships.childId,
              relationship: childRelationships.relationship,
              pr: childRelationships.parentalResponsibility,
            })
            .from(childRelationships)
            .innerJoin(
              conferenceChildren,
              and(
                eq(conferenceChildren.childId, childRelationships.childId),
                eq(conferenceChildren.conferenceId, conferenceId),
              ),
            )
            .where(inArray(childRelationships.personId, personIds))
        : [];
      return invitees.map((i): MeetingInvitee => ({
        ...i,
        relationships: links
          .filter((l) => l.personId === i.personId)
          .map((l) => ({
            childId: l.childId,
            relationship: isRelationshipKind(l.relationship) ? l.relationship : 'other',
            parentalResponsibility: l.pr,
          })),
      }));
    },

    async listAttendance(conferenceId) {
      const rows = await db
        .select({ a: attendance })
        .from(attendance)
        .innerJoin(conferenceParts, eq(conferenceParts.id, attendance.partId))
        .where(eq(conferenceParts.conferenceId, conferenceId));
      return rows.map(({ a }): AttendanceRecord => ({
        partId: a.partId,
        inviteeId: a.inviteeId,
        status: oneOf<AttendanceStatus>(ATTENDANCE_STATUSES, a.status, 'attendance status'),
        joinedAtMinutes: a.joinedAtMinutes,
        leftAtMinutes: a.leftAtMinutes,
        exclusionExtent: a.exclusionExtent === 'full' || a.exclusionExtent === 'partial' ? a.exclusionExtent : null,
        exclusionReason: a.exclusionReason,
        howViewsHeard: a.howViewsHeard,
        interpreterUsed: a.interpreterUsed,
      }));
    },

    async updateConference(conferenceId, change) {
      await db
        .update(conferences)
        .set({
          status: change.status,
          ...(change.proceededInquorateReason !== undefined
            ? { proceededInquorateReason: change.proceededInquorateReason }
            : {}),
          ...(change.adjournmentSafetySteps !== undefined
            ? { adjournmentSafetySteps: change.adjournmentSafetySteps }
            : {}),
          ...(change.actualStartTime !== undefined ? { actualStartTime: change.actualStartTime } : {}),
          ...(change.reminderGivenAt !== undefined ? { reminderGivenAt: change.reminderGivenAt } : {}),
          ...(change.actualEndTime !== undefined ? { actualEndTime: change.actualEndTime } : {}),
          ...(change.reconveneDate !== undefined ? { reconveneDate: change.reconveneDate } : {}),
          version: sql`${conferences.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(conferences.id, conferenceId));
    },

    async insertPart(conferenceId, part) {
      const [max] = await db
        .select({ n: sql<number>`coalesce(max(${conferenceParts.ordinal}), 0)::int` })
        .from(conferenceParts)
        .where(eq(conferenceParts.conferenceId, conferenceId));
      const [row] = await db
        .insert(conferenceParts)
        .values({ conferenceId, ordinal: (max?.n ?? 0) + 1, ...part })
        .returning({
          id: conferenceParts.id,
          ordinal: conferenceParts.ordinal,
          label: conferenceParts.label,
          startOffsetMinutes: conferenceParts.startOffsetMinutes,
          durationMinutes: conferenceParts.durationMinutes,
        });
      return row!;
    },

    async updatePart(partId, part) {
      await db.update(conferenceParts).set(part).where(eq(conferenceParts.id, partId));
    },

    async deletePart(partId) {
      await db.delete(conferenceParts).where(eq(conferenceParts.id, partId));
    },

    async saveAttendance(rows) {
      for (const r of rows) {
        const values = {
          status: r.status,
          joinedAtMinutes: r.joinedAtMinutes,
          leftAtMinutes: r.leftAtMinutes,
          exclusionExtent: r.exclusionExtent,
          exclusionReason: r.exclusionReason,
          howViewsHeard: r.howViewsHeard,
          interpreterUsed: r.interpreterUsed,
        };
        await db
          .insert(attendance)
          .values({ partId: r.partId, inviteeId: r.inviteeId, ...values })
          .onConflictDoUpdate({
            target: [attendance.partId, attendance.inviteeId],
            set: { ...values, updatedAt: sql`now()` },
          });
      }
    },

    async setDirectContact(inviteeId, directContact) {
      await db.update(conferenceInvitees).set({ directContact }).where(eq(conferenceInvitees.id, inviteeId));
    },

    async insertInvitee(conferenceId, invitee) {
      try {
        const [row] = await db
          .insert(conferenceInvitees)
          .values({ conferenceId, ...invitee })
          .returning({ id: conferenceInvitees.id });
        return row!.id;
      } catch (err) {
        // The unique indexes are the backstop for the check the meeting makes first.
        if (uniqueViolation(err)?.startsWith('conference_invitees_'))
          throw new ConflictError('They are already on the register', 'source');
        throw err;
      }
    },

    async listDecisions(conferenceId) {
      return decisionsWhere(eq(childDecisions.conferenceId, conferenceId));
    },

    async insertDecision(d) {
      const [row] = await db
        .insert(childDecisions)
        .values({
          conferenceId: d.conferenceId,
          childId: d.childId,
          version: d.version,
          outcome: d.outcome,
          category: d.category,
          reasons: d.reasons,
          equallySplit: d.equallySplit,
          seniorManagerReferralRequired: d.seniorManagerReferralRequired,
          changeReason: d.changeReason,
          recordedByUserId: d.recordedByUserId,
          recordedAt: d.recordedAt,
        })
        .returning({ id: childDecisions.id });
      const id = row!.id;
      if (d.agencyViews.length)
        await db
          .insert(agencyViews)
          .values(d.agencyViews.map((v) => ({ decisionId: id, agencyId: v.agencyId, view: v.view, note: v.note })));
      if (d.referral) await db.insert(dissentReferrals).values({ decisionId: id, ...d.referral });
      return id;
    },

    async recordReferralReview(referralId, review) {
      await db.update(dissentReferrals).set(review).where(eq(dissentReferrals.id, referralId));
    },

    async listPlans(conferenceId) {
      return plansWhere(eq(childPlans.conferenceId, conferenceId));
    },

    async insertPlan(p) {
      const [row] = await db
        .insert(childPlans)
        .values({
          conferenceId: p.conferenceId,
          childId: p.childId,
          version: p.version,
          leadSocialWorkerUserId: p.leadSocialWorkerUserId,
          firstCoreGroupDate: p.firstCoreGroupDate,
          contingencyPlan: p.contingencyPlan,
          nextReviewDate: p.nextReviewDate,
          planEndedMeetingDate: p.planEndedMeetingDate,
          changeReason: p.changeReason,
          recordedByUserId: p.recordedByUserId,
          recordedAt: p.recordedAt,
        })
        .returning({ id: childPlans.id });
      const id = row!.id;
      if (p.actions.length)
        await db
          .insert(planActions)
          .values(
            p.actions.map((a, i) => ({ planId: id, ordinal: i + 1, action: a.action, who: a.who, byWhen: a.byWhen })),
          );
      if (p.coreGroupInviteeIds.length)
        await db.insert(coreGroupMembers).values(p.coreGroupInviteeIds.map((inviteeId) => ({ planId: id, inviteeId })));
      return id;
    },

    async listSummaries(conferenceId) {
      const rows = await db
        .select({ s: chairSummaries, by: recordedBy.name })
        .from(chairSummaries)
        .leftJoin(recordedBy, eq(recordedBy.id, chairSummaries.recordedByUserId))
        .where(eq(chairSummaries.conferenceId, conferenceId))
        .orderBy(asc(chairSummaries.version));
      return rows.map(({ s, by }): SummaryRecord => ({
        id: s.id,
        version: s.version,
        worries: s.worries,
        positives: s.positives,
        changes: s.changes,
        changeReason: s.changeReason,
        recordedByUserId: s.recordedByUserId,
        recordedByName: by,
        recordedAt: s.recordedAt,
      }));
    },

    async insertSummary(s) {
      const [row] = await db.insert(chairSummaries).values(s).returning({ id: chairSummaries.id });
      return row!.id;
    },

    async setChildViews(conferenceId, childId, views) {
      await db
        .update(conferenceChildren)
        .set({ childViews: views })
        .where(and(eq(conferenceChildren.conferenceId, conferenceId), eq(conferenceChildren.childId, childId)));
    },

    async currentOutcomes(childIds) {
      if (childIds !== null && childIds.length === 0) return [];
      const latest = await db
        .selectDistinctOn([childDecisions.childId], {
          childId: childDecisions.childId,
          conferenceId: childDecisions.conferenceId,
          type: conferences.type,
          scheduledDate: conferences.scheduledDate,
        })
        .from(childDecisions)
        .innerJoin(conferences, eq(conferences.id, childDecisions.conferenceId))
        .where(
          and(
            eq(conferences.status, 'held'),
            childIds === null ? undefined : inArray(childDecisions.childId, [...childIds]),
          ),
        )
        .orderBy(
          asc(childDecisions.childId),
          desc(conferences.scheduledDate),
          desc(conferences.startTime),
          desc(childDecisions.recordedAt),
        );
      const out: CurrentOutcome[] = [];
      for (const l of latest) {
        const decisions = await decisionsWhere(
          and(eq(childDecisions.conferenceId, l.conferenceId), eq(childDecisions.childId, l.childId))!,
        );
        const plans = await plansWhere(
          and(eq(childPlans.conferenceId, l.conferenceId), eq(childPlans.childId, l.childId))!,
        );
        out.push({
          childId: l.childId,
          conferenceId: l.conferenceId,
          conferenceType: oneOf<ConferenceType>(CONFERENCE_TYPES, l.type, 'conference type'),
          conferenceDate: l.scheduledDate as IsoDate,
          decision: decisions.at(-1)!,
          plan: plans.at(-1) ?? null,
        });
      }
      return out;
    },
  };
}
