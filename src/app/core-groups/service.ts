/**
 * Core groups (002 §3.7, §3.10, §3.11): the meetings of the professionals and family members named in a child's plan,
 * from the first core group on the date the conference set, each with its chair, attendance, progress on the plan's
 * actions and notes, changed afterwards only with a reason; when the next one is due; and the lead social worker a
 * team manager appoints where the conference could not. One file per use case; access and audit in access.ts.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { appointLead } from './lead.ts';
import { record } from './record.ts';
import { schedule } from './schedule.ts';
import type { CoreGroupDeps, CoreGroupUseCases, RecordRequest, ScheduleRequest } from './use-cases.ts';
import { forChild, meeting } from './views.ts';

export type * from './use-cases.ts';

export class CoreGroupService implements CoreGroupUseCases {
  private readonly deps: CoreGroupDeps;

  constructor(deps: CoreGroupDeps) {
    this.deps = deps;
  }

  forChild(actor: Actor, childId: string, ctx: RequestContext) {
    return forChild(this.deps, actor, childId, ctx);
  }

  meeting(actor: Actor, meetingId: string, ctx: RequestContext) {
    return meeting(this.deps, actor, meetingId, ctx);
  }

  schedule(actor: Actor, childId: string, input: ScheduleRequest, ctx: RequestContext) {
    return schedule(this.deps, actor, childId, input, ctx);
  }

  record(actor: Actor, meetingId: string, input: RecordRequest, ctx: RequestContext) {
    return record(this.deps, actor, meetingId, input, ctx);
  }

  appointLead(actor: Actor, childId: string, input: { userId: string }, ctx: RequestContext) {
    return appointLead(this.deps, actor, childId, input, ctx);
  }
}
