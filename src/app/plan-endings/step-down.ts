/**
 * 002 §3.8, §3.9: the outline child in need or team around the child plan, recorded by the chair at the conference
 * that decided no plan is needed or that the plan ends (a new version each time; once held, with the reason).
 */
import { NotTheChairError, actsAsChair } from '../../domain/conferences/chair-cover.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { changeReasonFor } from '../../domain/conferences/meeting.ts';
import { type CheckedStepDown, validateStepDown } from '../../domain/plan-endings/index.ts';
import { DomainError, type FieldProblem, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference, withConferenceRule } from '../conferences/conference-access.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { PlanEndingDeps, StepDownForm, StepDownRequest, StepDownView } from './use-cases.ts';
import { latestStepDown, stepDownView } from './views.ts';

const STEP_DOWN_OUTCOMES = new Set(['no-plan', 'plan-ends']);

async function scope(repos: Repositories, conferenceId: string, childId: string) {
  const conference = await repos.meeting.findConference(conferenceId);
  if (!conference) throw new NotFoundError('The conference');
  const child = (await repos.meeting.listChildren(conferenceId)).find((c) => c.childId === childId.toLowerCase());
  if (!child) throw new NotFoundError('The child');
  const decision = (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === child.childId).at(-1);
  if (!decision) throw new DomainError('DECISION_FIRST', 'Record the decision for this child first');
  if (!STEP_DOWN_OUTCOMES.has(decision.outcome))
    throw new DomainError(
      'PLAN_CONTINUES',
      'The decision is that the child has a child protection plan: record the plan instead',
    );
  return { conference, child, decision };
}

export async function stepDownForm(
  deps: PlanEndingDeps,
  actor: Actor,
  conferenceId: string,
  childId: string,
  ctx: RequestContext,
): Promise<StepDownForm> {
  return withConferenceRule(
    deps.uow,
    actor,
    conferenceId,
    ctx,
    { access: 'view', action: 'plan-ending.step-down.view' },
    async ({ repos }) => {
      const { conference, child, decision } = await scope(repos, conferenceId, childId);
      const latest = await latestStepDown(repos, conference.id, child.childId);
      await auditConference(repos, ctx, 'plan-ending.step-down.view', conference.id, { childId: child.childId });
      return {
        conference: {
          id: conference.id,
          type: conference.type,
          date: conference.scheduledDate,
          held: conference.status === 'held',
        },
        child: { id: child.childId, givenNames: child.givenNames, familyName: child.familyName },
        outcome: decision.outcome,
        stepDown: latest ? stepDownView(latest) : null,
      };
    },
  );
}

export async function recordStepDown(
  deps: PlanEndingDeps,
  actor: Actor,
  conferenceId: string,
  childId: string,
  input: StepDownRequest,
  ctx: RequestContext,
): Promise<StepDownView> {
  return withConferenceRule(
    deps.uow,
    actor,
    conferenceId,
    ctx,
    {
      access: 'edit',
      action: 'plan-ending.step-down.record',
      lock: true,
      // The chair records the plan a child steps down to, as for the plan itself.
      // 002 §4.1: the assigned chair or the cover chair recorded for them.
      rule: (c) => ({
        ok: actsAsChair(actor, c),
        reason: 'not the chair',
        message: 'Only the chair records the plan the child steps down to',
        error: new NotTheChairError(c.id, c.chairName),
      }),
    },
    async ({ repos }) => {
      const { conference, child } = await scope(repos, conferenceId, childId);
      // Every problem at once: the plan's fields, then the reason for a change once the conference is held.
      const problems: FieldProblem[] = [];
      let checked: CheckedStepDown | null = null;
      try {
        checked = validateStepDown(input, { conferenceDate: conference.scheduledDate });
      } catch (err) {
        if (!(err instanceof InvalidDetailsError)) throw err;
        problems.push(...err.problems);
      }
      let changeReason: string | null = null;
      try {
        changeReason = changeReasonFor(conference.status, input.changeReason);
      } catch (err) {
        if (!(err instanceof DomainError) || !err.field) throw err;
        problems.push({ field: err.field, message: err.message });
      }
      if (problems.length || !checked) throw new InvalidDetailsError(problems);
      const previous = await latestStepDown(repos, conference.id, child.childId);
      const version = (previous?.version ?? 0) + 1;
      const id = await repos.planEndings.insertStepDown({
        conferenceId: conference.id,
        childId: child.childId,
        version,
        ...checked,
        changeReason,
        recordedByUserId: actor.id,
        recordedAt: deps.clock.now(),
      });
      await auditConference(repos, ctx, 'plan-ending.step-down.record', conference.id, {
        childId: child.childId,
        stepDownId: id,
        version,
        kind: checked.kind,
      });
      return stepDownView((await latestStepDown(repos, conference.id, child.childId))!);
    },
  );
}
