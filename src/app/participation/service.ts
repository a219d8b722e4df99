/**
 * Participation in a conference (002 §3.2, §3.3, 001): whether each child attends, decided before the conference with
 * the seed's questions, the advice of the chair and the social worker and the child's own wish (a child's refusal is
 * respected, and their views reach the conference another way, checked by the chair); friends and supporters the
 * chair bars, and the role of an advocate; parents' own reports and the help offered so they can take part. The
 * criteria for excluding a parent are recorded with the exclusion itself (MeetingService.recordExclusion). Every
 * view, change and refusal is audited, with ids only.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { AdvocateRoleInput } from '../../domain/participation/supporters.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { type ChildAttendanceRequest, checkChildViews, recordChildAttendance } from './child-attendance.ts';
import { type ParentReportInput, addParentReport, openParentReport, recordHelp } from './parent-reports.ts';
import type { ParticipationDeps } from './shared.ts';
import { barSupporter, liftBar, recordAdvocateRole } from './supporters.ts';
import { overview } from './views.ts';

export {
  MAX_PARENT_REPORT_BYTES,
  PARENT_REPORT_MEDIA_TYPES,
  detectParentReportFormat,
  type ParentReportInput,
} from './parent-reports.ts';
export type { ChildAttendanceRequest } from './child-attendance.ts';
export type { ParticipationDeps } from './shared.ts';
export type {
  ParentReportView,
  ParticipationChild,
  ParticipationParent,
  ParticipationSupporter,
  ParticipationView,
} from './views.ts';

export class ParticipationService {
  private readonly deps: ParticipationDeps;

  constructor(deps: ParticipationDeps) {
    this.deps = deps;
  }

  /** The conference's participation: children, supporters and advocates, parents' help and reports. */
  overview(actor: Actor, conferenceId: string, ctx: RequestContext) {
    return overview(this.deps, actor, conferenceId, ctx);
  }

  /** 002 §3.2: whether the child attends; a child's refusal is respected. */
  recordChildAttendance(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: ChildAttendanceRequest,
    ctx: RequestContext,
  ) {
    return recordChildAttendance(this.deps, actor, conferenceId, childId, input, ctx);
  }

  /** 002 §3.2: the chair confirms the views of a child who does not attend reached the conference. */
  checkChildViews(actor: Actor, conferenceId: string, childId: string, ctx: RequestContext) {
    return checkChildViews(this.deps, actor, conferenceId, childId, ctx);
  }

  /** 002 §3.2: the chair bars a friend or supporter, with the reason. */
  barSupporter(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: { reason: unknown; detail: string | null | undefined },
    ctx: RequestContext,
  ) {
    return barSupporter(this.deps, actor, conferenceId, inviteeId, input, ctx);
  }

  liftBar(actor: Actor, conferenceId: string, inviteeId: string, ctx: RequestContext) {
    return liftBar(this.deps, actor, conferenceId, inviteeId, ctx);
  }

  /** 002 §3.2: whom an advocate speaks for, and when they found out that person's view. */
  recordAdvocateRole(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: AdvocateRoleInput,
    ctx: RequestContext,
  ) {
    return recordAdvocateRole(this.deps, actor, conferenceId, inviteeId, input, ctx);
  }

  /** 002 §3.2, 001: a parent's own report, a file or typed text. */
  addParentReport(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: ParentReportInput,
    ctx: RequestContext,
  ) {
    return addParentReport(this.deps, actor, conferenceId, inviteeId, input, ctx);
  }

  openParentReport(actor: Actor, conferenceId: string, reportId: string, ctx: RequestContext) {
    return openParentReport(this.deps, actor, conferenceId, reportId, ctx);
  }

  /** 002 §3.2: help offered or arranged for a parent, and who arranges it. */
  recordHelp(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    input: {
      kind: unknown;
      status: unknown;
      arrangedBy: string | null | undefined;
      details: string | null | undefined;
    },
    ctx: RequestContext,
  ) {
    return recordHelp(this.deps, actor, conferenceId, inviteeId, input, ctx);
  }

  /** Stored files of parents' reports (the blob sweep keeps them). Keys only; not audited. */
  referencedBlobKeys(): Promise<string[]> {
    return this.deps.uow.run((repos) => repos.participation.referencedBlobKeys());
  }
}
