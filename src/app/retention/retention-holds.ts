/** Legal holds: a record on hold is never destroyed, even once proposed and approved. */
import type { Actor } from '../../domain/access/roles.ts';
import { checkHold, checkReason } from '../../domain/retention/disposal.ts';
import { RECORD_KIND_SINGULAR, isDisposableKind, requireRetentionOfficer } from '../../domain/retention/schedules.ts';
import { NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { HoldRecord } from './ports.ts';
import { AUDIT_SUBJECT, type RetentionServiceDeps, allowed, candidatesWithin } from './retention-access.ts';

/** Legal holds: one use case a method, called through RetentionService. */
export class RetentionHoldsUseCases {
  private readonly deps: RetentionServiceDeps;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
  }

  async holds(actor: Actor, ctx: RequestContext): Promise<HoldRecord[]> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.holds-viewed');
    return this.deps.uow.run(async (r) => {
      const holds = await r.retention.currentHolds();
      await r.audit.record({
        action: 'retention.holds-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { holds: holds.map((h) => h.id) },
      });
      return holds;
    });
  }

  /** A legal hold on one record, with the reason it must be kept; audited (ids only, never the reason). */
  async placeHold(
    actor: Actor,
    input: { kind: unknown; itemId: string; reason: unknown },
    ctx: RequestContext,
  ): Promise<{ id: string }> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.hold-placed', {
      type: isDisposableKind(input.kind) ? AUDIT_SUBJECT[input.kind] : 'recording',
      id: input.itemId,
    });
    const { kind, reason } = checkHold(actor, input.kind, input.reason);
    return this.deps.uow.run(async (r) => {
      // The same lock a destruction of the item takes: the hold lands wholly before or after it, and the item is
      // looked for once the lock is held (a record just destroyed is no longer found).
      await r.retention.lockItem(kind, input.itemId);
      const found = await candidatesWithin(r, kind, { [kind]: [input.itemId] });
      if (!found.length) throw new NotFoundError(`The ${RECORD_KIND_SINGULAR[kind].toLowerCase()}`);
      const id = await r.retention.insertHold({
        kind,
        itemId: input.itemId,
        reason,
        placedBy: actor.id,
        at: this.deps.clock.now(),
      });
      if (!id) throw new StaleRecordError('This record is already on legal hold: look at the holds as they are now');
      await r.audit.record({
        action: 'retention.hold-placed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_hold', id },
        outcome: 'success',
        details: { kind, itemId: input.itemId },
      });
      return { id };
    });
  }

  async removeHold(actor: Actor, holdId: string, input: { reason: unknown }, ctx: RequestContext): Promise<void> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.hold-removed', {
      type: 'retention_hold',
      id: holdId,
    });
    const reason = checkReason(input.reason, 'reason', 'why the hold is no longer needed');
    await this.deps.uow.run(async (r) => {
      const hold = await r.retention.findHold(holdId);
      if (!hold) throw new NotFoundError('The legal hold');
      if (!(await r.retention.removeHold(holdId, { removedBy: actor.id, at: this.deps.clock.now(), reason })))
        throw new StaleRecordError('This hold has already been removed');
      await r.audit.record({
        action: 'retention.hold-removed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_hold', id: holdId },
        outcome: 'success',
        details: { kind: hold.kind, itemId: hold.itemId },
      });
    });
  }

  async hold(actor: Actor, holdId: string, ctx: RequestContext): Promise<HoldRecord> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.hold-viewed', {
      type: 'retention_hold',
      id: holdId,
    });
    const hold = await this.deps.uow.run((r) => r.retention.findHold(holdId));
    if (!hold) throw new NotFoundError('The legal hold');
    return hold;
  }
}
