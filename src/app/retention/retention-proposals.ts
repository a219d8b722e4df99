/** Destruction proposed by one person and approved (or declined) by a second (R-4, four eyes). */
import type { Actor } from '../../domain/access/roles.ts';
import {
  type Candidate as DomainCandidate,
  PROPOSAL_STATE_LABELS,
  approve,
  checkProposal,
  checkReason,
  decline,
  itemKey,
} from '../../domain/retention/disposal.ts';
import {
  DISPOSABLE_KINDS,
  type DisposableKind,
  RECORD_KINDS,
  RECORD_KIND_SINGULAR,
  describeSchedule,
  requireRetentionOfficer,
} from '../../domain/retention/schedules.ts';
import { NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { ProposalItemRecord, ProposalRecord } from './ports.ts';
import {
  PROPOSAL_SUBJECT,
  type RetentionServiceDeps,
  allowed,
  candidatesWithin,
  dateOf,
  keptOf,
  schedulesWithin,
  todayOf,
} from './retention-access.ts';

export interface ProposalView extends ProposalRecord {
  stateLabel: string;
  items: Array<ProposalItemRecord & { what: string }>;
}

/** Proposals and their approval: one use case a method, called through RetentionService. */
export class RetentionProposalsUseCases {
  private readonly deps: RetentionServiceDeps;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
  }

  /** Proposes the ticked records for destruction; each must be due, not held and not already proposed. */
  async propose(
    actor: Actor,
    input: { items: ReadonlyArray<{ kind: string; id: string }>; note?: string | undefined },
    ctx: RequestContext,
  ): Promise<{ id: string; number: number }> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.proposed');
    const today = todayOf(this.deps);
    return this.deps.uow.run(async (r) => {
      const schedules = await schedulesWithin(r);
      const ids: Partial<Record<DisposableKind, string[]>> = Object.fromEntries(
        DISPOSABLE_KINDS.map((k) => [k, input.items.filter((i) => i.kind === k).map((i) => i.id)]),
      );
      const holds = new Set((await r.retention.currentHolds()).map((h) => itemKey({ kind: h.kind, id: h.itemId })));
      const live = await r.retention.liveItemKeys();
      const candidates = new Map<string, DomainCandidate>();
      for (const c of await candidatesWithin(r, null, ids)) {
        const key = itemKey(c);
        candidates.set(key, {
          dueOn: dateOf(schedules, c).dueOn,
          held: holds.has(key),
          inLiveProposal: live.has(key),
          ...keptOf(c),
        });
      }
      const refs = checkProposal(actor, input.items, candidates, today);
      const note = input.note?.trim() ? checkReason(input.note, 'note', 'a note') : null;
      const p = await r.retention.insertProposal({
        note,
        proposedBy: actor.id,
        at: this.deps.clock.now(),
        schedules: Object.fromEntries(RECORD_KINDS.map((k) => [k, describeSchedule(schedules[k])])),
        items: refs.map((i) => ({ kind: i.kind, itemId: i.id, dueOn: candidates.get(itemKey(i))!.dueOn! })),
      });
      await r.audit.record({
        action: 'retention.proposed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: PROPOSAL_SUBJECT, id: p.id },
        outcome: 'success',
        details: { items: refs.map((i) => itemKey(i)) },
      });
      return p;
    });
  }

  async proposals(actor: Actor, ctx: RequestContext): Promise<ProposalRecord[]> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.proposals-viewed');
    return this.deps.uow.run((r) => r.retention.listProposals());
  }

  async proposal(actor: Actor, id: string, ctx: RequestContext): Promise<ProposalView> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.proposal-viewed', {
      type: PROPOSAL_SUBJECT,
      id,
    });
    return this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id);
      if (!p) throw new NotFoundError('The disposal proposal');
      const items = (await r.retention.proposalItems(id)).map((i) => ({ ...i, what: RECORD_KIND_SINGULAR[i.kind] }));
      await r.audit.record({
        action: 'retention.proposal-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: PROPOSAL_SUBJECT, id },
        outcome: 'success',
      });
      return { ...p, stateLabel: PROPOSAL_STATE_LABELS[p.state], items };
    });
  }

  /** A second, different person approves; destruction is queued once the approval is saved. */
  async approve(actor: Actor, id: string, input: { version: number }, ctx: RequestContext): Promise<void> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.approved', { type: PROPOSAL_SUBJECT, id });
    let refusal: unknown = null;
    await this.deps.uow
      .run(async (r) => {
        const p = await r.retention.findProposal(id, { lock: true });
        if (!p) throw new NotFoundError('The disposal proposal');
        try {
          approve(p, actor);
        } catch (err) {
          refusal = err;
          throw err;
        }
        if (p.version !== input.version) throw new StaleRecordError();
        if (
          !(await r.retention.decideProposal(id, input.version, {
            state: 'approved',
            by: actor.id,
            at: this.deps.clock.now(),
          }))
        )
          throw new StaleRecordError();
        await r.audit.record({
          action: 'retention.approved',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: PROPOSAL_SUBJECT, id },
          outcome: 'success',
          details: { proposedBy: p.proposedBy, approvedBy: actor.id },
        });
      })
      .catch(async (err: unknown) => {
        // Refused by the rules (four eyes, no longer waiting): audited after the rollback, so the entry survives.
        if (refusal === err) await this.refused(id, 'retention.approved', err, ctx);
        throw err;
      });
    await this.deps.queue.enqueueDisposal(id);
  }

  /** A refusal by the rules (four eyes, not waiting) is audited in its own transaction so it survives the rollback. */
  private async refused(id: string, action: string, err: unknown, ctx: RequestContext): Promise<void> {
    const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'ERROR';
    await this.deps.uow.run((r) =>
      r.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: PROPOSAL_SUBJECT, id },
        outcome: code === 'ACCESS_DENIED' || code === 'FOUR_EYES' ? 'denied' : 'failure',
        details: { code },
      }),
    );
  }

  async decline(
    actor: Actor,
    id: string,
    input: { version: number; reason: unknown },
    ctx: RequestContext,
  ): Promise<void> {
    await allowed(this.deps, requireRetentionOfficer, actor, ctx, 'retention.declined', { type: PROPOSAL_SUBJECT, id });
    const reason = checkReason(input.reason, 'reason', 'why the records should be kept');
    await this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id, { lock: true });
      if (!p) throw new NotFoundError('The disposal proposal');
      decline(p, actor);
      if (p.version !== input.version) throw new StaleRecordError();
      if (
        !(await r.retention.decideProposal(id, input.version, {
          state: 'declined',
          by: actor.id,
          at: this.deps.clock.now(),
          reason,
        }))
      )
        throw new StaleRecordError();
      await r.audit.record({
        action: 'retention.declined',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: PROPOSAL_SUBJECT, id },
        outcome: 'success',
      });
    });
  }
}
