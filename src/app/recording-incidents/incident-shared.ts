/** What the recording incident use cases share (P-8, P-9): who may do what, the views, and the reads behind them. */
import type { Actor } from '../../domain/access/roles.ts';
import { formatLongDate, type IsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import { NotTheChairError, actsAsChair } from '../../domain/conferences/chair-cover.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  ACTION_DECISION_LABELS,
  COVERT_ACTION_LABELS,
  PUBLISHED_LABELS,
  TAKEN_DOWN_LABELS,
  UNPERMITTED_OUTCOME_LABELS,
  actionsStillToConsider,
  mayDecideCovert,
  mayRecordUnpermitted,
  mayReportCovert,
  mayViewCovert,
} from '../../domain/recording-incidents/incidents.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import {
  type ConferenceRule,
  type ConferenceRuleOptions,
  type ConferenceScope,
  withConferenceRule,
} from '../conferences/conference-access.ts';
import type { MeetingConference, MeetingInvitee } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CovertIncidentRecord, UnpermittedRecordingRecord } from './ports.ts';
import type {
  RecordingIncidentServiceDeps,
  ConferenceHeading,
  UnpermittedRecordingView,
  CovertIncidentView,
} from './recording-incident-types.ts';

/** Invitees who may be named as recording against the parents' wishes: family and friends, never staff. */
const FAMILY_AND_FRIENDS = ['family-member', 'friend', 'supporter', 'advocate'];

export const heading = (c: MeetingConference): ConferenceHeading => ({
  id: c.id,
  title: CONFERENCE_TYPE_LABELS[c.type],
  scheduledDate: c.scheduledDate,
});

export const longDate = (d: string) => formatLongDate(d as IsoDate);

// Who may do what (P-8, P-9): a refusal is audited with its reason and shown with its message.
/** P-8, 002 §4.1: the conference's assigned chair, or the cover chair recorded for them, halts the meeting. */
export const recordsUnpermitted = (actor: Actor, conference: MeetingConference) =>
  mayRecordUnpermitted(actor) && actsAsChair(actor, conference);
export const mayRecordUnpermittedRule =
  (actor: Actor) =>
  (conference: MeetingConference): ConferenceRule => ({
    ok: recordsUnpermitted(actor, conference),
    reason: mayRecordUnpermitted(actor) ? 'not the conference chair' : 'not a chair',
    message: 'Only the conference’s chair can record this',
    // Another chair is told who the chair is and how a cover chair is recorded.
    ...(mayRecordUnpermitted(actor) ? { error: new NotTheChairError(conference.id, conference.chairName) } : {}),
  });
export const mayReportCovertRule = (actor: Actor): ConferenceRule => ({
  ok: mayReportCovert(actor),
  reason: 'not a chair, business support or a social worker',
  message: 'Only a chair, business support or the social worker can record this',
});
export const COVERT_VIEW_REFUSED =
  'Only a chair, a team manager or a legal adviser can see a covert recording incident';
export const mayViewCovertRule = (actor: Actor): ConferenceRule => ({
  ok: mayViewCovert(actor),
  reason: 'not a chair, team manager or legal adviser',
  message: COVERT_VIEW_REFUSED,
});
/** What a refused child of an incident says: the role's refusal when the role is refused as well. */
export const covertDenialMessage = (actor: Actor) => (mayViewCovert(actor) ? undefined : COVERT_VIEW_REFUSED);
/** P-9, 002 §4.1: the conference's assigned chair, or the cover chair recorded for them, decides; another chair may not. */
export const decidesCovert = (actor: Actor, conference: MeetingConference) =>
  mayDecideCovert(actor) && actsAsChair(actor, conference);
export const chairOnly =
  (actor: Actor, message: string) =>
  (conference: MeetingConference): ConferenceRule => ({
    ok: decidesCovert(actor, conference),
    reason: mayDecideCovert(actor) ? 'not the conference chair' : 'not a chair',
    message,
    // The page names the chair and says how a cover chair is recorded.
    error: new NotTheChairError(conference.id, conference.chairName),
  });

/** Runs `fn` once the caller passes the conference's per-child check and the rule of who may do it. */
export function within<T>(
  deps: RecordingIncidentServiceDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
  how: ConferenceRuleOptions,
  fn: (scope: ConferenceScope) => Promise<T>,
): Promise<T> {
  return withConferenceRule(deps.uow, actor, conferenceId, ctx, how, fn);
}

export function londonToday(deps: RecordingIncidentServiceDeps): string {
  return londonDateOf(deps.clock.now());
}

export async function childNames(repos: Repositories, conferenceId: string) {
  const kids = await repos.meeting.listChildren(conferenceId);
  return kids.map((k) => ({ childId: k.childId, name: `${k.givenNames} ${k.familyName}` }));
}

/** P-8: family and friends on the register who attended and hold parental responsibility for none of the children. */
export async function familyAndFriendsPresent(repos: Repositories, conferenceId: string, invitees: MeetingInvitee[]) {
  const attendance = await repos.meeting.listAttendance(conferenceId);
  const attended = new Set(attendance.filter((a) => a.status === 'attended').map((a) => a.inviteeId));
  return invitees
    .filter(
      (i) =>
        FAMILY_AND_FRIENDS.includes(i.kind) &&
        attended.has(i.id) &&
        !i.relationships.some((r) => r.parentalResponsibility),
    )
    .map((i) => ({ inviteeId: i.id, name: i.name }));
}

export function unpermittedView(r: UnpermittedRecordingRecord, invitees: MeetingInvitee[]): UnpermittedRecordingView {
  return {
    id: r.id,
    person: {
      inviteeId: r.personInviteeId,
      name: r.personInviteeId
        ? (invitees.find((i) => i.id === r.personInviteeId)?.name ?? 'Someone on the register')
        : (r.personDescription ?? ''),
    },
    askedToStopAt: r.askedToStopAt,
    meetingHaltedAt: r.meetingHaltedAt,
    askedToLeaveAt: r.askedToLeaveAt,
    outcome: { value: r.outcome, label: UNPERMITTED_OUTCOME_LABELS[r.outcome] },
    outcomeAt: r.outcomeAt,
    notes: r.notes,
    recordedBy: r.recordedByName ?? 'Unknown',
  };
}

export function covertView(
  i: CovertIncidentRecord,
  names: Array<{ childId: string; name: string }>,
): CovertIncidentView {
  return {
    id: i.id,
    children: i.childIds.map((id) => names.find((n) => n.childId === id) ?? { childId: id, name: 'A child' }),
    foundOn: i.foundOn,
    foundBy: i.foundBy,
    howFound: i.howFound,
    published: { value: i.published, label: PUBLISHED_LABELS[i.published] },
    publishedWhere: i.publishedWhere,
    publishedOn: i.publishedOn,
    takenDown: i.takenDown ? { value: i.takenDown, label: TAKEN_DOWN_LABELS[i.takenDown] } : null,
    takenDownOn: i.takenDownOn,
    chairTold: i.chairMessageId !== null,
    reportedBy: i.reportedByName ?? 'Unknown',
    actions: i.actions.map((a) => ({
      id: a.id,
      action: { value: a.action, label: COVERT_ACTION_LABELS[a.action] },
      description: a.description,
      decision: { value: a.decision, label: ACTION_DECISION_LABELS[a.decision] },
      on: a.doneOn,
      by: a.doneBy,
      outcome: a.outcome,
    })),
    stillToConsider:
      i.closedOn === null
        ? actionsStillToConsider(
            i.published,
            i.actions.map((a) => a.action),
          ).map((value) => ({ value, label: COVERT_ACTION_LABELS[value] }))
        : [],
    outcome: i.outcome,
    closedOn: i.closedOn,
    open: i.closedOn === null,
    version: i.version,
  };
}

export async function incidentOf(repos: Repositories, conferenceId: string, incidentId: string, lock = false) {
  const found = isUuid(incidentId)
    ? await repos.recordingIncidents.findCovert(incidentId.toLowerCase(), { lock })
    : null;
  if (!found || found.conferenceId !== conferenceId) throw new NotFoundError('The incident');
  return found;
}

export function about(c: MeetingConference): string {
  return `the ${CONFERENCE_TYPE_LABELS[c.type].toLowerCase()} on ${longDate(c.scheduledDate)}`;
}
