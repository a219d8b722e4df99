/** The amendment requests about a conference's written record (W-5, T-8): each with its due date and where it stands. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConferenceAmendments } from '../../../app/documents/amendments.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { requestContext } from '../../forms/index.ts';
import { type AmendmentPagesOptions, READ, base, conferenceParams, doneOf, requestModel } from './shared.ts';

function listPage(reply: FastifyReply, view: ConferenceAmendments, done: string | null) {
  return reply.view('amendments/list.njk', {
    title: 'Amendments to the written record',
    done,
    v: view,
    requests: view.requests.map(requestModel),
    documentsHref: `/conferences/${view.conferenceId}/documents`,
    newHref: `${base(view.conferenceId)}/new`,
    conferenceDateText: formatLongDate(view.conferenceDate),
  });
}

export function listRoutes(app: FastifyInstance, { amendments }: AmendmentPagesOptions): void {
  app.get('/conferences/:id/amendments', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await amendments.amendments(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });
}
