/**
 * The shape every participation change shares (002 §3.2): the conference in its unit of work once the actor passes the
 * per-child edit check and the use case's rule, the change itself, its audit (ids and codes only), and the page's view.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { ConferenceRule, ConferenceScope } from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import { type ParticipationDeps, auditConference, onConference } from './shared.ts';
import { type ParticipationView, readParticipation } from './views.ts';

/** Who made a change and when, as the participation repository stores it. */
export interface ChangedBy {
  userId: string;
  at: Date;
}

/** Runs `change` (returning the audit details) under `rule`, audits it as `action`, returns the participation. */
export function changeParticipation(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
  action: string,
  rule: (conference: MeetingConference) => ConferenceRule,
  change: (scope: ConferenceScope, by: ChangedBy) => Promise<Record<string, unknown>>,
): Promise<ParticipationView> {
  return onConference(deps, actor, conferenceId, ctx, { access: 'edit', action, rule }, async (scope) => {
    const details = await change(scope, { userId: actor.id, at: deps.clock.now() });
    await auditConference(scope.repos, ctx, action, scope.conference.id, details);
    return readParticipation(scope, actor);
  });
}

/** The invitee of this conference, or NotFoundError naming `what`. */
export async function findInvitee(scope: ConferenceScope, inviteeId: string, what = 'The person') {
  const invitee = (await scope.repos.meeting.listInvitees(scope.conference.id)).find((i) => i.id === inviteeId);
  if (!invitee) throw new NotFoundError(what);
  return invitee;
}

/** The child of this conference, or NotFoundError. */
export async function findChild(scope: ConferenceScope, childId: string) {
  const child = (await scope.repos.meeting.listChildren(scope.conference.id)).find((c) => c.childId === childId);
  if (!child) throw new NotFoundError('The child');
  return child;
}
