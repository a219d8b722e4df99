/**
 * 002 §3.11: a core group meeting's record: each member's attendance, progress on each of the plan's actions, and
 * notes. Each save is a new version; once recorded, a change gives its reason. Audited with ids and counts only.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { validateRecord } from '../../domain/core-groups/core-groups.ts';
import { DomainError, NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { audited, meetingOwner, withChildPlan } from './access.ts';
import { meetingDetail, todayOf } from './views.ts';
import type { CoreGroupDeps, RecordRequest } from './use-cases.ts';

export async function record(
  deps: CoreGroupDeps,
  actor: Actor,
  meetingId: string,
  input: RecordRequest,
  ctx: RequestContext,
) {
  const { childId, conferenceId } = await meetingOwner(deps, meetingId);
  return withChildPlan(
    deps,
    actor,
    childId,
    'edit',
    'core-group.record',
    ctx,
    async (scope) => {
      const { repos, plan, planRecord } = scope;
      const m = await repos.coreGroups.findMeeting(meetingId, { lock: true });
      if (!m || m.childId !== childId) throw new NotFoundError('The core group meeting');
      if (!plan || !planRecord || !plan.inForce || m.conferenceId !== plan.conferenceId)
        throw new DomainError(
          'PLAN_ENDED',
          'This meeting belongs to a plan no longer in force: its record is kept as it was',
        );
      if (m.version !== input.version) throw new StaleRecordError();
      const checked = validateRecord(input, {
        meetingDate: m.meetingDate,
        today: todayOf(deps),
        memberIds: plan.members.map((x) => x.inviteeId),
        memberNames: Object.fromEntries(plan.members.map((x) => [x.inviteeId, x.name])),
        actionOrdinals: plan.actions.map((a) => a.ordinal),
        recordedBefore: m.record !== null,
      });
      const version = (m.record?.version ?? 0) + 1;
      const saved = await repos.coreGroups.insertRecord(
        {
          meetingId,
          version,
          planId: planRecord.id,
          attendance: checked.attendance,
          progress: checked.progress,
          notes: checked.notes,
          changeReason: checked.changeReason,
          recordedByUserId: actor.id,
          recordedAt: deps.clock.now(),
        },
        input.version,
      );
      if (!saved) throw new StaleRecordError();
      await audited(repos, ctx, 'core-group.record', childId, {
        meetingId,
        conferenceId: m.conferenceId,
        recordVersion: version,
        changed: version > 1,
        attended: checked.attendance.filter((a) => a.attendance === 'attended').length,
      });
      return meetingDetail(actor, scope, meetingId);
    },
    { conferenceId },
  );
}
