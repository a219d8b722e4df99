/**
 * Who may see, record and decide professionals' requests for a conference (per child), and the audit of every view,
 * change and refusal (ids only).
 */
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { auditRequest, auditingRefusals, childrenDenial } from '../recording-permission/request-access.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { ConferenceRequestRecord } from './ports.ts';

export type Access = 'view' | 'edit' | 'decide';

export const SUBJECT_TYPE = 'conference-request';

/** Records a successful view or change of a request in the caller's transaction, as for permission to record. */
export { auditRequest as audit };

/** Null when the actor may `access` the child; otherwise the reason. Deciding is for team managers (002 §1.1). */
export async function childDenial(repos: Repositories, actor: Actor, childId: string, access: Access) {
  const denial = await childrenDenial(repos, actor, [childId], access === 'view' ? 'view' : 'edit');
  if (denial) return denial;
  if (access === 'decide' && !hasAnyRole(actor, ['team_manager'])) return 'only a team manager decides';
  return null;
}

/**
 * Runs `fn` in a transaction once the actor may `access` the child; a refusal is audited about `subject` in a
 * transaction of its own (fn's own is rolled back).
 */
function guarded<T>(
  uow: UnitOfWork,
  ctx: RequestContext,
  action: string,
  subject: { type: string; id: string },
  fn: (repos: Repositories, deny: (reason: string) => never) => Promise<T>,
): Promise<T> {
  return auditingRefusals(uow, ctx, action, subject, (deny) => uow.run((repos) => fn(repos, deny)));
}

export async function withChild<T>(
  uow: UnitOfWork,
  actor: Actor,
  childId: string,
  access: Access,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, childId: string) => Promise<T>,
): Promise<T> {
  if (!isUuid(childId)) throw new NotFoundError('The child');
  const id = childId.toLowerCase();
  return guarded(uow, ctx, action, { type: 'child', id }, async (repos, deny) => {
    if (!(await repos.people.findChild(id))) throw new NotFoundError('The child');
    const denial = await childDenial(repos, actor, id, access);
    if (denial) deny(denial);
    return fn(repos, id);
  });
}

export async function withRequest<T>(
  uow: UnitOfWork,
  actor: Actor,
  requestId: string,
  access: Access,
  action: string,
  ctx: RequestContext,
  fn: (repos: Repositories, r: ConferenceRequestRecord) => Promise<T>,
  opts: { lock?: boolean } = {},
): Promise<T> {
  if (!isUuid(requestId)) throw new NotFoundError('The request');
  const id = requestId.toLowerCase();
  return guarded(uow, ctx, action, { type: SUBJECT_TYPE, id }, async (repos, deny) => {
    const r = await repos.conferenceRequests.find(id, { lock: opts.lock ?? false });
    if (!r) throw new NotFoundError('The request');
    const denial = await childDenial(repos, actor, r.childId, access);
    if (denial) deny(denial);
    return fn(repos, r);
  });
}
