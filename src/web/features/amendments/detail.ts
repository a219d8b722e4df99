/**
 * An amendment request's page (W-5): where the conference's chair decides each point with reasons, and which then
 * says where the letter giving the requester the decisions stands.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AmendmentRequestView, DecisionResult } from '../../../app/documents/amendments.ts';
import { AMENDMENT_DECISIONS, AMENDMENT_DECISION_LABELS } from '../../../domain/documents/amendments.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  readingContext,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import {
  type AmendmentPagesOptions,
  CHAIR,
  READ,
  TEXT_MAX,
  base,
  doneOf,
  ids,
  requestModel,
  requestParams,
} from './shared.ts';

function requestPage(
  reply: FastifyReply,
  view: AmendmentRequestView,
  values: FormValues,
  done: string | null,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view('amendments/request.njk', {
    title: `Amendment request from ${view.requesterName}`,
    errors,
    done,
    values,
    ...requestModel(view),
    backHref: base(view.conferenceId),
    action: `${base(view.conferenceId)}/${view.id}/decision`,
    decisionItems: (i: number) =>
      AMENDMENT_DECISIONS.map((d) => ({
        value: d,
        text: AMENDMENT_DECISION_LABELS[d],
        checked: values[`decisions-${i}-decision`] === d,
      })),
  });
}

export function detailRoutes(app: FastifyInstance, { amendments }: AmendmentPagesOptions): void {
  app.get('/conferences/:id/amendments/:requestId', { config: READ }, async (request, reply) => {
    const { id, requestId } = requestParams.parse(request.params);
    const view = await amendments.request(request.actor!, id, requestId, requestContext(request));
    return requestPage(reply, view, {}, doneOf(request.query));
  });

  app.post('/conferences/:id/amendments/:requestId/decision', { config: CHAIR }, async (request, reply) => {
    const { id, requestId } = requestParams.parse(request.params);
    const body = bodyOf(request);
    const view = await amendments.request(request.actor!, id, requestId, readingContext(request));
    const values: FormValues = {};
    const decisions = view.points.map((_, i) => {
      const decision = text(body, `decisions-${i}-decision`, 30);
      const reasons = text(body, `decisions-${i}-reasons`, TEXT_MAX + 1);
      values[`decisions-${i}-decision`] = decision;
      values[`decisions-${i}-reasons`] = reasons;
      return { decision: decision as never, reasons };
    });
    const version = text(body, 'version', 12);
    return submit<DecisionResult, unknown>({
      errors: /^\d{1,9}$/.test(version)
        ? []
        : [{ text: 'Reload the page: the form was incomplete', href: '#main-content' }],
      call: () =>
        amendments.decide(
          request.actor!,
          id,
          requestId,
          { version: Number(version), decisions },
          requestContext(request),
        ),
      next: (r) => reply.redirect(`${base(id)}/${requestId}?done=${r.newIssueNumber ? 'new-version' : 'decided'}`, 303),
      again: async (errors, status) => {
        const now =
          status === 409 ? await amendments.request(request.actor!, id, requestId, readingContext(request)) : view;
        return requestPage(reply, now, values, null, errors, status);
      },
      ids,
    });
  });
}
