/**
 * A conference's recording incidents, and P-8: someone recording against the parents' wishes, recorded by the
 * conference's chair; the written record draws on them (`unpermittedRecordingFacts`).
 */
import type { Actor } from '../../domain/access/roles.ts';
import { englandMinutes } from '../../domain/calendar/england-time.ts';
import {
  UNPERMITTED_OUTCOME_LABELS,
  checkUnpermittedRecording,
  mayReportCovert,
  mayViewCovert,
} from '../../domain/recording-incidents/incidents.ts';
import { ConflictError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { type ConferenceScope, auditConference } from '../conferences/conference-access.ts';
import type { Repositories } from '../unit-of-work.ts';
import type {
  RecordingIncidentServiceDeps,
  UnpermittedRecordingView,
  ConferenceRecordingIncidents,
  NewUnpermittedRecording,
} from './recording-incident-types.ts';
import {
  heading,
  recordsUnpermitted,
  mayRecordUnpermittedRule,
  decidesCovert,
  within,
  londonToday,
  childNames,
  familyAndFriendsPresent,
  unpermittedView,
  covertView,
} from './incident-shared.ts';

export async function overview(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
): Promise<ConferenceRecordingIncidents> {
  const action = 'recording-incidents.view';
  return within(deps, actor, conferenceId, ctx, { access: 'view', action }, (scope) =>
    overviewIn(actor, scope, ctx, action),
  );
}

/**
 * P-8: the form for recording someone recording against the parents' wishes, for the conference's assigned or
 * cover chair only: another chair is refused (NotTheChairError) and the refusal audited.
 */
export async function unpermittedForm(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
): Promise<ConferenceRecordingIncidents> {
  const action = 'unpermitted-recording.form';
  return within(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'edit', action, rule: mayRecordUnpermittedRule(actor) },
    (scope) => overviewIn(actor, scope, ctx, action),
  );
}

async function overviewIn(
  actor: Actor,
  { repos, conference }: ConferenceScope,
  ctx: RequestContext,
  action: string,
): Promise<ConferenceRecordingIncidents> {
  const conferenceId = conference.id;
  const invitees = await repos.meeting.listInvitees(conferenceId);
  const unpermitted = (await repos.recordingIncidents.listUnpermitted(conferenceId)).map((r) =>
    unpermittedView(r, invitees),
  );
  const children = await childNames(repos, conferenceId);
  const viewCovert = mayViewCovert(actor);
  const covert = viewCovert
    ? (await repos.recordingIncidents.listCovert(conferenceId)).map((i) => covertView(i, children))
    : null;
  await auditConference(repos, ctx, action, conferenceId, {
    unpermitted: unpermitted.length,
    ...(covert ? { covertIncidentIds: covert.map((c) => c.id) } : {}),
  });
  return {
    conference: heading(conference),
    unpermitted,
    covert,
    people: await familyAndFriendsPresent(repos, conferenceId, invitees),
    children,
    can: {
      recordUnpermitted: recordsUnpermitted(actor, conference),
      reportCovert: mayReportCovert(actor),
      viewCovert,
      decide: decidesCovert(actor, conference),
    },
  };
}

export async function unpermittedAt(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
): Promise<UnpermittedRecordingView[]> {
  const action = 'unpermitted-recordings.view';
  return within(deps, actor, conferenceId, ctx, { access: 'view', action }, async ({ repos }) => {
    const invitees = await repos.meeting.listInvitees(conferenceId);
    const found = (await repos.recordingIncidents.listUnpermitted(conferenceId)).map((r) =>
      unpermittedView(r, invitees),
    );
    if (found.length) await auditConference(repos, ctx, action, conferenceId, { unpermitted: found.length });
    return found;
  });
}

export async function recordUnpermitted(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  input: NewUnpermittedRecording,
  ctx: RequestContext,
): Promise<UnpermittedRecordingView> {
  const action = 'unpermitted-recording.record';
  return within(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'edit', action, rule: mayRecordUnpermittedRule(actor) },
    async ({ repos, conference }) => {
      if (conference.status === 'cancelled') throw new ConflictError('This conference was cancelled');
      const invitees = await repos.meeting.listInvitees(conferenceId);
      const people = (await familyAndFriendsPresent(repos, conferenceId, invitees)).map((p) => p.inviteeId);
      const now = deps.clock.now();
      const { problems, checked } = checkUnpermittedRecording(
        input,
        { date: conference.scheduledDate, today: londonToday(deps), nowMinutes: englandMinutes(now) },
        people,
      );
      if (problems.length) throw new InvalidDetailsError(problems);
      const saved = await repos.recordingIncidents.insertUnpermitted({
        conferenceId,
        ...checked,
        recordedByUserId: actor.id,
        createdAt: now,
      });
      await auditConference(repos, ctx, action, conferenceId, {
        unpermittedRecordingId: saved.id,
        outcome: saved.outcome,
        onRegister: saved.personInviteeId !== null,
      });
      return unpermittedView(saved, invitees);
    },
  );
}

/**
 * P-8: what the conference record draws on: each time someone was asked to stop recording, in plain English with
 * its times, in the caller's transaction (the caller checks access and audits).
 */
export async function unpermittedRecordingFacts(
  repos: Pick<Repositories, 'recordingIncidents' | 'meeting'>,
  conferenceId: string,
): Promise<string[]> {
  const records = await repos.recordingIncidents.listUnpermitted(conferenceId);
  if (!records.length) return [];
  const invitees = await repos.meeting.listInvitees(conferenceId);
  return records.map((r) => {
    const who = r.personInviteeId
      ? (invitees.find((i) => i.id === r.personInviteeId)?.name ?? 'Someone on the register')
      : (r.personDescription ?? 'Someone');
    const steps = [
      `was asked to stop recording at ${r.askedToStopAt}`,
      ...(r.meetingHaltedAt ? [`the meeting was halted at ${r.meetingHaltedAt}`] : []),
      ...(r.askedToLeaveAt ? [`they were asked to leave at ${r.askedToLeaveAt}`] : []),
    ];
    return `${who} ${steps.join(', ')}, as the parents did not agree to the recording. ${UNPERMITTED_OUTCOME_LABELS[r.outcome]} (${r.outcomeAt}).`;
  });
}
