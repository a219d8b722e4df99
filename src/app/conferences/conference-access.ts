import { type AccessDecision, canEditChild, canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import { isUuid } from './service-deps.ts';

export type ConferenceAccess = 'view' | 'edit';

const RULES = { view: canViewChild, edit: canEditChild } as const;

/**
 * A conference is seen only by someone who may see every child in it (a sibling group included),
 * and changed only by someone who may change every child's record. A denial is audited.
 * Runs `fn` in one unit of work with the conference's child ids.
 */
export async function withConferenceAccess<T>(
  uow: UnitOfWork,
  actor: Actor,
  conferenceId: string,
  access: ConferenceAccess,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, childIds: string[]) => Promise<T>,
): Promise<T> {
  let denial: string | null = null;
  try {
    if (!isUuid(conferenceId)) throw new NotFoundError('The conference');
    return await uow.run(async (repos) => {
      const childIds = await repos.convening.conferenceChildIds(conferenceId);
      if (!childIds) throw new NotFoundError('The conference');
      for (const childId of childIds) {
        const facts = await repos.people.childAccessFacts(childId);
        const decision: AccessDecision = facts
          ? RULES[access](actor, facts)
          : { allowed: false, reason: 'child record missing' };
        if (!decision.allowed) {
          denial = decision.reason;
          throw new AccessDeniedError();
        }
      }
      return fn(repos, childIds);
    });
  } catch (err) {
    if (denial !== null) await auditConferenceDenial(uow, ctx, action, conferenceId, denial);
    throw err;
  }
}

/**
 * Records a denial about a conference in the audit trail, in a transaction of its own: the use case's own
 * transaction is rolled back by the refusal, and a denial must never go unrecorded.
 */
export async function auditConferenceDenial(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  conferenceId: string,
  reason: string,
): Promise<void> {
  await uow.run(({ audit }) =>
    audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'conference', id: conferenceId },
      outcome: 'denied',
      details: { reason },
    }),
  );
}

/** Records a successful view or change of a conference in the audit trail, in the caller's transaction. */
export async function auditConference(
  repos: Pick<Repositories, 'audit'>,
  ctx: RequestContext,
  action: string,
  conferenceId: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await repos.audit.record({
    action,
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: { type: 'conference', id: conferenceId },
    outcome: 'success',
    ...(details ? { details } : {}),
  });
}
