/** What is shown of a child's core group and of one meeting (002 §3.7, §3.11); every view audited with ids only. */
import { type Actor, hasAnyRole, type Role } from '../../domain/access/roles.ts';
import { RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import { type IsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import { CORE_GROUP_CHAIR_ROLES, coreGroupDue, PLAN_LEAD_ROLES } from '../../domain/core-groups/core-groups.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Repositories } from '../unit-of-work.ts';
import { type ChildScope, audited, meetingOwner, recordView, withChildPlan } from './access.ts';
import type { CoreGroupMeetingRecord } from './ports.ts';
import type {
  ChildCoreGroups,
  CoreGroupDeps,
  CoreGroupMeetingDetail,
  CoreGroupMeetingView,
  StaffChoice,
} from './use-cases.ts';

export const meetingTitle = (sequence: number) => (sequence === 1 ? 'First core group' : `Core group ${sequence}`);

/** Enabled staff holding any of the roles (the predicate's own list), by name: only they are read, not every account. */
export async function staffChoices(repos: Repositories, roles: readonly Role[]): Promise<StaffChoice[]> {
  return (await repos.accounts.listUsersWithAnyRole(roles))
    .map((u) => ({ id: u.id, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A meeting as listed and shown. Its record (with members' names) only for a meeting under the scope's plan, whose
 * conference the access check covered; a meeting under an earlier plan is opened on its own page, checked there.
 */
export async function meetingView(scope: ChildScope, m: CoreGroupMeetingRecord): Promise<CoreGroupMeetingView> {
  const covered = m.conferenceId === scope.plan?.conferenceId;
  const plans = m.record && covered ? await scope.repos.meeting.listPlans(m.conferenceId) : [];
  return {
    id: m.id,
    childId: m.childId,
    conferenceId: m.conferenceId,
    sequence: m.sequence,
    title: meetingTitle(m.sequence),
    meetingDate: m.meetingDate,
    chair: { userId: m.chairUserId, name: m.chairName },
    version: m.version,
    recorded: m.record !== null,
    record: m.record && covered ? recordView(m.record, scope.invitees, plans) : null,
  };
}

/** The child's core group as a page shows it; the caller audits. */
export async function childCoreGroups(deps: CoreGroupDeps, actor: Actor, scope: ChildScope): Promise<ChildCoreGroups> {
  const { repos, plan } = scope;
  const meetings = await repos.coreGroups.listMeetings(scope.child.id);
  const views = await Promise.all(meetings.map((m) => meetingView(scope, m)));
  const current = plan ? meetings.filter((m) => m.conferenceId === plan.conferenceId) : [];
  const held = current.filter((m) => m.record !== null).map((m) => m.meetingDate);
  const scheduled = current.filter((m) => m.record === null).map((m) => m.meetingDate);
  const today = londonDateOf(deps.clock.now());
  const due =
    plan && plan.inForce
      ? coreGroupDue(
          {
            conferenceDate: plan.conferenceDate,
            firstCoreGroupDate: plan.firstCoreGroupDate,
            lastHeld: held.sort().at(-1) ?? null,
            nextScheduled: scheduled.sort()[0] ?? null,
          },
          today,
          deps.calendar,
          deps.timescales,
        )
      : null;
  const mayEdit = hasAnyRole(actor, RECORD_EDITOR_ROLES);
  return {
    child: scope.child,
    plan,
    due,
    meetings: views,
    chairChoices: plan?.inForce ? await staffChoices(repos, CORE_GROUP_CHAIR_ROLES) : [],
    leadChoices: plan?.inForce && plan.lead === null ? await staffChoices(repos, PLAN_LEAD_ROLES) : [],
    can: {
      schedule: Boolean(plan?.inForce) && mayEdit,
      appointLead: Boolean(plan?.inForce) && plan?.lead === null && actor.roles.includes('team_manager'),
    },
    suggestedDate: current.length === 0 ? (plan?.firstCoreGroupDate ?? null) : null,
  };
}

export async function forChild(deps: CoreGroupDeps, actor: Actor, childId: string, ctx: RequestContext) {
  return withChildPlan(deps, actor, childId, 'view', 'core-group.view', ctx, async (scope) => {
    const view = await childCoreGroups(deps, actor, scope);
    await audited(scope.repos, ctx, 'core-group.view', childId, {
      conferenceId: view.plan?.conferenceId ?? null,
      meetingIds: view.meetings.map((m) => m.id),
    });
    return view;
  });
}

/** One meeting with its plan and every version of its record. */
export async function meetingDetail(
  actor: Actor,
  scope: ChildScope,
  meetingId: string,
): Promise<CoreGroupMeetingDetail> {
  const m = await scope.repos.coreGroups.findMeeting(meetingId);
  if (!m || m.childId !== scope.child.id || !scope.plan) throw new NotFoundError('The core group meeting');
  if (m.conferenceId !== scope.plan.conferenceId) throw new NotFoundError('The core group meeting');
  const plans = await scope.repos.meeting.listPlans(m.conferenceId);
  const history = (await scope.repos.coreGroups.recordVersions(meetingId)).map((r) =>
    recordView(r, scope.invitees, plans),
  );
  return {
    child: scope.child,
    plan: scope.plan,
    meeting: await meetingView(scope, m),
    history,
    can: {
      // Recorded under the plan in force: a meeting of an earlier plan is kept as it was.
      record:
        hasAnyRole(actor, RECORD_EDITOR_ROLES) && scope.plan.inForce && m.conferenceId === scope.plan.conferenceId,
    },
  };
}

export async function meeting(deps: CoreGroupDeps, actor: Actor, meetingId: string, ctx: RequestContext) {
  const { childId, conferenceId } = await meetingOwner(deps, meetingId);
  return withChildPlan(
    deps,
    actor,
    childId,
    'view',
    'core-group.meeting.view',
    ctx,
    async (scope) => {
      const detail = await meetingDetail(actor, scope, meetingId);
      await audited(scope.repos, ctx, 'core-group.meeting.view', childId, {
        meetingId,
        conferenceId: detail.meeting.conferenceId,
        recordVersions: detail.history.length,
      });
      return detail;
    },
    { conferenceId },
  );
}

export const todayOf = (deps: CoreGroupDeps): IsoDate => londonDateOf(deps.clock.now());
