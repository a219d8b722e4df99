/** A conference's requests for copies of its recording, with the way to record a new one. */
import type { FastifyInstance } from 'fastify';
import type { RequestService } from '../../../app/requests/request-service.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import { summaryRowModel, VIEW } from './shared.ts';

export async function conferenceRequestsRoutes(
  app: FastifyInstance,
  opts: { requests: RequestService },
): Promise<void> {
  const params = idParams('cid');
  app.get('/conferences/:cid/requests', { config: VIEW }, async (request, reply) => {
    const { cid } = params.parse(request.params);
    const { rows, form } = await opts.requests.conferenceRequests(request.actor!, cid, requestContext(request));
    return reply.view('requests/conference-requests.njk', {
      title: 'Requests for copies of the recording',
      conference: form?.conference ?? rows[0]?.conference ?? null,
      conferenceId: cid,
      rows: rows.map(summaryRowModel),
      mayReceive: form !== null,
    });
  });
}
