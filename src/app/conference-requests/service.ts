/**
 * Professionals asking for a conference (002 §1.1): staff record a professional's request (who asked, their concerns,
 * whether a senior manager, named or designated professional supports it); a team manager agrees, and convening
 * starts from the child, or declines with the reasons and the discussion held (a supported request should normally
 * be agreed, so declining one needs why it is the exception); the requester is emailed when they have an address.
 * Every view, change and refusal of access is audited, with ids and counts only.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { decide } from './decide.ts';
import { detail, forChild, waiting } from './lists.ts';
import { recordRequest, requesterChoices } from './record-request.ts';
import type { ConferenceRequestsDeps, DecideConferenceRequestInput, NewConferenceRequestInput } from './use-cases.ts';

export type {
  ConferenceRequestView,
  ConferenceRequestsDeps,
  DecideConferenceRequestInput,
  NewConferenceRequestInput,
  RequesterChoice,
} from './use-cases.ts';

export class ConferenceRequestsService {
  private readonly deps: ConferenceRequestsDeps;

  constructor(deps: ConferenceRequestsDeps) {
    this.deps = deps;
  }

  requesterChoices(actor: Actor, childId: string, ctx: RequestContext) {
    return requesterChoices(this.deps, actor, childId, ctx);
  }

  record(actor: Actor, childId: string, input: NewConferenceRequestInput, ctx: RequestContext) {
    return recordRequest(this.deps, actor, childId, input, ctx);
  }

  forChild(actor: Actor, childId: string, ctx: RequestContext) {
    return forChild(this.deps, actor, childId, ctx);
  }

  detail(actor: Actor, requestId: string, ctx: RequestContext) {
    return detail(this.deps, actor, requestId, ctx);
  }

  decide(actor: Actor, requestId: string, input: DecideConferenceRequestInput, ctx: RequestContext) {
    return decide(this.deps, actor, requestId, input, ctx);
  }

  waiting(actor: Actor, ctx: RequestContext) {
    return waiting(this.deps, actor, ctx);
  }
}
