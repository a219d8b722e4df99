/** 002 §3.7, §3.10: a core group meeting scheduled under the plan in force, with its chair. Audited with ids only. */
import type { Actor } from '../../domain/access/roles.ts';
import { CORE_GROUP_CHAIR_ROLES, validateSchedule } from '../../domain/core-groups/core-groups.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { audited, withChildPlan } from './access.ts';
import { meetingView, staffChoices } from './views.ts';
import type { CoreGroupDeps, ScheduleRequest } from './use-cases.ts';

export async function schedule(
  deps: CoreGroupDeps,
  actor: Actor,
  childId: string,
  input: ScheduleRequest,
  ctx: RequestContext,
) {
  return withChildPlan(deps, actor, childId, 'edit', 'core-group.schedule', ctx, async (scope) => {
    const { repos, plan } = scope;
    if (!plan || !plan.inForce)
      throw new DomainError('NO_PLAN', 'The child has no child protection plan in force, so no core group meets');
    const chairs = await staffChoices(repos, CORE_GROUP_CHAIR_ROLES);
    const checked = validateSchedule(
      { date: input.date, chairUserId: input.chairUserId },
      { conferenceDate: plan.conferenceDate, chairChoices: new Set(chairs.map((c) => c.id)) },
    );
    const sequence = await repos.coreGroups.nextSequence(childId);
    const id = await repos.coreGroups.insertMeeting({
      childId,
      conferenceId: plan.conferenceId,
      sequence,
      meetingDate: checked.date,
      chairUserId: checked.chairUserId,
      createdByUserId: actor.id,
      at: deps.clock.now(),
    });
    await audited(repos, ctx, 'core-group.schedule', childId, {
      meetingId: id,
      conferenceId: plan.conferenceId,
      sequence,
    });
    const created = await repos.coreGroups.findMeeting(id);
    return meetingView(scope, created!);
  });
}
