import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  AdvocateRoleRecord,
  BarRecord,
  ChildAttendanceRecord,
  ExclusionDetailsRecord,
  HelpRecord,
  ParentReportFormat,
  ParentReportRecord,
  ParticipationRepository,
} from '../../../app/participation/ports.ts';
import {
  ATTENDANCE_CHOICES,
  BENEFIT,
  CHILD_WISHES,
  UNDERSTANDING,
  VIEWS_ROUTES,
  WISH_EXPRESSED,
} from '../../../domain/participation/child-attendance.ts';
import { EXCLUDED_VIEWS_ROUTES, EXCLUSION_CRITERIA } from '../../../domain/participation/exclusion.ts';
import { HELP_KINDS, HELP_STATUSES } from '../../../domain/participation/parent-reports.ts';
import { BAR_REASONS } from '../../../domain/participation/supporters.ts';
import { oneOf } from '../checked-values.ts';
import type { DbOrTx } from '../client.ts';
import {
  advocateRoles,
  childAttendanceDecisions as decisions,
  exclusionDetails,
  parentHelp,
  parentReports,
  supporterBars,
} from '../participation-schema.ts';
import { conferenceParts } from '../schema.ts';

const FORMATS: readonly ParentReportFormat[] = ['pdf', 'docx', 'doc', 'odt', 'txt'];
const SOURCES = ['file', 'typed'] as const;

const userName = (col: unknown) => sql<string | null>`(select u.name from users u where u.id = ${col})`;

export function participationRepository(db: DbOrTx): ParticipationRepository {
  return {
    async listChildAttendance(conferenceId) {
      const rows = await db
        .select({
          row: decisions,
          recordedByName: userName(decisions.recordedByUserId),
          checkedByName: userName(decisions.viewsCheckedByUserId),
        })
        .from(decisions)
        .where(eq(decisions.conferenceId, conferenceId));
      return rows.map(({ row: r, recordedByName, checkedByName }): ChildAttendanceRecord => ({
        childId: r.childId,
        understands: oneOf(UNDERSTANDING, r.understands, 'understanding'),
        wishExpressed: oneOf(WISH_EXPRESSED, r.wishExpressed, 'wish expressed'),
        parentsViews: r.parentsViews,
        benefit: oneOf(BENEFIT, r.benefit, 'benefit'),
        chairAdvice: oneOf(ATTENDANCE_CHOICES, r.chairAdvice, 'advice'),
        socialWorkerAdvice: oneOf(ATTENDANCE_CHOICES, r.socialWorkerAdvice, 'advice'),
        childWish: oneOf(CHILD_WISHES, r.childWish, 'child wish'),
        decision: oneOf(ATTENDANCE_CHOICES, r.decision, 'attendance decision'),
        partArrangements: r.partArrangements,
        reason: r.reason,
        viewsRoutes: r.viewsRoutes.map((v) => oneOf(VIEWS_ROUTES, v, 'views route')),
        viewsNote: r.viewsNote,
        viewsCheckedAt: r.viewsCheckedAt,
        viewsCheckedByName: r.viewsCheckedAt ? checkedByName : null,
        recordedByName,
        recordedAt: r.recordedAt,
        version: r.version,
      }));
    },

    async saveChildAttendance(conferenceId, childId, expectedVersion, d, by) {
      const values = {
        understands: d.understands,
        wishExpressed: d.wishExpressed,
        parentsViews: d.parentsViews,
        benefit: d.benefit,
        chairAdvice: d.chairAdvice,
        socialWorkerAdvice: d.socialWorkerAdvice,
        childWish: d.childWish,
        decision: d.decision,
        partArrangements: d.partArrangements,
        reason: d.reason,
        viewsRoutes: d.viewsRoutes,
        viewsNote: d.viewsNote,
        // A changed decision is checked again by the conference.
        viewsCheckedAt: null,
        viewsCheckedByUserId: null,
        recordedByUserId: by.userId,
        recordedAt: by.at,
      };
      if (expectedVersion === 0) {
        const rows = await db
          .insert(decisions)
          .values({ conferenceId, childId, ...values, version: 1 })
          .onConflictDoNothing()
          .returning({ v: decisions.version });
        return rows.length === 1;
      }
      const rows = await db
        .update(decisions)
        .set({ ...values, version: expectedVersion + 1 })
        .where(
          and(
            eq(decisions.conferenceId, conferenceId),
            eq(decisions.childId, childId),
            eq(decisions.version, expectedVersion),
          ),
        )
        .returning({ v: decisions.version });
      return rows.length === 1;
    },

    async markViewsChecked(conferenceId, childId, by) {
      await db
        .update(decisions)
        .set({ viewsCheckedAt: by.at, viewsCheckedByUserId: by.userId })
        .where(and(eq(decisions.conferenceId, conferenceId), eq(decisions.childId, childId)));
    },

    async listBars(conferenceId) {
      const rows = await db
        .select({ row: supporterBars, name: userName(supporterBars.barredByUserId) })
        .from(supporterBars)
        .where(eq(supporterBars.conferenceId, conferenceId))
        .orderBy(asc(supporterBars.barredAt));
      return rows.map(({ row: r, name }): BarRecord => ({
        inviteeId: r.inviteeId,
        reason: oneOf(BAR_REASONS, r.reason, 'bar reason'),
        detail: r.detail,
        barredByName: name,
        barredAt: r.barredAt,
      }));
    },

    async saveBar(conferenceId, inviteeId, bar, by) {
      const values = { reason: bar.reason, detail: bar.detail, barredByUserId: by.userId, barredAt: by.at };
      await db
        .insert(supporterBars)
        .values({ inviteeId, conferenceId, ...values })
        .onConflictDoUpdate({ target: supporterBars.inviteeId, set: values });
    },

    async deleteBar(inviteeId) {
      const rows = await db
        .delete(supporterBars)
        .where(eq(supporterBars.inviteeId, inviteeId))
        .returning({ id: supporterBars.inviteeId });
      return rows.length > 0;
    },

    async listAdvocateRoles(conferenceId) {
      const rows = await db.select().from(advocateRoles).where(eq(advocateRoles.conferenceId, conferenceId));
      return rows.map((r): AdvocateRoleRecord => ({
        inviteeId: r.inviteeId,
        speaksFor: r.speaksForInviteeId
          ? { kind: 'parent', inviteeId: r.speaksForInviteeId }
          : { kind: 'child', childId: r.speaksForChildId! },
        viewAscertainedOn: r.viewAscertainedOn,
        note: r.note,
        recordedAt: r.recordedAt,
      }));
    },

    async saveAdvocateRole(conferenceId, inviteeId, role, by) {
      const values = {
        speaksForInviteeId: role.speaksFor.kind === 'parent' ? role.speaksFor.inviteeId : null,
        speaksForChildId: role.speaksFor.kind === 'child' ? role.speaksFor.childId : null,
        viewAscertainedOn: role.viewAscertainedOn,
        note: role.note,
        recordedByUserId: by.userId,
        recordedAt: by.at,
      };
      await db
        .insert(advocateRoles)
        .values({ inviteeId, conferenceId, ...values })
        .onConflictDoUpdate({ target: advocateRoles.inviteeId, set: values });
    },

    async listParentReports(conferenceId) {
      const rows = await db
        .select({ row: parentReports, name: userName(parentReports.uploadedByUserId) })
        .from(parentReports)
        .where(eq(parentReports.conferenceId, conferenceId))
        .orderBy(asc(parentReports.createdAt), asc(parentReports.id));
      return rows.map(({ row: r, name }): ParentReportRecord => ({
        id: r.id,
        inviteeId: r.inviteeId,
        source: oneOf(SOURCES, r.source, 'report source'),
        blobKey: r.blobKey,
        fileSha256: r.fileSha256,
        format: oneOf(FORMATS, r.format, 'report format'),
        sizeBytes: r.sizeBytes,
        receivedOn: r.receivedOn,
        uploadedByName: name,
        createdAt: r.createdAt,
      }));
    },

    async insertParentReport(conferenceId, r) {
      const [row] = await db
        .insert(parentReports)
        .values({ conferenceId, ...r })
        .returning({ id: parentReports.id });
      return row!.id;
    },

    async referencedBlobKeys() {
      const rows = await db.select({ key: parentReports.blobKey }).from(parentReports);
      return rows.map((r) => r.key);
    },

    async listHelp(conferenceId) {
      const rows = await db
        .select()
        .from(parentHelp)
        .where(eq(parentHelp.conferenceId, conferenceId))
        .orderBy(asc(parentHelp.recordedAt));
      return rows.map((r): HelpRecord => ({
        inviteeId: r.inviteeId,
        kind: oneOf(HELP_KINDS, r.kind, 'help kind'),
        status: oneOf(HELP_STATUSES, r.status, 'help status'),
        arrangedBy: r.arrangedBy,
        details: r.details,
        recordedAt: r.recordedAt,
      }));
    },

    async saveHelp(conferenceId, inviteeId, help, by) {
      const values = {
        status: help.status,
        arrangedBy: help.arrangedBy,
        details: help.details,
        recordedByUserId: by.userId,
        recordedAt: by.at,
      };
      await db
        .insert(parentHelp)
        .values({ inviteeId, kind: help.kind, conferenceId, ...values })
        .onConflictDoUpdate({ target: [parentHelp.inviteeId, parentHelp.kind], set: values });
    },

    async listExclusionDetails(conferenceId) {
      const rows = await db
        .select({ row: exclusionDetails })
        .from(exclusionDetails)
        .innerJoin(conferenceParts, eq(conferenceParts.id, exclusionDetails.partId))
        .where(eq(conferenceParts.conferenceId, conferenceId));
      return rows.map(({ row: r }): ExclusionDetailsRecord => ({
        partId: r.partId,
        inviteeId: r.inviteeId,
        criteria: r.criteria.map((c) => oneOf(EXCLUSION_CRITERIA, c, 'exclusion criterion')),
        otherReason: r.otherReason,
        toldOrally: { on: r.toldOrallyOn ?? '', by: r.toldOrallyBy ?? '' },
        toldInWriting: r.toldInWritingOn && r.toldInWritingBy ? { on: r.toldInWritingOn, by: r.toldInWritingBy } : null,
        viewsRoutes: r.viewsRoutes.map((v) => oneOf(EXCLUDED_VIEWS_ROUTES, v, 'views route')),
        viewsNote: r.viewsNote,
        recordedBeforeCriteria: r.recordedBeforeCriteria,
      }));
    },

    async saveExclusionDetails(partId, inviteeId, d) {
      const values = {
        criteria: d.criteria,
        otherReason: d.otherReason,
        toldOrallyOn: d.toldOrally.on,
        toldOrallyBy: d.toldOrally.by,
        toldInWritingOn: d.toldInWriting?.on ?? null,
        toldInWritingBy: d.toldInWriting?.by ?? null,
        viewsRoutes: d.viewsRoutes,
        viewsNote: d.viewsNote,
        recordedBeforeCriteria: false,
      };
      await db
        .insert(exclusionDetails)
        .values({ partId, inviteeId, ...values })
        .onConflictDoUpdate({ target: [exclusionDetails.partId, exclusionDetails.inviteeId], set: values });
    },

    async deleteExclusionDetails(partId, inviteeId) {
      await db
        .delete(exclusionDetails)
        .where(and(eq(exclusionDetails.partId, partId), eq(exclusionDetails.inviteeId, inviteeId)));
    },
  };
}
