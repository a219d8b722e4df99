/**
 * The request's page (A-1 … A-10): its state, deadline, referral, timeline, download links and the
 * form for each step the person may take. Read with one use case in one transaction; a step's form
 * that failed is shown open again with its answers and errors (400).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import type { RequestState } from '../../../domain/requests/index.ts';
import { idParams, readingContext, text, type FormValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { deliveryModel } from './delivery-links.ts';
import { DONE, requestModel, VIEW } from './shared.ts';

export interface RequestPageState {
  /** The step whose form is shown open (its id on the page). */
  openStep?: string;
  values?: FormValues;
  errors?: FormError[];
  done?: string | null;
  /** Moves an error onto the field it belongs to once the page's request is known (a link's own form). */
  placeErrors?: (errors: FormError[], currentDeliveryId: string | null) => FormError[];
}

/** Renders the request's page; with errors, as a 400 with the step's form open. */
export async function renderRequestPage(
  requests: RequestService,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  o: RequestPageState = {},
) {
  const { view, deliveries } = await requests.page(request.actor!, id, readingContext(request));
  const errors = o.placeErrors ? o.placeErrors(o.errors ?? [], view.delivery?.deliveryId ?? null) : (o.errors ?? []);
  if (errors.length) reply.code(400);
  return reply.view('requests/request.njk', {
    deliveries: deliveryModel(deliveries, {
      actor: request.actor!,
      state: view.state as RequestState,
      currentDeliveryId: view.delivery?.deliveryId ?? null,
    }),
    title: `Request ${view.reference}`,
    ...requestModel(view),
    errors,
    openStep: o.openStep ?? null,
    values: o.values ?? {},
    done: o.done ?? null,
    // Both services are always composed; the template still says so plainly were either missing.
    copyServiceReady: true,
    deliveryReady: true,
  });
}

export async function requestPageRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const params = idParams('id');
  app.get('/requests/:id', { config: VIEW }, async (request, reply) => {
    const { id } = params.parse(request.params);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    return renderRequestPage(opts.requests, request, reply, id, {
      done: Object.hasOwn(DONE, doneKey) ? DONE[doneKey] : null,
    });
  });
}
