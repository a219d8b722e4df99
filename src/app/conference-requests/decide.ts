import type { Actor } from '../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import { checkDecision } from '../../domain/conference-requests/requests.ts';
import { ConflictError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { SUBJECT_TYPE, audit, withRequest } from './access.ts';
import type { ConferenceRequestView, ConferenceRequestsDeps, DecideConferenceRequestInput } from './use-cases.ts';
import { viewOf } from './views.ts';

export const DECIDED_TEMPLATE = 'conference-request-decided';

/**
 * 002 §1.1: a team manager agrees (convening then starts from the child) or declines the request, with the reasons
 * and the discussion held to resolve the difference; a supported request declined needs why it is the exception.
 * The requester is emailed the decision through the outbox when they have an address, in the same transaction.
 */
export async function decide(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  requestId: string,
  input: DecideConferenceRequestInput,
  ctx: RequestContext,
): Promise<ConferenceRequestView> {
  const { view, messageId } = await withRequest(
    deps.uow,
    actor,
    requestId,
    'decide',
    'conference-request.decide',
    ctx,
    async (repos, r) => {
      if (r.status !== 'awaiting-decision') throw new ConflictError('This request has already been decided');
      const { value, problems } = checkDecision(r.status, r.support, input);
      if (!value) throw new InvalidDetailsError(problems);
      const declined = value.decision === 'decline' ? value : null;
      const decided = await repos.conferenceRequests.decide(r.id, {
        status: declined ? 'declined' : 'agreed',
        declineReasons: declined?.reasons ?? null,
        discussion: declined?.discussion ?? null,
        exceptionReason: declined?.exceptionReason ?? null,
        decidedByUserId: actor.id,
        decidedAt: deps.clock.now(),
      });
      if (!decided) throw new ConflictError('This request has already been decided');
      let queued: string | null = null;
      const child = (await repos.people.findChild(r.childId))!;
      if (r.requesterEmail) {
        const decision = declined
          ? `The request has been declined. The reasons are:\n\n${declined.reasons}` +
            (declined.exceptionReason ? `\n\n${declined.exceptionReason}` : '')
          : 'The request has been agreed. A conference will be arranged and you will be invited to it.';
        ({ messageId: queued } = await deps.mail.queueWithin(repos, {
          template: DECIDED_TEMPLATE,
          to: r.requesterEmail,
          values: {
            requester_name: r.requesterName,
            child_reference: child.localReference,
            requested_on: formatLongDate(londonDateOf(r.recordedAt)),
            decision,
          },
          about: { subjectType: SUBJECT_TYPE, subjectId: r.id, ctx },
        }));
        await repos.conferenceRequests.markRequesterTold(r.id, queued);
      }
      await audit(
        repos,
        ctx,
        'conference-request.decide',
        { type: SUBJECT_TYPE, id: r.id },
        { childId: r.childId, decision: declined ? 'declined' : 'agreed', requesterEmailed: queued !== null },
      );
      const fresh = (await repos.conferenceRequests.find(r.id))!;
      return { view: viewOf(fresh, `${child.givenNames} ${child.familyName}`), messageId: queued };
    },
    { lock: true },
  );
  if (messageId) await deps.mail.dispatch(messageId);
  return view;
}
