/** The complaints about a conference (W-7, 002 §3.12): each with what it is about, its stage and outcome. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConferenceComplaints } from '../../../app/complaints/complaint-service.ts';
import { requestContext } from '../../forms/index.ts';
import {
  type ComplaintPagesOptions,
  MANAGE,
  base,
  conferenceParams,
  doneOf,
  heading,
  render,
  rowOf,
} from './shared.ts';

function listPage(reply: FastifyReply, view: ConferenceComplaints, done: string | null) {
  return render(reply, 'list.njk', 'Complaints', {
    ...heading(view),
    done,
    newHref: `${base(view.conference.id)}/new`,
    rows: view.complaints.map((c) => rowOf(c, view.conference.id)),
  });
}

export function listRoutes(app: FastifyInstance, { complaints }: ComplaintPagesOptions): void {
  app.get('/conferences/:id/complaints', { config: MANAGE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await complaints.list(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneOf(request.query));
  });
}
