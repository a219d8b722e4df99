/**
 * Cancelling a download link: business support, the chair and access to records may cancel a
 * live link made for this request, with a reason (the delivery service decides and audits; anyone else
 * who may see the request gets 403). A link of another request, or before sending, is not found.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import { bodyOf, idParams, requestContext, text } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import { ruleErrors } from './forms.ts';
import { renderRequestPage } from './request-page.ts';
import { requestBase, VIEW } from './shared.ts';

/** The error's link: the reason field of this link's own form (an older link's form carries its id). */
function placeOnLink(deliveryId: string) {
  return (errors: FormError[], currentDeliveryId: string | null) => {
    const field = deliveryId === currentDeliveryId ? '#cancel-link-reason' : `#cancel-link-reason-${deliveryId}`;
    return errors.map((e) =>
      e.href === '#main-content'
        ? { ...e, href: `#delivery-${deliveryId}` }
        : e.href === '#cancel-link-reason'
          ? { ...e, href: field }
          : e,
    );
  };
}

export async function cancelLinkRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  const params = idParams('id', 'deliveryId');
  app.post('/requests/:id/deliveries/:deliveryId/cancel', { config: VIEW }, async (request, reply) => {
    const { id, deliveryId } = params.parse(request.params);
    const reason = text(bodyOf(request), 'reason');
    try {
      await requests.cancelLink(request.actor!, id, deliveryId, reason, requestContext(request));
    } catch (err) {
      if (err instanceof NotFoundError) return reply.callNotFound();
      return renderRequestPage(requests, request, reply, id, {
        openStep: 'cancel-link',
        values: { reason, deliveryId },
        errors: ruleErrors(err, 'cancel-link'),
        placeErrors: placeOnLink(deliveryId),
      });
    }
    return reply.redirect(`${requestBase(id)}?done=cancel-link`, 303);
  });
}
