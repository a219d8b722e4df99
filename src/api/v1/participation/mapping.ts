/** Participation as the API gives it (002 §3.2, 001): only the fields named here leave. */
import type { z } from 'zod';
import type { ParentReportView, ParticipationView } from '../../../app/participation/service.ts';
import type { parentReportSchema, participationSchema } from './schemas.ts';

export function reportOut(r: ParentReportView): z.infer<typeof parentReportSchema> {
  return {
    id: r.id,
    inviteeId: r.inviteeId,
    parentName: r.parentName,
    source: r.source,
    format: r.format,
    sizeBytes: r.sizeBytes,
    sha256: r.fileSha256,
    receivedOn: r.receivedOn,
  };
}

export function participationOut(v: ParticipationView): z.infer<typeof participationSchema> {
  return {
    conference: { id: v.conference.id, scheduledDate: v.conference.scheduledDate, status: v.conference.status },
    can: v.can,
    children: v.children.map((c) => ({
      childId: c.childId,
      name: c.name,
      age: c.age,
      presumedEligible: c.presumedEligible,
      viewsRecorded: c.viewsRecorded,
      attendance: c.attendance
        ? {
            understands: c.attendance.understands,
            wishExpressed: c.attendance.wishExpressed,
            parentsViews: c.attendance.parentsViews,
            benefit: c.attendance.benefit,
            chairAdvice: c.attendance.chairAdvice,
            socialWorkerAdvice: c.attendance.socialWorkerAdvice,
            childWish: c.attendance.childWish,
            decision: c.attendance.decision,
            partArrangements: c.attendance.partArrangements,
            reason: c.attendance.reason,
            viewsRoutes: c.attendance.viewsRoutes,
            viewsNote: c.attendance.viewsNote,
            viewsCheckedAt: c.attendance.viewsCheckedAt?.toISOString() ?? null,
            recordedAt: c.attendance.recordedAt.toISOString(),
            version: c.attendance.version,
          }
        : null,
    })),
    supporters: v.supporters.map((s) => ({
      inviteeId: s.inviteeId,
      kind: s.kind,
      name: s.name,
      attended: s.attended,
      bar: s.bar ? { reason: s.bar.reason, detail: s.bar.detail, barredAt: s.bar.barredAt.toISOString() } : null,
      advocateRole: s.advocateRole
        ? {
            speaksFor: {
              kind: s.advocateRole.speaksFor.kind,
              inviteeId: s.advocateRole.speaksFor.kind === 'parent' ? s.advocateRole.speaksFor.inviteeId : null,
              childId: s.advocateRole.speaksFor.kind === 'child' ? s.advocateRole.speaksFor.childId : null,
              name: s.advocateRole.speaksForName,
            },
            viewAscertainedOn: s.advocateRole.viewAscertainedOn,
            note: s.advocateRole.note,
          }
        : null,
    })),
    parents: v.parents.map((p) => ({
      inviteeId: p.inviteeId,
      name: p.name,
      help: p.help.map((h) => ({ kind: h.kind, status: h.status, arrangedBy: h.arrangedBy, details: h.details })),
      reports: p.reports.map(reportOut),
    })),
    exclusions: v.exclusions.map((e) => ({
      partId: e.partId,
      inviteeId: e.inviteeId,
      criteria: e.criteria,
      otherReason: e.otherReason,
      toldOrally: e.recordedBeforeCriteria ? null : e.toldOrally,
      toldInWriting: e.toldInWriting,
      viewsRoutes: e.viewsRoutes,
      viewsNote: e.viewsNote,
      recordedBeforeCriteria: e.recordedBeforeCriteria,
    })),
  };
}
