/**
 * Sending the approved copy: one use case makes the download link (emailed to the address
 * the requester confirmed) and records the request as sent, or does neither and the page says why.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import { REQUEST_STEP_ROLES } from '../../../domain/requests/index.ts';
import { bodyOf, idParams, requestContext, text } from '../../forms/index.ts';
import { ruleErrors } from './forms.ts';
import { renderRequestPage } from './request-page.ts';
import { requestBase } from './shared.ts';

export async function sendRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  const params = idParams('id');
  app.post('/requests/:id/send', { config: { access: REQUEST_STEP_ROLES.send } }, async (request, reply) => {
    const { id } = params.parse(request.params);
    const version = Number.parseInt(text(bodyOf(request), 'version'), 10);
    try {
      await requests.sendCopy(request.actor!, id, version, {}, requestContext(request));
    } catch (err) {
      return renderRequestPage(requests, request, reply, id, {
        openStep: 'send',
        errors: ruleErrors(err).map((e) => ({ ...e, href: '#send' })),
      });
    }
    return reply.redirect(`${requestBase(id)}?done=send`, 303);
  });
}
