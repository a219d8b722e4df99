/**
 * P-9: every open covert recording incident the person may see, council-wide, at /recording-incidents: the way in
 * for the council's legal advisers, who have no dashboard and see nothing else of a child's record. Chairs and team
 * managers may open it too. The use case checks each incident's children and audits the list.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { type RecordingIncidentPagesOptions, VIEW_COVERT, base, longDate, render } from './shared.ts';

export function openIncidentsRoutes(app: FastifyInstance, { recordingIncidents }: RecordingIncidentPagesOptions): void {
  app.get('/recording-incidents', { config: VIEW_COVERT }, async (request, reply) => {
    const open = await recordingIncidents.openIncidents(request.actor!, requestContext(request));
    return render(reply, 'open-incidents.njk', 'Open covert recording incidents', {
      incidents: open.map((i) => ({
        href: `${base(i.conference.id)}/covert/${i.id}`,
        foundText: longDate(i.foundOn),
        conferenceText: `${i.conference.title} – ${longDate(i.conference.scheduledDate)}`,
        actionCount: i.actionCount,
      })),
    });
  });
}
