/**
 * Sending a new version to everyone who had the last one, in one step (W-5): a form on the sending page.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bodyOf, idSchema, requestContext } from '../../forms/index.ts';
import { WRITE, conferenceParams, send } from './shared.ts';
import { type SendingPagesOptions, sendingPageKit } from './sending-shared.ts';

export function sendingRedistributeRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  const { load, page, problems } = sendingPageKit(sending);

  app.post('/conferences/:id/documents/sending/redistribute', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = z.object({ draftId: idSchema, issueNumber: z.coerce.number().int().positive() }).safeParse(body);
    const view = await load(request, id);
    return send({
      errors: ids.success ? [] : [{ text: 'Choose a document from the list', href: '#main-content' }],
      call: () => sending.redistribute(request.actor!, id, ids.data!, requestContext(request)),
      // The summary names people, so it is shown here rather than put in a URL.
      next: async (done) => {
        reply.code(200);
        return page(request, reply, await load(request, id), null, {}, [], 400, done);
      },
      problems: problems(null),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, {}, errors, status),
    });
  });
}
