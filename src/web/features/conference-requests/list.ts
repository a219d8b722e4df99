/** A child's requests for a conference (002 §1.1), newest first, with recording a new one. */
import type { FastifyInstance } from 'fastify';
import { idParams, requestContext } from '../../forms/index.ts';
import { type ConferenceRequestPagesOptions, VIEW, childListHref, doneOf, render, rowOf } from './shared.ts';

export function listPages(app: FastifyInstance, { conferenceRequests }: ConferenceRequestPagesOptions): void {
  app.get('/children/:childId/conference-requests', { config: VIEW }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const list = await conferenceRequests.forChild(request.actor!, childId, requestContext(request));
    return render(reply, 'list.njk', 'Requests for a conference', {
      childId,
      newHref: `${childListHref(childId)}/new`,
      rows: list.map(rowOf),
      done: doneOf(request.query),
    });
  });
}
