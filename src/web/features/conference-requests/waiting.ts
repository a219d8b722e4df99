/** The team manager's queue (002 §1.1): requests for a conference waiting for a decision, oldest first. */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { type ConferenceRequestPagesOptions, DECIDE, render, rowOf } from './shared.ts';

export function waitingPages(app: FastifyInstance, { conferenceRequests }: ConferenceRequestPagesOptions): void {
  app.get('/conference-requests', { config: DECIDE }, async (request, reply) => {
    const list = await conferenceRequests.waiting(request.actor!, requestContext(request));
    return render(reply, 'waiting.njk', 'Requests for a conference waiting for a decision', { rows: list.map(rowOf) });
  });
}
