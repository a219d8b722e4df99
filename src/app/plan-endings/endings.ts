/**
 * 002 §3.9: recording why a child's plan ended. A conference's ending is recorded once the conference is held (its
 * decision already says so); every other reason needs an active plan and a senior manager's authority. Either way
 * every agency invited is told and a case note goes on the child's record, shown to the next conference.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { ENDING_REASON_LABELS, validateEnding } from '../../domain/plan-endings/index.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { CurrentOutcome } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { ChildRecord } from '../people/ports.ts';
import type { Repositories } from '../unit-of-work.ts';
import { SENIOR_MANAGER_ROLES, auditPlanEnding, withChildPlan } from './access.ts';
import { nextStepsText, tellAgencies } from './notices.ts';
import type { NewEnding } from './ports.ts';
import type { ChildPlanView, EndingRequest, PlanEndingDeps } from './use-cases.ts';
import { childPlanView, currentPlan, latestStepDown } from './views.ts';

export const PLAN_ENDED_NOTE_KIND = 'plan-ended';

/**
 * Runs a use case that records on the child's plan and may queue emails (`fn` returns their ids); they are sent only
 * once its unit of work has committed. Returns the child's plan as it now stands.
 */
export async function withChildPlanAndMail(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, child: ChildRecord) => Promise<string[]>,
): Promise<ChildPlanView> {
  let messages: string[] = [];
  const view = await withChildPlan(deps.uow, actor, childId, 'record', action, ctx, async (repos, child) => {
    messages = await fn(repos, child);
    return childPlanView(deps, repos, actor, child);
  });
  await deps.mail.dispatch(...messages);
  return view;
}

/** The plan in force, which an ending or a move ends (`what`: "to end", "to transfer"); refused when there is none. */
export async function activePlan(repos: Repositories, childId: string, what: string): Promise<CurrentOutcome> {
  const { outcome, state } = await currentPlan(repos, childId);
  if (state !== 'active' || !outcome)
    throw new DomainError('NO_ACTIVE_PLAN', `The child has no child protection plan in place ${what}`);
  return outcome;
}

/** The fields of an ending that only some reasons have: none, unless given. */
const NO_AUTHORITY = {
  details: null,
  lookedAfterCriterion: null,
  modToldOn: null,
  modResourcesConfirmed: false,
  authorisedByUserId: null,
  authorisedOn: null,
  transferId: null,
} satisfies Partial<NewEnding>;

/**
 * Stores the ending of the plan made at `outcome`'s conference, recorded by `actor` now, tells the agencies and notes
 * it on the child's record; returns the messages to dispatch.
 */
export async function endPlan(
  deps: PlanEndingDeps,
  repos: Repositories,
  actor: Actor,
  child: ChildRecord,
  outcome: CurrentOutcome,
  fields: Pick<NewEnding, 'reason' | 'endedOn'> & Partial<NewEnding>,
  words: { ending: string; nextSteps: string },
  ctx: RequestContext,
): Promise<string[]> {
  const ending: NewEnding = {
    ...NO_AUTHORITY,
    childId: child.id,
    planConferenceId: outcome.conferenceId,
    recordedByUserId: actor.id,
    recordedAt: deps.clock.now(),
    ...fields,
  };
  const id = await repos.planEndings.insertEnding(ending);
  if (!id) throw new ConflictError('The plan’s ending has already been recorded');
  const told = await tellAgencies(deps, repos, child, id, words, ctx);
  await recordCaseNote(
    repos,
    deps.clock,
    {
      childId: child.id,
      kind: PLAN_ENDED_NOTE_KIND,
      text:
        `The child protection plan ended on ${formatLongDate(ending.endedOn)}. ${ENDING_REASON_LABELS[ending.reason]}. ` +
        `Agencies told: ${told.emails} by email, ${told.letters} by letter.`,
    },
    ctx,
  );
  await auditPlanEnding(repos, ctx, 'plan-ending.record', child.id, {
    endingId: id,
    reason: ending.reason,
    planConferenceId: ending.planConferenceId,
    emails: told.emails,
    letters: told.letters,
  });
  return told.messageIds;
}

/** 002 §3.9: an ending outside a conference (18, death, leaving the UK, looked after, posted overseas). */
export async function recordEnding(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  input: EndingRequest,
  ctx: RequestContext,
): Promise<ChildPlanView> {
  return withChildPlanAndMail(deps, actor, childId, 'plan-ending.record', ctx, async (repos, child) => {
    const outcome = await activePlan(repos, child.id, 'to end');
    const users = await repos.accounts.listUsers();
    const seniorManagerIds = new Set(
      users.filter((u) => !u.disabledAt && u.roles.some((r) => SENIOR_MANAGER_ROLES.includes(r))).map((u) => u.id),
    );
    const checked = validateEnding(
      { ...input, authorisedByUserId: (input.authorisedByUserId ?? '').toLowerCase() },
      {
        today: londonDateOf(deps.clock.now()),
        planConferenceDate: outcome.conferenceDate,
        dateOfBirth: (child.dateOfBirth ?? null) as IsoDate | null,
        seniorManagerIds,
      },
    );
    return endPlan(
      deps,
      repos,
      actor,
      child,
      outcome,
      {
        reason: checked.reason,
        endedOn: checked.endedOn,
        details: checked.details,
        lookedAfterCriterion: checked.lookedAfterCriterion,
        modToldOn: checked.modToldOn,
        modResourcesConfirmed: checked.modResourcesConfirmed,
        authorisedByUserId: checked.authorisedByUserId,
        authorisedOn: checked.authorisedOn,
      },
      {
        ending: `${ENDING_REASON_LABELS[checked.reason]}, on ${formatLongDate(checked.endedOn)}.`,
        nextSteps: 'The child’s social worker will tell you of any services that continue.',
      },
      ctx,
    );
  });
}

/** 002 §3.9, T-9: a held conference ended the plan: record it, with the step-down and family meeting, and tell the agencies. */
export async function recordConferenceEnding(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  ctx: RequestContext,
): Promise<ChildPlanView> {
  return withChildPlanAndMail(deps, actor, childId, 'plan-ending.conference', ctx, async (repos, child) => {
    const { outcome, state } = await currentPlan(repos, child.id);
    if (state === 'ended') throw new ConflictError('The plan’s ending has already been recorded');
    if (state !== 'ended-at-conference' || !outcome)
      throw new DomainError('NOT_ENDED_BY_CONFERENCE', 'No held conference has decided that the plan ends');
    const stepDown = await latestStepDown(repos, outcome.conferenceId, child.id);
    return endPlan(
      deps,
      repos,
      actor,
      child,
      outcome,
      { reason: 'conference', endedOn: outcome.conferenceDate },
      {
        ending: `${ENDING_REASON_LABELS.conference}, on ${formatLongDate(outcome.conferenceDate)}.`,
        nextSteps: nextStepsText(stepDown, outcome.plan?.planEndedMeetingDate ?? null),
      },
      ctx,
    );
  });
}
/** A letter telling an agency has been posted. */
export async function markLetterPosted(
  deps: PlanEndingDeps,
  actor: Actor,
  childId: string,
  noticeId: string,
  ctx: RequestContext,
): Promise<ChildPlanView> {
  return withChildPlan(deps.uow, actor, childId, 'record', 'plan-ending.letter-posted', ctx, async (repos, child) => {
    const { ending } = await currentPlan(repos, child.id);
    if (!ending || !isUuid(noticeId)) throw new NotFoundError('The letter');
    const ok = await repos.planEndings.markPosted(ending.id, noticeId.toLowerCase(), {
      userId: actor.id,
      at: deps.clock.now(),
    });
    if (!ok) throw new NotFoundError('The letter to post');
    await auditPlanEnding(repos, ctx, 'plan-ending.letter-posted', child.id, { endingId: ending.id, noticeId });
    return childPlanView(deps, repos, actor, child);
  });
}
