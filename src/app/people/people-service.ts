import { type AccessDecision, canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

export class PeopleService {
  private readonly uow: UnitOfWork;
  private readonly clock: Clock;

  constructor(deps: { uow: UnitOfWork; clock: Clock }) {
    this.uow = deps.uow;
    this.clock = deps.clock;
  }

  /** Per-record check used by every route that touches a child; a denial is audited. */
  async assertCanViewChild(actor: Actor, childId: string, ctx: RequestContext): Promise<void> {
    const facts = await this.uow.run(({ people }) => people.childAccessFacts(childId));
    if (!facts) throw new NotFoundError('The child’s record');
    const decision: AccessDecision = canViewChild(actor, facts);
    if (!decision.allowed) {
      await this.uow.run(({ audit }) =>
        audit.record({
          action: 'child.view',
          actor: ctx.actor,
          requestId: ctx.requestId,
          subject: { type: 'child', id: childId },
          outcome: 'denied',
          details: { reason: decision.reason },
        }),
      );
      throw new AccessDeniedError();
    }
    void this.clock;
  }
}
