/** Recording incidents, from the use cases' views to the API's allow-listed shapes: only the fields named here leave. */
import type { z } from 'zod';
import type {
  CovertIncidentView,
  UnpermittedRecordingView,
} from '../../../app/recording-incidents/recording-incident-service.ts';
import type { incidentSchema, unpermittedSchema } from './schemas.ts';

export function unpermittedOut(u: UnpermittedRecordingView): z.infer<typeof unpermittedSchema> {
  return {
    id: u.id,
    person: { inviteeId: u.person.inviteeId, name: u.person.name },
    askedToStopAt: u.askedToStopAt,
    meetingHaltedAt: u.meetingHaltedAt,
    askedToLeaveAt: u.askedToLeaveAt,
    outcome: u.outcome.value,
    outcomeAt: u.outcomeAt,
    notes: u.notes,
    recordedBy: u.recordedBy,
  };
}

export function incidentOut(i: CovertIncidentView): z.infer<typeof incidentSchema> {
  return {
    id: i.id,
    childIds: i.children.map((c) => c.childId),
    foundOn: i.foundOn,
    foundBy: i.foundBy,
    howFound: i.howFound,
    published: i.published.value,
    publishedWhere: i.publishedWhere,
    publishedOn: i.publishedOn,
    takenDown: i.takenDown?.value ?? null,
    takenDownOn: i.takenDownOn,
    chairTold: i.chairTold,
    reportedBy: i.reportedBy,
    actions: i.actions.map((a) => ({
      id: a.id,
      action: a.action.value,
      description: a.description,
      decision: a.decision.value,
      on: a.on,
      by: a.by,
      outcome: a.outcome,
    })),
    stillToConsider: i.stillToConsider.map((s) => s.value),
    outcome: i.outcome,
    closedOn: i.closedOn,
    open: i.open,
    version: i.version,
  };
}
