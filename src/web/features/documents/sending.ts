/**
 * Sending the issued copies to their recipients, with proof (W-4, W-6, T-6, T-7): the sending page, each issue's
 * recipients, how each copy went and what became of it. Its forms are in the sending-*.ts files beside it; what they
 * share is in sending-shared.ts. The use cases check who may do what and audit it.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { READ, conferenceParams } from './shared.ts';
import { type SendingPagesOptions, sendingPageKit } from './sending-shared.ts';

export type { SendingPagesOptions };

const DONE: Record<string, string> = {
  posted: 'The copy is recorded as posted.',
  emailed: 'The link is emailed. Its state shows here once the mail service has it.',
  'secure-link': 'The secure download link is emailed to the address the recipient confirmed.',
  cancelled: 'The secure link is cancelled: it no longer opens anything.',
};

export function sendingRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
  const { page } = sendingPageKit(sending);

  app.get('/conferences/:id/documents/sending', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await sending.distribution(request.actor!, id, requestContext(request));
    const q = (request.query ?? {}) as Record<string, unknown>;
    return page(request, reply, view, typeof q['done'] === 'string' ? (DONE[q['done']] ?? null) : null);
  });
}
