/**
 * Requests to record a meeting (004, 001, 002 §3.10): recorded by the conference team or the social worker with who
 * asked (P-1; anyone else is refused at once with the reason), when and how, why, and the signed undertaking not to
 * publish or share the recording (an uploaded notice of intent, or the form confirmed by the requester through a
 * secure link with a one-time code). A request made less than the council's notice before the meeting (T-11) is
 * accepted but flagged, and the decision-maker is emailed. The decision (the conference's chair, or the social
 * worker for another meeting) is made against the refusal grounds, each with its evidence (P-2); a refusal offers
 * what meets the need instead. Where professionals disagree about recording a conference, each view is recorded
 * and the chair decides (P-6). The decision goes on each child's record as a case note and is confirmed to the
 * requester by letter and, where they have an email address, by email (P-3). Every view, change and refusal of
 * access is audited, with ids and counts only.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { confirm, decide, recordView } from './decision.ts';
import { forChild, forConference, waiting } from './lists.ts';
import { recordRequest } from './record-request.ts';
import { detail } from './request-views.ts';
import { attachUndertaking, sendUndertakingLink, undertakingFile } from './undertaking.ts';
import type {
  DecisionRequest,
  MeetingRef,
  NewPermissionRequestInput,
  RecordingPermissionDeps,
  RecordingPermissionUseCases,
} from './use-cases.ts';

export { PERMISSION_NOTE_KIND } from './request-access.ts';
export {
  MAX_UNDERTAKING_BYTES,
  UNDERTAKING_LINK_DAYS,
  UNDERTAKING_LINK_PATH,
  UNDERTAKING_MEDIA_TYPES,
  detectUndertakingFormat,
} from './undertaking.ts';
export type {
  DecisionRequest,
  MeetingRef,
  MeetingRequests,
  MeetingView,
  NewPermissionRequestInput,
  PermissionRequestDetail,
  PermissionRequestView,
  ProfessionalViewLine,
  RecordingPermissionDeps,
  RecordingPermissionUseCases,
  RequesterCandidates,
  WaitingItem,
} from './use-cases.ts';

/**
 * The use cases, one file per group: the lists (lists.ts), recording a request (record-request.ts), the undertaking
 * (undertaking.ts), professionals' views, the decision and its confirmation (decision.ts), and what is shown of a
 * request (request-views.ts), all over the per-child access check and audit of request-access.ts.
 */
export class RecordingPermissionService implements RecordingPermissionUseCases {
  private readonly deps: RecordingPermissionDeps;

  constructor(deps: RecordingPermissionDeps) {
    this.deps = deps;
  }

  forConference(actor: Actor, conferenceId: string, ctx: RequestContext) {
    return forConference(this.deps, actor, conferenceId, ctx);
  }

  forChild(actor: Actor, childId: string, ctx: RequestContext) {
    return forChild(this.deps, actor, childId, ctx);
  }

  record(actor: Actor, meeting: MeetingRef, input: NewPermissionRequestInput, ctx: RequestContext) {
    return recordRequest(this.deps, actor, meeting, input, ctx);
  }

  detail(actor: Actor, requestId: string, ctx: RequestContext) {
    return detail(this.deps, actor, requestId, ctx);
  }

  attachUndertaking(
    actor: Actor,
    requestId: string,
    input: { content: Uint8Array | null; version: number },
    ctx: RequestContext,
  ) {
    return attachUndertaking(this.deps, actor, requestId, input, ctx);
  }

  undertakingFile(actor: Actor, requestId: string, ctx: RequestContext) {
    return undertakingFile(this.deps, actor, requestId, ctx);
  }

  recordView(
    actor: Actor,
    requestId: string,
    input: { inviteeId: string; view: string; reason: string },
    ctx: RequestContext,
  ) {
    return recordView(this.deps, actor, requestId, input, ctx);
  }

  decide(actor: Actor, requestId: string, input: DecisionRequest, ctx: RequestContext) {
    return decide(this.deps, actor, requestId, input, ctx);
  }

  confirm(actor: Actor, requestId: string, input: { version: number }, ctx: RequestContext) {
    return confirm(this.deps, actor, requestId, input, ctx);
  }

  sendUndertakingLink(actor: Actor, requestId: string, ctx: RequestContext) {
    return sendUndertakingLink(this.deps, actor, requestId, ctx);
  }

  waiting(actor: Actor, ctx: RequestContext) {
    return waiting(this.deps, actor, ctx);
  }
}
