/**
 * When recording goes wrong at a conference (001, 004).
 *
 * P-8: a family member or friend without parental responsibility records against the parents' wishes: the chair
 * (the conference's assigned chair, or the cover chair recorded for them; another chair is refused) records, with the time of each step, that they were asked to stop, the meeting was halted, they were asked to
 * leave, and how it ended. Anyone who may see the conference sees these on its page; the written record can draw
 * on them (`unpermittedRecordingFacts`).
 *
 * P-9: a covert recording is found: a chair, business support or the allocated social worker records it (whoever
 * finds out tells the chair); a case note goes on each affected child's record and the conference's chair (and its
 * cover chair, while one is recorded) is emailed in the same transaction. The chair records each action considered, done or decided against, and closes
 * the incident with its outcome. An incident's details are seen only by chairs, team managers and the council's
 * legal advisers (who see nothing else of the child's record); open incidents are on the dashboards of chairs and
 * team managers and on the legal advisers' list, and the chair is reminded by email until the incident is closed.
 *
 * Every view, change and refusal is audited with ids and counts only.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { closeCovert, covertDetail, recordAction, reportCovert } from './covert-incidents.ts';
import { openIncidents, sendReminders } from './open-covert-incidents.ts';
import type {
  ConferenceRecordingIncidents,
  CovertClosing,
  CovertIncidentDetail,
  CovertIncidentView,
  NewCovertAction,
  NewCovertDiscovery,
  NewUnpermittedRecording,
  OpenIncidentListItem,
  RecordingIncidentServiceDeps,
  RecordingIncidentUseCases,
  ReminderRun,
  ReportedCovert,
  UnpermittedRecordingView,
} from './recording-incident-types.ts';
import { overview, recordUnpermitted, unpermittedAt, unpermittedForm } from './unpermitted-recordings.ts';

export type * from './recording-incident-types.ts';
export { COVERT_CLOSED_NOTE_KIND, COVERT_REPORTED_NOTE_KIND, COVERT_REPORTED_TEMPLATE } from './covert-incidents.ts';
export { COVERT_REMINDER_JOB, COVERT_REMINDER_TEMPLATE, openCovertIncidentsFor } from './open-covert-incidents.ts';
export { unpermittedRecordingFacts } from './unpermitted-recordings.ts';

/** The use cases as one service: each is its own module (P-8 unpermitted recording, P-9 covert incidents). */
export class RecordingIncidentService implements RecordingIncidentUseCases {
  private readonly deps: RecordingIncidentServiceDeps;

  constructor(deps: RecordingIncidentServiceDeps) {
    this.deps = deps;
  }

  openIncidents(actor: Actor, ctx: RequestContext): Promise<OpenIncidentListItem[]> {
    return openIncidents(this.deps, actor, ctx);
  }

  overview(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceRecordingIncidents> {
    return overview(this.deps, actor, conferenceId, ctx);
  }

  /** P-8: the form's read, for the conference's assigned or cover chair only (another chair: NotTheChairError). */
  unpermittedForm(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceRecordingIncidents> {
    return unpermittedForm(this.deps, actor, conferenceId, ctx);
  }

  unpermittedAt(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<UnpermittedRecordingView[]> {
    return unpermittedAt(this.deps, actor, conferenceId, ctx);
  }

  recordUnpermitted(
    actor: Actor,
    conferenceId: string,
    input: NewUnpermittedRecording,
    ctx: RequestContext,
  ): Promise<UnpermittedRecordingView> {
    return recordUnpermitted(this.deps, actor, conferenceId, input, ctx);
  }

  reportCovert(
    actor: Actor,
    conferenceId: string,
    input: NewCovertDiscovery,
    ctx: RequestContext,
  ): Promise<ReportedCovert> {
    return reportCovert(this.deps, actor, conferenceId, input, ctx);
  }

  covertDetail(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    ctx: RequestContext,
  ): Promise<CovertIncidentDetail> {
    return covertDetail(this.deps, actor, conferenceId, incidentId, ctx);
  }

  recordAction(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: NewCovertAction,
    ctx: RequestContext,
  ): Promise<CovertIncidentView> {
    return recordAction(this.deps, actor, conferenceId, incidentId, input, ctx);
  }

  closeCovert(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: CovertClosing,
    ctx: RequestContext,
  ): Promise<CovertIncidentView> {
    return closeCovert(this.deps, actor, conferenceId, incidentId, input, ctx);
  }

  /** P-9: the scheduled reminders of open incidents (see open-covert-incidents.ts). */
  sendReminders(): Promise<ReminderRun> {
    return sendReminders(this.deps);
  }
}
