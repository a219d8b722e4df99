/**
 * Who may see and record a child's plan ending (per child, as for the child's record): anyone who may see the child
 * sees it; chairs, business support, team managers and quality assurance managers record it. Every view, change and
 * refusal is audited with ids only.
 */
import { canViewChild } from '../../domain/access/child-access.ts';
import { type Actor, type Role, hasAnyRole } from '../../domain/access/roles.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditChildDenial } from '../audit/child-audit.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { ChildRecord } from '../people/ports.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';

/** 002 §3.9: who records an ending, a transfer and the agencies told. */
export const PLAN_ENDING_RECORDERS: readonly Role[] = ['chair', 'business_support', 'team_manager', 'qa_manager'];
/** 002 §3.9: the senior managers whose authority an ending outside a conference is recorded with. */
export const SENIOR_MANAGER_ROLES: readonly Role[] = ['team_manager', 'qa_manager'];

export type PlanEndingAccess = 'view' | 'record';

/** Every view and change of a child's plan ending is audited against the child. */
export { auditChild as auditPlanEnding } from '../audit/child-audit.ts';

/** Null when allowed; otherwise the reason (for the audit). */
export function planEndingDenial(
  actor: Actor,
  facts: Parameters<typeof canViewChild>[1] | null,
  access: PlanEndingAccess,
): string | null {
  if (!facts) return 'child record missing';
  const view = canViewChild(actor, facts);
  if (!view.allowed) return view.reason;
  if (access === 'record' && !hasAnyRole(actor, PLAN_ENDING_RECORDERS)) return 'role may not record a plan ending';
  return null;
}

/**
 * Runs `fn` in one unit of work once the actor may `access` the child's plan; a refusal is audited in a
 * transaction of its own (the use case's is rolled back).
 */
export async function withChildPlan<T>(
  uow: UnitOfWork,
  actor: Actor,
  childId: string,
  access: PlanEndingAccess,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, child: ChildRecord) => Promise<T>,
): Promise<T> {
  let denial: string | null = null;
  try {
    if (!isUuid(childId)) throw new NotFoundError('The child');
    return await uow.run(async (repos) => {
      const child = await repos.people.findChild(childId);
      if (!child) throw new NotFoundError('The child');
      denial = planEndingDenial(actor, await repos.people.childAccessFacts(childId), access);
      if (denial) throw new AccessDeniedError();
      return fn(repos, child);
    });
  } catch (err) {
    if (denial !== null) await auditChildDenial(uow, ctx, action, childId.toLowerCase(), denial);
    throw err;
  }
}
