/**
 * 002 §3.7: where the conference could not appoint a lead social worker, the team manager appoints one (a social
 * worker's account) by the first core group. Only a team manager; audited with ids only. Clears the dashboard task.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { mayLeadPlan } from '../../domain/core-groups/core-groups.ts';
import { AccessDeniedError, DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { audited, withChildPlan } from './access.ts';
import { childCoreGroups } from './views.ts';
import type { CoreGroupDeps } from './use-cases.ts';

const ACTION = 'core-group.lead.appoint';

export async function appointLead(
  deps: CoreGroupDeps,
  actor: Actor,
  childId: string,
  input: { userId: string },
  ctx: RequestContext,
) {
  if (!actor.roles.includes('team_manager')) {
    await deps.uow.run(({ audit }) =>
      audit.record({
        action: ACTION,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: isUuid(childId) ? childId.toLowerCase() : 'invalid' },
        outcome: 'denied',
        details: { reason: 'only a team manager appoints a lead social worker' },
      }),
    );
    throw new AccessDeniedError('Only a team manager can appoint a lead social worker');
  }
  return withChildPlan(deps, actor, childId, 'edit', ACTION, ctx, async (scope) => {
    const { repos, plan } = scope;
    if (!plan || !plan.inForce)
      throw new DomainError(
        'NO_PLAN',
        'The child has no child protection plan in force, so no lead social worker is needed',
      );
    if (plan.lead && !plan.lead.appointedAfterwards)
      throw new DomainError('LEAD_NAMED', 'The conference named the lead social worker in the plan', 'userId');
    const id = (input.userId ?? '').trim().toLowerCase();
    const user = isUuid(id) ? await repos.accounts.findUserById(id) : null;
    if (!user || user.disabledAt || !mayLeadPlan(user.roles))
      throw new InvalidDetailsError([{ field: 'userId', message: 'Select a social worker from the list' }]);
    await repos.coreGroups.appoint({
      conferenceId: plan.conferenceId,
      childId,
      userId: user.id,
      appointedByUserId: actor.id,
      at: deps.clock.now(),
    });
    await audited(repos, ctx, ACTION, childId, {
      conferenceId: plan.conferenceId,
      leadUserId: user.id,
      replaced: plan.lead !== null,
    });
    const appointed = { userId: user.id, name: user.name, appointedAfterwards: true };
    return childCoreGroups(deps, actor, { ...scope, plan: { ...plan, lead: appointed } });
  });
}
