/**
 * P-9: a covert recording found, the chair told, each action considered and the incident closed; case notes on
 * each affected child's record.
 */
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  canViewIncidentsAbout,
  checkCovertAction,
  checkCovertClosing,
  checkCovertDiscovery,
  mayViewCovert,
} from '../../domain/recording-incidents/incidents.ts';
import { ConflictError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference } from '../conferences/conference-access.ts';
import { chairsToTell, everyoneIn } from '../conferences/chairing/chairs-to-tell.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type {
  RecordingIncidentServiceDeps,
  CovertIncidentView,
  CovertIncidentDetail,
  NewCovertDiscovery,
  NewCovertAction,
  CovertClosing,
  ReportedCovert,
} from './recording-incident-types.ts';
import {
  heading,
  longDate,
  mayReportCovertRule,
  mayViewCovertRule,
  covertDenialMessage,
  decidesCovert,
  chairOnly,
  within,
  londonToday,
  childNames,
  covertView,
  incidentOf,
  about,
} from './incident-shared.ts';

export const COVERT_REPORTED_NOTE_KIND = 'covert-recording-found';
export const COVERT_CLOSED_NOTE_KIND = 'covert-recording-closed';
export const COVERT_REPORTED_TEMPLATE = 'covert-recording-reported';

export async function reportCovert(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  input: NewCovertDiscovery,
  ctx: RequestContext,
): Promise<ReportedCovert> {
  const action = 'covert-recording.report';
  const messageIds: string[] = [];
  const reported = await within(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'edit', action, rule: mayReportCovertRule(actor) },
    async ({ repos, conference, childIds }) => {
      const { problems, checked } = checkCovertDiscovery(input, conference.scheduledDate, londonToday(deps), childIds);
      if (problems.length) throw new InvalidDetailsError(problems);
      // P-9: the chair is told, and the cover chair as well while one is recorded (002 §4.1).
      const tell = await chairsToTell(repos, conference);
      const chairTold = tell.chair !== null || tell.cover !== null;
      const id = await repos.recordingIncidents.insertCovert({
        conferenceId,
        ...checked,
        chairUserId: tell.chair?.id ?? null,
        reportedByUserId: actor.id,
        at: deps.clock.now(),
      });
      // In the same transaction as the incident; the first email (the assigned chair's) is kept with it.
      for (const user of everyoneIn(tell)) {
        const { messageId } = await deps.mail.queueWithin(repos, {
          template: COVERT_REPORTED_TEMPLATE,
          to: user.email,
          values: {
            conference_title: CONFERENCE_TYPE_LABELS[conference.type],
            conference_date: longDate(conference.scheduledDate),
            found_on: longDate(checked.foundOn),
            incident_link: `${deps.publicBaseUrl}/conferences/${conferenceId}/recording-incidents/covert/${id}`,
          },
          about: { subjectType: 'conference', subjectId: conferenceId, ctx },
        });
        if (!messageIds.length) await repos.recordingIncidents.setChairMessage(id, messageId);
        messageIds.push(messageId);
      }
      for (const childId of checked.childIds)
        await recordCaseNote(
          repos,
          deps.clock,
          {
            childId,
            kind: COVERT_REPORTED_NOTE_KIND,
            text: `A covert recording of ${about(conference)} was found on ${longDate(checked.foundOn)} and reported to the chair. The details are kept with the conference’s recording incidents, seen by chairs, team managers and the council’s legal advisers.`,
          },
          ctx,
        );
      await auditConference(repos, ctx, action, conferenceId, {
        incidentId: id,
        childIds: checked.childIds,
        published: checked.published,
        chairTold,
        ...(tell.cover ? { coverChairTold: true } : {}),
      });
      return { id, chairTold, mayView: mayViewCovert(actor) };
    },
  );
  await deps.mail.dispatch(...messageIds);
  return reported;
}

export async function covertDetail(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  incidentId: string,
  ctx: RequestContext,
): Promise<CovertIncidentDetail> {
  const action = 'covert-recording.view';
  return within(
    deps,
    actor,
    conferenceId,
    ctx,
    // P-9: an incident's own check, child by child: a legal adviser sees incidents, not the child's record.
    {
      access: canViewIncidentsAbout,
      action,
      rule: mayViewCovertRule(actor),
      childDenialMessage: covertDenialMessage(actor),
    },
    async ({ repos, conference }) => {
      const incident = await incidentOf(repos, conferenceId, incidentId);
      await auditConference(repos, ctx, action, conferenceId, { incidentId: incident.id });
      return {
        conference: heading(conference),
        incident: covertView(incident, await childNames(repos, conferenceId)),
        can: {
          decide: decidesCovert(actor, conference) && incident.closedOn === null,
          seeConference: hasAnyRole(actor, CHILD_RECORD_ROLES),
        },
      };
    },
  );
}

export async function recordAction(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  incidentId: string,
  input: NewCovertAction,
  ctx: RequestContext,
): Promise<CovertIncidentView> {
  const action = 'covert-recording.action';
  return within(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'edit', action, rule: chairOnly(actor, 'Only the conference’s chair can record what was done') },
    async ({ repos }) => {
      const incident = await incidentOf(repos, conferenceId, incidentId, true);
      if (incident.closedOn !== null) throw new ConflictError('This incident is closed');
      const { problems, checked } = checkCovertAction(input, incident.foundOn, londonToday(deps));
      if (problems.length) throw new InvalidDetailsError(problems);
      const now = deps.clock.now();
      const saved = await repos.recordingIncidents.insertAction({
        incidentId: incident.id,
        action: checked.action,
        description: checked.description,
        decision: checked.decision,
        doneOn: checked.on,
        doneBy: checked.by,
        outcome: checked.outcome,
        recordedByUserId: actor.id,
        createdAt: now,
      });
      if (!(await repos.recordingIncidents.touch(incident.id, incident.version, now))) throw new StaleRecordError();
      await auditConference(repos, ctx, action, conferenceId, {
        incidentId: incident.id,
        actionId: saved.id,
        action: saved.action,
        decision: saved.decision,
      });
      const updated = await incidentOf(repos, conferenceId, incident.id);
      return covertView(updated, await childNames(repos, conferenceId));
    },
  );
}

export async function closeCovert(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  incidentId: string,
  input: CovertClosing,
  ctx: RequestContext,
): Promise<CovertIncidentView> {
  const action = 'covert-recording.close';
  return within(
    deps,
    actor,
    conferenceId,
    ctx,
    {
      access: 'edit',
      action,
      rule: chairOnly(actor, 'Only the conference’s chair can close an incident'),
      lock: true,
    },
    async ({ repos, conference }) => {
      const incident = await incidentOf(repos, conferenceId, incidentId, true);
      if (incident.closedOn !== null) throw new ConflictError('This incident is already closed');
      if (!Number.isSafeInteger(input.version) || input.version !== incident.version) throw new StaleRecordError();
      const problems = checkCovertClosing(
        input,
        {
          foundOn: incident.foundOn,
          published: incident.published,
          actions: incident.actions.map((a) => ({ action: a.action, on: a.doneOn })),
        },
        londonToday(deps),
      );
      if (problems.length) throw new InvalidDetailsError(problems);
      const closed = await repos.recordingIncidents.close(incident.id, input.version, {
        outcome: input.outcome.trim(),
        closedOn: input.closedOn,
        closedByUserId: actor.id,
        at: deps.clock.now(),
      });
      if (!closed) throw new StaleRecordError();
      for (const childId of incident.childIds)
        await recordCaseNote(
          repos,
          deps.clock,
          {
            childId,
            kind: COVERT_CLOSED_NOTE_KIND,
            text: `The incident about a covert recording of ${about(conference)}, found on ${longDate(incident.foundOn)}, was closed on ${longDate(input.closedOn)}.`,
          },
          ctx,
        );
      await auditConference(repos, ctx, action, conferenceId, {
        incidentId: incident.id,
        actions: incident.actions.length,
      });
      const updated = await incidentOf(repos, conferenceId, incident.id);
      return covertView(updated, await childNames(repos, conferenceId));
    },
  );
}
