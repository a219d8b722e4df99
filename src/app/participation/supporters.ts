/**
 * 002 §3.2: the chair bars a friend or supporter (with the reason) or lifts the bar; the role of an advocate (whom they
 * speak for, and when they found out that person's view).
 */
import type { Actor } from '../../domain/access/roles.ts';
import {
  type AdvocateRoleInput,
  checkAdvocateRole,
  checkBar,
  isAdvocate,
  mayBeBarred,
} from '../../domain/participation/supporters.ts';
import { DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { changeParticipation, findInvitee } from './change.ts';
import { CHAIR_ONLY, OPEN, type ParticipationDeps, both } from './shared.ts';
import type { ParticipationView } from './views.ts';

export function barSupporter(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  inviteeId: string,
  input: { reason: unknown; detail: string | null | undefined },
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.supporter.bar';
  return changeParticipation(
    deps,
    actor,
    conferenceId,
    ctx,
    action,
    both(CHAIR_ONLY(actor), OPEN),
    async (scope, by) => {
      const { repos, conference } = scope;
      const invitee = await findInvitee(scope, inviteeId);
      if (!mayBeBarred(invitee.kind))
        throw new DomainError('NOT_BARRABLE', 'Only a friend or supporter can be barred from a conference', 'reason');
      const bar = checkBar(input);
      const attended = (await repos.meeting.listAttendance(conference.id)).some(
        (a) => a.inviteeId === inviteeId && a.status === 'attended',
      );
      if (attended)
        throw new DomainError(
          'ALREADY_ATTENDING',
          `${invitee.name} is recorded as attending: change the register before barring them`,
          'reason',
        );
      await repos.participation.saveBar(conference.id, inviteeId, bar, by);
      return { inviteeId, reason: bar.reason };
    },
  );
}

export function liftBar(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  inviteeId: string,
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.supporter.unbar';
  return changeParticipation(deps, actor, conferenceId, ctx, action, both(CHAIR_ONLY(actor), OPEN), async (scope) => {
    await findInvitee(scope, inviteeId);
    if (!(await scope.repos.participation.deleteBar(inviteeId))) throw new NotFoundError('The bar');
    return { inviteeId };
  });
}

export function recordAdvocateRole(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  inviteeId: string,
  input: AdvocateRoleInput,
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.advocate.record';
  return changeParticipation(deps, actor, conferenceId, ctx, action, OPEN, async (scope, by) => {
    const { repos, conference, childIds } = scope;
    const invitees = await repos.meeting.listInvitees(conference.id);
    const invitee = invitees.find((i) => i.id === inviteeId);
    if (!invitee || !isAdvocate(invitee.kind)) throw new NotFoundError('The advocate');
    const role = checkAdvocateRole(input, {
      parents: invitees.filter((i) => i.kind === 'family-member').map((i) => i.id),
      children: childIds,
      conferenceDate: conference.scheduledDate,
    });
    await repos.participation.saveAdvocateRole(conference.id, inviteeId, role, by);
    return { inviteeId, speaksFor: role.speaksFor.kind, viewAscertained: role.viewAscertainedOn !== null };
  });
}
