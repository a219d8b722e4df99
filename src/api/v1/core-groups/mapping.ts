/** Core groups, from the use cases' views to the API's allow-listed shapes: only the fields named here leave. */
import type { z } from 'zod';
import type {
  ChildCoreGroups,
  CoreGroupMeetingDetail,
  CoreGroupMeetingView,
  CoreGroupRecordView,
  CorePlanView,
} from '../../../app/core-groups/service.ts';
import type { childCoreGroupsSchema, meetingDetailSchema, meetingSchema, planSchema, recordSchema } from './schemas.ts';

function recordOut(r: CoreGroupRecordView): z.infer<typeof recordSchema> {
  return {
    version: r.version,
    attendance: r.attendance.map((a) => ({ inviteeId: a.inviteeId, name: a.name, attendance: a.attendance })),
    progress: r.progress.map((p) => ({ ordinal: p.ordinal, action: p.action, progress: p.progress, note: p.note })),
    notes: r.notes,
    changeReason: r.changeReason,
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt.toISOString(),
  };
}

export function meetingOut(m: CoreGroupMeetingView): z.infer<typeof meetingSchema> {
  return {
    id: m.id,
    childId: m.childId,
    conferenceId: m.conferenceId,
    sequence: m.sequence,
    meetingDate: m.meetingDate,
    chair: { userId: m.chair.userId, name: m.chair.name },
    version: m.version,
    record: m.record ? recordOut(m.record) : null,
  };
}

function planOut(p: CorePlanView): z.infer<typeof planSchema> {
  return {
    conferenceId: p.conferenceId,
    conferenceDate: p.conferenceDate,
    planVersion: p.planVersion,
    inForce: p.inForce,
    firstCoreGroupDate: p.firstCoreGroupDate,
    lead: p.lead ? { userId: p.lead.userId, name: p.lead.name, appointedAfterwards: p.lead.appointedAfterwards } : null,
    members: p.members.map((m) => ({ inviteeId: m.inviteeId, name: m.name, description: m.description })),
    actions: p.actions.map((a) => ({ ordinal: a.ordinal, action: a.action, who: a.who, byWhen: a.byWhen })),
  };
}

export function childOut(v: ChildCoreGroups): z.infer<typeof childCoreGroupsSchema> {
  return {
    childId: v.child.id,
    plan: v.plan ? planOut(v.plan) : null,
    due: v.due
      ? {
          which: v.due.which,
          due: v.due.due,
          basis: v.due.basis,
          status: v.due.status,
          workingDaysLeft: v.due.workingDaysLeft,
          firstDateAfterLimit: v.due.firstDateAfterLimit,
          scheduledInTime: v.due.scheduledInTime,
          nextScheduled: v.due.nextScheduled,
        }
      : null,
    meetings: v.meetings.map(meetingOut),
    chairChoices: v.chairChoices.map((c) => ({ id: c.id, name: c.name })),
    leadChoices: v.leadChoices.map((c) => ({ id: c.id, name: c.name })),
    can: { schedule: v.can.schedule, appointLead: v.can.appointLead },
  };
}

export function detailOut(d: CoreGroupMeetingDetail): z.infer<typeof meetingDetailSchema> {
  return {
    childId: d.child.id,
    plan: planOut(d.plan),
    meeting: meetingOut(d.meeting),
    history: d.history.map(recordOut),
    can: { record: d.can.record },
  };
}
