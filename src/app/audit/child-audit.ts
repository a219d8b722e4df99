/**
 * The audit of what is seen and done on a child's record (a plan ending, a core group): ids only, never names. A
 * success goes in the caller's transaction; a refusal in a transaction of its own, since the caller's is rolled back.
 */
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { RequestContext } from './audit-log.ts';

export const childSubject = (childId: string) => ({ type: 'child', id: childId });

/** Records a successful view or change of the child's record, in the caller's transaction. */
export async function auditChild(
  repos: Pick<Repositories, 'audit'>,
  ctx: RequestContext,
  action: string,
  childId: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await repos.audit.record({
    action,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: childSubject(childId),
    outcome: 'success',
    ...(details ? { details } : {}),
  });
}

/** Records a refusal on the child's record, with its reason, in a transaction of its own. */
export async function auditChildDenial(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  childId: string,
  reason: string,
): Promise<void> {
  await uow.run(({ audit }) =>
    audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: childSubject(childId),
      outcome: 'denied',
      details: { reason },
    }),
  );
}
