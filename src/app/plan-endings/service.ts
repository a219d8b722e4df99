/**
 * Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4, T-9): the outline child in need or team around
 * the child plan a conference records when it makes no plan or ends one; every other reason a plan ends, recorded
 * with a senior manager's authority; every agency invited told (email, or a letter to post); and transfer out to
 * another authority, the plan staying in place until the receiving conference is held and confirmed in writing.
 * One file per group of use cases, over the per-child access check and audit of access.ts.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { TransferInput } from '../../domain/plan-endings/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withChildPlan } from './access.ts';
import { markLetterPosted, recordConferenceEnding, recordEnding } from './endings.ts';
import { recordStepDown, stepDownForm } from './step-down.ts';
import { recordTransfer, recordTransferProgress } from './transfer.ts';
import type {
  EndingRequest,
  PlanEndingDeps,
  PlanEndingUseCases,
  StepDownRequest,
  TransferProgressRequest,
} from './use-cases.ts';
import { childPlanView } from './views.ts';

export type * from './use-cases.ts';

export class PlanEndingService implements PlanEndingUseCases {
  private readonly deps: PlanEndingDeps;

  constructor(deps: PlanEndingDeps) {
    this.deps = deps;
  }

  stepDownForm(actor: Actor, conferenceId: string, childId: string, ctx: RequestContext) {
    return stepDownForm(this.deps, actor, conferenceId, childId, ctx);
  }

  recordStepDown(actor: Actor, conferenceId: string, childId: string, input: StepDownRequest, ctx: RequestContext) {
    return recordStepDown(this.deps, actor, conferenceId, childId, input, ctx);
  }

  /** The child's plan, its ending, the agencies told and any transfer; every view audited. */
  forChild(actor: Actor, childId: string, ctx: RequestContext) {
    return withChildPlan(this.deps.uow, actor, childId, 'view', 'plan-ending.view', ctx, async (repos, child) => {
      const view = await childPlanView(this.deps, repos, actor, child);
      await repos.audit.record({
        action: 'plan-ending.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: child.id },
        outcome: 'success',
        details: { state: view.state },
      });
      return view;
    });
  }

  recordEnding(actor: Actor, childId: string, input: EndingRequest, ctx: RequestContext) {
    return recordEnding(this.deps, actor, childId, input, ctx);
  }

  recordConferenceEnding(actor: Actor, childId: string, ctx: RequestContext) {
    return recordConferenceEnding(this.deps, actor, childId, ctx);
  }

  markLetterPosted(actor: Actor, childId: string, noticeId: string, ctx: RequestContext) {
    return markLetterPosted(this.deps, actor, childId, noticeId, ctx);
  }

  recordTransfer(actor: Actor, childId: string, input: TransferInput, ctx: RequestContext) {
    return recordTransfer(this.deps, actor, childId, input, ctx);
  }

  recordTransferProgress(actor: Actor, childId: string, input: TransferProgressRequest, ctx: RequestContext) {
    return recordTransferProgress(this.deps, actor, childId, input, ctx);
  }
}
