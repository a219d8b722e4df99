/** The lists of requests to record: a conference's, a child's, and the decision-makers' (T-11, P-3). */
import { type Actor } from '../../domain/access/roles.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import {
  type RecordingPermissionDeps,
  type PermissionRequestView,
  type MeetingRequests,
  type WaitingItem,
} from './use-cases.ts';
import {
  auditingRefusals,
  auditRequest,
  childrenDenial,
  conferenceMeeting,
  requestScope,
  canDecide,
} from './request-access.ts';
import { requestView, candidates } from './request-views.ts';

export async function forConference(
  deps: RecordingPermissionDeps,
  actor: Actor,
  conferenceId: string,
  ctx: RequestContext,
): Promise<MeetingRequests> {
  const action = 'recording-permission.view';
  if (!isUuid(conferenceId)) throw new NotFoundError('The conference');
  const id = conferenceId.toLowerCase();
  return auditingRefusals(deps.uow, ctx, action, { type: 'conference', id }, (deny) =>
    deps.uow.run(async (repos) => {
      const s = await conferenceMeeting(repos, id);
      if (!s) throw new NotFoundError('The conference');
      const denial = await childrenDenial(repos, actor, s.childIds, 'view');
      if (denial) deny(denial);
      const records = await repos.recordingPermission.listForConference(id);
      await auditRequest(repos, ctx, action, { type: 'conference', id }, { requests: records.length });
      return {
        conference: { id, title: s.meeting.title, scheduledDate: s.meeting.date, startTime: s.meeting.time },
        child: null,
        requests: records.map((r) => requestView(deps, r, s.meeting)),
        candidates: await candidates(repos, s.childIds),
        noticeHours: deps.noticeHours,
      };
    }),
  );
}

export async function forChild(
  deps: RecordingPermissionDeps,
  actor: Actor,
  childId: string,
  ctx: RequestContext,
): Promise<MeetingRequests> {
  const action = 'recording-permission.view';
  if (!isUuid(childId)) throw new NotFoundError('The child');
  const id = childId.toLowerCase();
  return auditingRefusals(deps.uow, ctx, action, { type: 'child', id }, (deny) =>
    deps.uow.run(async (repos) => {
      const child = await repos.people.findChild(id);
      if (!child) throw new NotFoundError('The child');
      const denial = await childrenDenial(repos, actor, [id], 'view');
      if (denial) deny(denial);
      // The child's other meetings and its conferences; a conference's request is listed only when the person may
      // see every child in it (a sibling they may not see keeps it off this child's list).
      const records = await repos.recordingPermission.listForChild(id);
      const views: PermissionRequestView[] = [];
      for (const r of records) {
        const scope = await requestScope(repos, r);
        if (r.conferenceId && (await childrenDenial(repos, actor, scope.childIds, 'view'))) continue;
        views.push(requestView(deps, r, scope.meeting));
      }
      await auditRequest(repos, ctx, action, { type: 'child', id }, { requests: views.length });
      return {
        conference: null,
        child: { id, name: `${child.givenNames} ${child.familyName}` },
        requests: views,
        candidates: await candidates(repos, [id]),
        noticeHours: deps.noticeHours,
      };
    }),
  );
}

/** The decision-makers' list: requests waiting (with the time left, T-11) and decisions not yet confirmed (P-3). */
export async function waiting(
  deps: RecordingPermissionDeps,
  actor: Actor,
  ctx: RequestContext,
): Promise<{ waiting: WaitingItem[]; unconfirmed: WaitingItem[] }> {
  return deps.uow.run(async (repos) => {
    const out = { waiting: [] as WaitingItem[], unconfirmed: [] as WaitingItem[] };
    for (const [list, records] of [
      [out.waiting, await repos.recordingPermission.listWaiting()],
      [out.unconfirmed, await repos.recordingPermission.listUnconfirmed()],
    ] as const) {
      for (const r of records) {
        const scope = await requestScope(repos, r).catch(() => null);
        if (!scope) continue;
        // Only requests about children the person may see are listed.
        if (await childrenDenial(repos, actor, scope.childIds, 'view')) continue;
        list.push({ request: requestView(deps, r, scope.meeting), mine: canDecide(actor, scope) });
      }
    }
    out.waiting.sort((a, b) => a.request.meeting.startsAt.getTime() - b.request.meeting.startsAt.getTime());
    await repos.audit.record({
      action: 'recording-permission.waiting.view',
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      outcome: 'success',
      details: { waiting: out.waiting.length, unconfirmed: out.unconfirmed.length },
    });
    return out;
  });
}
