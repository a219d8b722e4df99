/**
 * 002 §3.2: the decision whether a child attends, per child, before the conference; and the chair's check that the
 * views of a child who does not attend (or attends part) reached the conference by the way recorded.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type ChildAttendanceInput, checkChildAttendance } from '../../domain/participation/child-attendance.ts';
import { ageOn } from '../../domain/people/index.ts';
import { DomainError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { changeParticipation, findChild } from './change.ts';
import { CHAIR_ONLY, OPEN, type ParticipationDeps, both } from './shared.ts';
import type { ParticipationView } from './views.ts';

export type ChildAttendanceRequest = ChildAttendanceInput & { version: number };

export function recordChildAttendance(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  childId: string,
  input: ChildAttendanceRequest,
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.child-attendance.record';
  return changeParticipation(deps, actor, conferenceId, ctx, action, OPEN, async (scope, by) => {
    const { repos, conference } = scope;
    const child = await findChild(scope, childId);
    const age = child.dateOfBirth ? ageOn(child.dateOfBirth, conference.scheduledDate) : null;
    const decision = checkChildAttendance(input, age);
    const saved = await repos.participation.saveChildAttendance(conference.id, childId, input.version, decision, by);
    if (!saved) throw new StaleRecordError();
    return {
      childId,
      decision: decision.decision,
      childWish: decision.childWish,
      viewsRoutes: decision.viewsRoutes,
    };
  });
}

/**
 * 002 §3.2: the chair records that the conference has the views of a child who does not attend (or attends part), as
 * conveyed by the way recorded. Their views must be on the conference's record first.
 */
export function checkChildViews(
  deps: ParticipationDeps,
  actor: Actor,
  conferenceId: string,
  childId: string,
  ctx: RequestContext,
): Promise<ParticipationView> {
  const action = 'participation.child-views.check';
  return changeParticipation(
    deps,
    actor,
    conferenceId,
    ctx,
    action,
    both(CHAIR_ONLY(actor), OPEN),
    async (scope, by) => {
      const { repos, conference } = scope;
      const child = await findChild(scope, childId);
      const decision = (await repos.participation.listChildAttendance(conference.id)).find(
        (d) => d.childId === childId,
      );
      if (!decision)
        throw new DomainError(
          'NO_DECISION',
          'Record whether the child attends, and how their views are conveyed, first',
        );
      if (!child.childViews?.trim())
        throw new DomainError(
          'NO_VIEWS',
          'Record the child’s views on the conference first, then confirm they were checked',
        );
      await repos.participation.markViewsChecked(conference.id, childId, by);
      return { childId };
    },
  );
}
