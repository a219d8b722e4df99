/**
 * advice on a complex request for a copy, asked of the council's information management team by the chair or
 * the quality assurance service manager: the question with who asked and when, then the answer with who gave it and
 * when. Each is a step on the request's timeline and audited (ids only); every view is audited, and every refusal.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { hasAnyRole } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/index.ts';
import {
  ADVICE_ROLES,
  type AdviceAnswerInput,
  validateAdviceAnswer,
  validateAdviceQuestion,
} from '../../domain/requests/advice.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { AdviceRecord } from './advice-ports.ts';
import type { AdviceStepAction } from './ports.ts';
import { withRequestAccess } from './request-access.ts';
import { auditRequest } from './request-support.ts';
import type { RequestState } from '../../domain/requests/index.ts';
import { isUuid } from '../conferences/service-deps.ts';

export interface RequestAdviceDeps {
  uow: UnitOfWork;
  clock: Clock;
}

export interface RequestAdviceView {
  requestId: string;
  advice: AdviceRecord[];
  /** Whether this person may ask for advice and record the answers. */
  canAsk: boolean;
}

const NOT_ALLOWED = 'Only a chair or the quality assurance service manager asks the information management team';

export class RequestAdviceService {
  private readonly deps: RequestAdviceDeps;

  constructor(deps: RequestAdviceDeps) {
    this.deps = deps;
  }

  /** The advice asked on the request and its answers, oldest first. Audited as a view. */
  async advice(actor: Actor, requestId: string, ctx: RequestContext): Promise<RequestAdviceView> {
    return withRequestAccess(
      this.deps.uow,
      actor,
      requestId,
      'copy-request.advice.view',
      ctx,
      async (repos, { record }) => {
        const advice = await repos.requestAdvice.list(record.id);
        await this.audit(repos, ctx, 'copy-request.advice.view', record.id, { advice: advice.length });
        return { requestId: record.id, advice, canAsk: hasAnyRole(actor, ADVICE_ROLES) };
      },
    );
  }

  /** asks the information management team; the question goes on the request's timeline. */
  async ask(
    actor: Actor,
    requestId: string,
    input: { question?: string | null },
    ctx: RequestContext,
  ): Promise<AdviceRecord> {
    await this.requireRole(actor, requestId, 'copy-request.advice.ask', ctx);
    return withRequestAccess(
      this.deps.uow,
      actor,
      requestId,
      'copy-request.advice.ask',
      ctx,
      async (repos, { record }) => {
        const question = validateAdviceQuestion(input.question);
        const now = this.deps.clock.now();
        const id = await repos.requestAdvice.insert({
          requestId: record.id,
          question,
          askedBy: actor.id,
          askedOn: londonDateOf(now),
          recordedAt: now,
        });
        await this.step(repos, record.id, record.request.state, 'advice-asked', actor.id, now, { question });
        await this.audit(repos, ctx, 'copy-request.advice.ask', record.id, { adviceId: id });
        return (await repos.requestAdvice.find(id))!;
      },
      { lock: true },
    );
  }

  /** records the team's answer, who gave it and when, once; it goes on the request's timeline. */
  async answer(
    actor: Actor,
    requestId: string,
    adviceId: string,
    input: AdviceAnswerInput,
    ctx: RequestContext,
  ): Promise<AdviceRecord> {
    await this.requireRole(actor, requestId, 'copy-request.advice.answer', ctx);
    return withRequestAccess(
      this.deps.uow,
      actor,
      requestId,
      'copy-request.advice.answer',
      ctx,
      async (repos, { record }) => {
        const advice = isUuid(adviceId) ? await repos.requestAdvice.find(adviceId, { lock: true }) : null;
        if (!advice || advice.requestId !== record.id) throw new NotFoundError('The advice');
        if (advice.answer) throw new ConflictError('The answer to this question is already recorded');
        const now = this.deps.clock.now();
        const answer = validateAdviceAnswer(input, { askedOn: advice.askedOn, today: londonDateOf(now) });
        if (!(await repos.requestAdvice.answer(advice.id, answer, { userId: actor.id, at: now })))
          throw new ConflictError('The answer to this question is already recorded');
        await this.step(repos, record.id, record.request.state, 'advice-answered', actor.id, now, { ...answer });
        await this.audit(repos, ctx, 'copy-request.advice.answer', record.id, { adviceId: advice.id });
        return (await repos.requestAdvice.find(advice.id))!;
      },
      { lock: true },
    );
  }

  private async requireRole(actor: Actor, requestId: string, action: string, ctx: RequestContext): Promise<void> {
    if (!isUuid(requestId)) throw new NotFoundError('The request');
    if (hasAnyRole(actor, ADVICE_ROLES)) return;
    await this.deps.uow.run((repos) =>
      repos.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'copy-request', id: requestId.toLowerCase() },
        outcome: 'denied',
        details: { reason: 'not a chair or quality assurance service manager' },
      }),
    );
    throw new AccessDeniedError(NOT_ALLOWED);
  }

  private async step(
    repos: Repositories,
    requestId: string,
    state: RequestState,
    action: AdviceStepAction,
    actorId: string,
    at: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    await repos.copyRequests.appendSteps(requestId, [
      { action, fromState: state, toState: state, at, actorId, details },
    ]);
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    requestId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await auditRequest(repos, ctx, action, requestId, details);
  }
}
