/**
 * Who may see and change a child's core group (002 §3.7): someone who may see (or change) the child's record and
 * every child of the conference that made the plan, whose invitees the core group's members are
 * (conference-access.ts checks them). Every refusal is audited against the child; every view and change by the use
 * case, with ids only. Reads the plan the core group carries out, and its members' names.
 */
import { canEditChild, canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { CONFERENCE_TYPE_LABELS, outcomeHasPlan } from '../../domain/conferences/decisions.ts';
import { INVITEE_KIND_LABELS, isInviteeKind } from '../../domain/conferences/invitees.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditChildDenial } from '../audit/child-audit.ts';
import { checkConferenceChildren } from '../conferences/conference-access.ts';
import type { MeetingInvitee, PlanRecord } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CoreGroupRecordVersion } from './ports.ts';
import type { CoreGroupDeps, CoreGroupRecordView, CorePlanView } from './use-cases.ts';

export type Access = 'view' | 'edit';

export interface ChildScope {
  repos: Repositories;
  child: { id: string; name: string };
  /** The plan in force or last made at a held conference; null when the child has none. */
  plan: CorePlanView | null;
  planRecord: PlanRecord | null;
  invitees: MeetingInvitee[];
}

export { auditChild as audited, childSubject } from '../audit/child-audit.ts';

function describe(i: MeetingInvitee): string {
  const kind = isInviteeKind(i.kind) ? INVITEE_KIND_LABELS[i.kind] : 'Invited';
  if (i.kind !== 'professional') return kind;
  return [i.roleTitle, i.agencyName].filter(Boolean).join(', ') || kind;
}

export function planView(
  plan: PlanRecord,
  conference: { id: string; type: keyof typeof CONFERENCE_TYPE_LABELS; scheduledDate: string },
  inForce: boolean,
  invitees: readonly MeetingInvitee[],
  appointed: { userId: string; name: string | null } | null,
): CorePlanView {
  const byId = new Map(invitees.map((i) => [i.id, i]));
  const lead = plan.leadSocialWorkerUserId
    ? { userId: plan.leadSocialWorkerUserId, name: plan.leadSocialWorkerName, appointedAfterwards: false }
    : appointed
      ? { userId: appointed.userId, name: appointed.name, appointedAfterwards: true }
      : null;
  return {
    conferenceId: conference.id,
    conferenceType: conference.type,
    conferenceTitle: CONFERENCE_TYPE_LABELS[conference.type],
    conferenceDate: conference.scheduledDate as CorePlanView['conferenceDate'],
    planVersion: plan.version,
    inForce,
    firstCoreGroupDate: plan.firstCoreGroupDate,
    lead,
    members: plan.coreGroupInviteeIds.flatMap((id) => {
      const i = byId.get(id);
      return i ? [{ inviteeId: id, name: i.name, description: describe(i) }] : [];
    }),
    actions: plan.actions.map((a) => ({ ordinal: a.ordinal, action: a.action, who: a.who, byWhen: a.byWhen })),
  };
}

/** A version of a meeting's record with the members' names and the actions' words (from the plan it reviewed). */
export function recordView(
  r: CoreGroupRecordVersion,
  invitees: readonly MeetingInvitee[],
  plans: readonly PlanRecord[],
): CoreGroupRecordView {
  const names = new Map(invitees.map((i) => [i.id, i.name]));
  const actions = plans.find((p) => p.id === r.planId)?.actions ?? [];
  return {
    version: r.version,
    attendance: r.attendance.map((a) => ({ ...a, name: names.get(a.inviteeId) ?? 'Someone no longer invited' })),
    progress: r.progress.map((p) => ({
      ...p,
      action: actions.find((a) => a.ordinal === p.ordinal)?.action ?? `Action ${p.ordinal}`,
    })),
    notes: r.notes,
    changeReason: r.changeReason,
    recordedByName: r.recordedByName,
    recordedAt: r.recordedAt,
  };
}

/**
 * Runs `fn` once the actor passes the check on the child and on every child of the conference that made the plan;
 * a refusal is audited as `action` against the child. The plan is the child's latest, or with `conferenceId` the one
 * made at that conference (a meeting under an earlier plan), which is then not in force.
 */
export async function withChildPlan<T>(
  deps: CoreGroupDeps,
  actor: Actor,
  childId: string,
  access: Access,
  action: string,
  ctx: RequestContext,
  fn: (scope: ChildScope) => Promise<T>,
  opts: { conferenceId?: string } = {},
): Promise<T> {
  const state: { denial: string | null } = { denial: null };
  try {
    if (!isUuid(childId)) throw new NotFoundError('The child');
    return await deps.uow.run(async (repos) => {
      const facts = await repos.people.childAccessFacts(childId);
      if (!facts) throw new NotFoundError('The child');
      const decision = access === 'view' ? canViewChild(actor, facts) : canEditChild(actor, facts);
      if (!decision.allowed) {
        state.denial = decision.reason;
        throw new AccessDeniedError();
      }
      const latest = await repos.coreGroups.planConferenceId(childId);
      const conferenceId = opts.conferenceId ?? latest;
      const conferenceChildIds = conferenceId ? await repos.convening.conferenceChildIds(conferenceId) : null;
      if (conferenceId && conferenceChildIds) {
        const denial = await checkConferenceChildren(
          repos,
          actor,
          conferenceId,
          conferenceChildIds,
          access,
          action,
          ctx,
        );
        if (denial) {
          state.denial = denial.reason;
          throw new AccessDeniedError();
        }
      }
      const found = await repos.people.findChild(childId);
      const child = { id: childId, name: found ? `${found.givenNames} ${found.familyName}` : 'The child' };
      if (!conferenceId) return fn({ repos, child, plan: null, planRecord: null, invitees: [] });
      const conference = await repos.meeting.findConference(conferenceId);
      const planRecord = (await repos.meeting.listPlans(conferenceId)).filter((p) => p.childId === childId).at(-1);
      if (!conference || !planRecord) return fn({ repos, child, plan: null, planRecord: null, invitees: [] });
      const decisionNow = (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === childId).at(-1);
      const inForce = conferenceId === latest && decisionNow !== undefined && outcomeHasPlan(decisionNow.outcome);
      const invitees = await repos.meeting.listInvitees(conferenceId);
      const appointed = await repos.coreGroups.latestAppointment(conferenceId, childId);
      return fn({
        repos,
        child,
        plan: planView(planRecord, conference, inForce, invitees, appointed),
        planRecord,
        invitees,
      });
    });
  } catch (err) {
    if (state.denial !== null) await auditChildDenial(deps.uow, ctx, action, childId, state.denial);
    throw err;
  }
}

/** The child a meeting belongs to and its plan's conference, looked up first (an unknown id is not found, unaudited). */
export async function meetingOwner(
  deps: CoreGroupDeps,
  meetingId: string,
): Promise<{ childId: string; conferenceId: string }> {
  if (!isUuid(meetingId)) throw new NotFoundError('The core group meeting');
  const meeting = await deps.uow.run(({ coreGroups }) => coreGroups.findMeeting(meetingId));
  if (!meeting) throw new NotFoundError('The core group meeting');
  return { childId: meeting.childId, conferenceId: meeting.conferenceId };
}
