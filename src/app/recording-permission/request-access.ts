/**
 * Who may see and change a request to record a meeting (per child of its meeting) and who decides it; the audit of
 * every view, change and refusal (ids and counts only); the case notes and links every use case shares.
 */
import { canEditChild, canViewChild } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate } from '../../domain/calendar/iso-date.ts';
import { actsAsChair } from '../../domain/conferences/chair-cover.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { MEETING_KIND_LABELS, englandInstant } from '../../domain/recording-permission/requests.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { PermissionRequestRecord } from './ports.ts';
import { type RecordingPermissionDeps, type MeetingView } from './use-cases.ts';

export const PERMISSION_NOTE_KIND = 'recording-permission';

export type Access = 'view' | 'edit';

export interface Scope {
  repos: Repositories;
  childIds: string[];
  meeting: MeetingView;
  /** For a conference (P-6), `coverUserId` is the cover chair recorded now, who decides while the chair cannot. */
  decider: { userId: string | null; name: string | null; role: string; coverUserId?: string | null };
}

export async function auditRequestDenial(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  subject: { type: string; id: string },
  reason: string,
) {
  await uow.run(({ audit }) =>
    audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject,
      outcome: 'denied',
      details: { reason },
    }),
  );
}

export async function auditRequest(
  repos: Repositories,
  ctx: RequestContext,
  action: string,
  subject: { type: string; id: string },
  details?: Record<string, unknown>,
) {
  await repos.audit.record({
    action,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject,
    outcome: 'success',
    ...(details ? { details } : {}),
  });
}

/** Null when the actor may `access` every child; otherwise the reason. */
export async function childrenDenial(repos: Repositories, actor: Actor, childIds: readonly string[], access: Access) {
  for (const childId of childIds) {
    const facts = await repos.people.childAccessFacts(childId);
    if (!facts) return 'child record missing';
    const d = access === 'view' ? canViewChild(actor, facts) : canEditChild(actor, facts);
    if (!d.allowed) return d.reason;
  }
  return null;
}

export async function conferenceMeeting(
  repos: Repositories,
  conferenceId: string,
): Promise<Omit<Scope, 'repos'> | null> {
  const conference = await repos.meeting.findConference(conferenceId);
  const childIds = await repos.convening.conferenceChildIds(conferenceId);
  if (!conference || !childIds) return null;
  const title = CONFERENCE_TYPE_LABELS[conference.type];
  return {
    childIds,
    meeting: {
      kind: 'conference',
      kindLabel: MEETING_KIND_LABELS.conference,
      title,
      conferenceId,
      childId: null,
      date: conference.scheduledDate,
      time: conference.startTime,
      organiser: null,
      startsAt: englandInstant(conference.scheduledDate, conference.startTime),
    },
    decider: {
      userId: conference.chairUserId,
      name: conference.chairName,
      role: 'the conference’s chair',
      coverUserId: conference.coverChairUserId ?? null,
    },
  };
}

export async function childDecider(repos: Repositories, childId: string) {
  const child = await repos.people.findChild(childId);
  return {
    child,
    decider: {
      userId: child?.allocatedSocialWorkerId ?? null,
      name: child?.allocatedSocialWorkerName ?? null,
      role: 'the child’s social worker',
    },
  };
}

export async function requestScope(repos: Repositories, r: PermissionRequestRecord): Promise<Omit<Scope, 'repos'>> {
  if (r.conferenceId) {
    const s = await conferenceMeeting(repos, r.conferenceId);
    if (!s) throw new NotFoundError('The request');
    return s;
  }
  const childId = r.childId!;
  const { decider } = await childDecider(repos, childId);
  return {
    childIds: [childId],
    meeting: {
      kind: r.meetingKind,
      kindLabel: MEETING_KIND_LABELS[r.meetingKind],
      title: MEETING_KIND_LABELS[r.meetingKind],
      conferenceId: null,
      childId,
      date: r.meetingDate!,
      time: r.meetingTime!,
      organiser: r.organiser,
      startsAt: englandInstant(r.meetingDate!, r.meetingTime!),
    },
    decider,
  };
}

/**
 * Runs `fn`, which refuses through `deny` (the reason audited, the message shown); a refusal is audited about
 * `subject` in a transaction of its own, as `fn`'s own is rolled back by it.
 */
export async function auditingRefusals<T>(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  subject: { type: string; id: string },
  fn: (deny: (reason: string, message?: string, error?: AccessDeniedError) => never) => Promise<T>,
): Promise<T> {
  const state: { denial: string | null } = { denial: null };
  try {
    return await fn((reason, message, error) => {
      state.denial = reason;
      throw error ?? new AccessDeniedError(message);
    });
  } catch (err) {
    if (state.denial !== null) await auditRequestDenial(uow, ctx, action, subject, state.denial);
    throw err;
  }
}

/** Runs `fn` on a request once the actor may `access` every child of its meeting; a refusal is audited. */
export async function withRequest<T>(
  deps: RecordingPermissionDeps,
  actor: Actor,
  requestId: string,
  access: Access,
  action: string,
  ctx: RequestContext,
  fn: (scope: Scope, r: PermissionRequestRecord) => Promise<T>,
  opts: { lock?: boolean } = {},
): Promise<T> {
  const id = requestId.toLowerCase();
  if (!isUuid(requestId)) throw new NotFoundError('The request');
  return auditingRefusals(deps.uow, ctx, action, { type: 'recording-permission-request', id }, (deny) =>
    deps.uow.run(async (repos) => {
      const r = await repos.recordingPermission.find(id, { lock: opts.lock ?? false });
      if (!r) throw new NotFoundError('The request');
      const scope = await requestScope(repos, r);
      const denial = await childrenDenial(repos, actor, scope.childIds, access);
      if (denial) deny(denial);
      return fn({ repos, ...scope }, r);
    }),
  );
}

export function meetingWords(m: MeetingView): string {
  return `the ${m.title.toLowerCase()} on ${formatLongDate(m.date as IsoDate)} at ${m.time}`;
}

export async function caseNotes(deps: RecordingPermissionDeps, scope: Scope, text: string, ctx: RequestContext) {
  for (const childId of scope.childIds)
    await recordCaseNote(scope.repos, deps.clock, { childId, kind: PERMISSION_NOTE_KIND, text }, ctx);
}

export function requestLink(deps: RecordingPermissionDeps, id: string): string {
  return `${deps.publicBaseUrl.replace(/\/$/, '')}/recording-permission/${id}`;
}

export function canDecide(actor: Actor, scope: Pick<Scope, 'meeting' | 'decider'>): boolean {
  // P-6, 002 §4.1: a conference's request is decided by its assigned chair or the cover chair recorded for them.
  if (scope.meeting.kind === 'conference')
    return actsAsChair(actor, { chairUserId: scope.decider.userId, coverChairUserId: scope.decider.coverUserId });
  // Another meeting: the child's social worker, or a team manager in their place.
  return scope.decider.userId === actor.id || hasAnyRole(actor, ['team_manager']);
}
