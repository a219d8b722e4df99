/**
 * sending a new download link for a sent request whose latest link expired or was cancelled before the
 * requester downloaded anything. The page shows every link made for the request and what the new one will allow (the
 * same as the first: a one-time code to the confirmed address, the same expiry and downloads per file); business
 * support gives the reason and the request service makes the link, emails it and records it on the timeline, audited.
 * Anyone else gets 403 (audited); a link of another request is not found.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NewLinkFormView, RequestService } from '../../../app/requests/request-service.ts';
import { REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pageRenderer,
  requestContext,
  submit,
  text,
} from '../../forms/index.ts';
import { deliveryModel } from './delivery-links.ts';
import { requestBase } from './shared.ts';

const render = pageRenderer('requests');
const NEW_LINK = { access: REQUEST_STEP_ROLES['send-new-link'] };
export const newLinkHref = (requestId: string, deliveryId: string) =>
  `${requestBase(requestId)}/deliveries/${deliveryId}/new-link`;

function newLinkPage(
  reply: FastifyReply,
  request: FastifyRequest,
  view: NewLinkFormView,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const links = deliveryModel(view.links, {
    actor: request.actor!,
    state: 'sent',
    currentDeliveryId: view.link.deliveryId,
  });
  return render(
    reply,
    'new-link.njk',
    'Send a new download link',
    {
      view,
      links,
      replaced: links.find((l) => l.id === view.link.deliveryId),
      backHref: `${requestBase(view.requestId)}#delivery-${view.link.deliveryId}`,
      action: newLinkHref(view.requestId, view.link.deliveryId),
      values,
    },
    errors,
    status,
  );
}

export async function newLinkRoutes(app: FastifyInstance, { requests }: { requests: RequestService }): Promise<void> {
  const params = idParams('id', 'deliveryId');
  const url = '/requests/:id/deliveries/:deliveryId/new-link';

  app.get(url, { config: NEW_LINK }, async (request, reply) => {
    const { id, deliveryId } = params.parse(request.params);
    const view = await requests.newLinkForm(request.actor!, id, deliveryId, requestContext(request));
    return newLinkPage(reply, request, view, { reason: '' });
  });

  app.post(url, { config: NEW_LINK }, async (request, reply) => {
    const { id, deliveryId } = params.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { reason: text(body, 'reason', 10_000) };
    const version = Number.parseInt(text(body, 'version'), 10);
    return submit<unknown, unknown>({
      call: () =>
        requests.sendNewLink(
          request.actor!,
          id,
          version,
          { previousDeliveryId: deliveryId, reason: values['reason'] as string },
          requestContext(request),
        ),
      next: () => reply.redirect(`${requestBase(id)}?done=new-link`, 303),
      again: async (errors, status) =>
        newLinkPage(
          reply,
          request,
          await requests.newLinkForm(request.actor!, id, deliveryId, requestContext(request)),
          values,
          errors,
          status,
        ),
      ids: (field) => (field === 'reason' ? 'reason' : 'new-link'),
    });
  });
}
