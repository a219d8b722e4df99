/**
 * The team manager's decision (002 §1.1): agree, and convening starts from the child; or decline with the reasons
 * and the discussion held to resolve the difference, and for a request a senior manager, named or designated
 * professional supports, why it is the exception.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConferenceRequestView } from '../../../app/conference-requests/service.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  readingContext,
  requestContext,
  submit,
} from '../../forms/index.ts';
import { type ConferenceRequestPagesOptions, DECIDE, render, requestHref, requestRows } from './shared.ts';

function decidePage(
  reply: FastifyReply,
  r: ConferenceRequestView,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return render(
    reply,
    'decide.njk',
    'Decide the request for a conference',
    {
      r,
      caption: r.childName,
      backHref: requestHref(r.id),
      action: `${requestHref(r.id)}/decision`,
      rows: requestRows(r),
      values,
    },
    errors,
    status,
  );
}

export function decidePages(app: FastifyInstance, { conferenceRequests }: ConferenceRequestPagesOptions): void {
  app.get('/conference-requests/:requestId/decision', { config: DECIDE }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const r = await conferenceRequests.detail(request.actor!, requestId, requestContext(request));
    if (!r.canDecide) return reply.redirect(requestHref(r.id), 303);
    return decidePage(reply, r, {});
  });

  app.post('/conference-requests/:requestId/decision', { config: DECIDE }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const values = pickValues(bodyOf(request), ['decision', 'reasons', 'discussion', 'exceptionReason']);
    const s = (k: string) => (values[k] as string | undefined) ?? '';
    return submit<ConferenceRequestView, unknown>({
      call: () =>
        conferenceRequests.decide(
          request.actor!,
          requestId,
          {
            decision: s('decision') || undefined,
            reasons: s('reasons'),
            discussion: s('discussion'),
            exceptionReason: s('exceptionReason'),
          },
          requestContext(request),
        ),
      next: (r) => reply.redirect(`${requestHref(r.id)}?done=${r.status.value}`, 303),
      again: async (errors, status) =>
        decidePage(
          reply,
          await conferenceRequests.detail(request.actor!, requestId, readingContext(request)),
          values,
          errors,
          status,
        ),
    });
  });
}
