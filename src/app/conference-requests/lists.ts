import type { Actor } from '../../domain/access/roles.ts';
import { hasAnyRole } from '../../domain/access/roles.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { SUBJECT_TYPE, audit, childDenial, withChild, withRequest } from './access.ts';
import type { ConferenceRequestView, ConferenceRequestsDeps } from './use-cases.ts';
import { viewOf } from './views.ts';

/** A child's requests, newest first (audited as `conference-request.list`). */
export async function forChild(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  childId: string,
  ctx: RequestContext,
): Promise<ConferenceRequestView[]> {
  return withChild(deps.uow, actor, childId, 'view', 'conference-request.list', ctx, async (repos, id) => {
    const child = (await repos.people.findChild(id))!;
    const name = `${child.givenNames} ${child.familyName}`;
    const list = (await repos.conferenceRequests.listForChild(id)).map((r) => viewOf(r, name));
    await audit(repos, ctx, 'conference-request.list', { type: 'child', id }, { count: list.length });
    return list;
  });
}

/** One request (audited as `conference-request.view`). */
export async function detail(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  requestId: string,
  ctx: RequestContext,
): Promise<ConferenceRequestView & { canDecide: boolean }> {
  return withRequest(deps.uow, actor, requestId, 'view', 'conference-request.view', ctx, async (repos, r) => {
    const child = (await repos.people.findChild(r.childId))!;
    await audit(repos, ctx, 'conference-request.view', { type: SUBJECT_TYPE, id: r.id }, { childId: r.childId });
    const canDecide =
      r.status === 'awaiting-decision' && (await childDenial(repos, actor, r.childId, 'decide')) === null;
    return { ...viewOf(r, `${child.givenNames} ${child.familyName}`), canDecide };
  });
}

/**
 * 002 §1.1: the team manager's queue: requests waiting for a decision, oldest first, for children the manager may
 * open (audited as `conference-request.waiting` with the count).
 */
export async function waiting(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  ctx: RequestContext,
): Promise<ConferenceRequestView[]> {
  if (!hasAnyRole(actor, ['team_manager'])) {
    await deps.uow.run(({ audit: log }) =>
      log.record({
        action: 'conference-request.waiting',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'denied',
        details: { reason: 'only a team manager decides' },
      }),
    );
    throw new AccessDeniedError();
  }
  return deps.uow.run(async (repos) => {
    const out: ConferenceRequestView[] = [];
    for (const r of await repos.conferenceRequests.listWaiting()) {
      if ((await childDenial(repos, actor, r.childId, 'decide')) !== null) continue;
      const child = (await repos.people.findChild(r.childId))!;
      out.push(viewOf(r, `${child.givenNames} ${child.familyName}`));
    }
    await repos.audit.record({
      action: 'conference-request.waiting',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      outcome: 'success',
      details: { count: out.length },
    });
    return out;
  });
}
