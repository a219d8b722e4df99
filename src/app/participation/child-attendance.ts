/**
 * 002 §3.2: the decision whether a child attends, per child, before the conference; and the chair's check that the
 * views of a child who does not attend (or attends part) reached the conference by the way recorded.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type ChildAttendanceInput, checkChildAttendance } from '../../domain/participation/child-attendance.ts';
import { ageOn } from '../../domain/people/index.ts';
import { DomainError, NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { type ParticipationView, readParticipation } from './views.ts';
import { CHAIR_ONLY, OPEN, type ParticipationDeps, auditConference, both, onConference } from './shared.ts';

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
  return onConference(deps, actor, conferenceId, ctx, { access: 'edit', action, rule: OPEN }, async (scope) => {
    const { repos, conference } = scope;
    const child = (await repos.meeting.listChildren(conference.id)).find((c) => c.childId === childId);
    if (!child) throw new NotFoundError('The child');
    const age = child.dateOfBirth ? ageOn(child.dateOfBirth, conference.scheduledDate) : null;
    const decision = checkChildAttendance(input, age);
    const saved = await repos.participation.saveChildAttendance(conference.id, childId, input.version, decision, {
      userId: actor.id,
      at: deps.clock.now(),
    });
    if (!saved) throw new StaleRecordError();
    await auditConference(repos, ctx, action, conference.id, {
      childId,
      decision: decision.decision,
      childWish: decision.childWish,
      viewsRoutes: decision.viewsRoutes,
    });
    return readParticipation(scope, actor);
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
  return onConference(
    deps,
    actor,
    conferenceId,
    ctx,
    { access: 'edit', action, rule: both(CHAIR_ONLY(actor), OPEN) },
    async (scope) => {
      const { repos, conference } = scope;
      const child = (await repos.meeting.listChildren(conference.id)).find((c) => c.childId === childId);
      if (!child) throw new NotFoundError('The child');
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
      await repos.participation.markViewsChecked(conference.id, childId, { userId: actor.id, at: deps.clock.now() });
      await auditConference(repos, ctx, action, conference.id, { childId });
      return readParticipation(scope, actor);
    },
  );
}
