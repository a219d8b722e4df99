/**
 * Recording gone wrong at a conference (P-8, P-9): what happened with anyone recording against the parents' wishes,
 * and, for chairs and team managers, the covert recording incidents with their state.
 */
import type { FastifyInstance } from 'fastify';
import type { ConferenceRecordingIncidents } from '../../../app/recording-incidents/recording-incident-service.ts';
import { requestContext } from '../../forms/index.ts';
import {
  READ,
  type RecordingIncidentPagesOptions,
  base,
  conferenceParams,
  doneOf,
  heading,
  longDate,
  render,
} from './shared.ts';

export function unpermittedRows(view: Pick<ConferenceRecordingIncidents, 'unpermitted'>) {
  return view.unpermitted.map((u) => ({
    ...u,
    steps: [
      `Asked to stop at ${u.askedToStopAt}`,
      ...(u.meetingHaltedAt ? [`meeting halted at ${u.meetingHaltedAt}`] : []),
      ...(u.askedToLeaveAt ? [`asked to leave at ${u.askedToLeaveAt}`] : []),
    ].join(', '),
    endedText: `${u.outcome.label} (${u.outcomeAt})`,
  }));
}

export function overviewRoutes(app: FastifyInstance, { recordingIncidents }: RecordingIncidentPagesOptions): void {
  app.get('/conferences/:id/recording-incidents', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await recordingIncidents.overview(request.actor!, id, requestContext(request));
    return render(reply, 'overview.njk', 'Recording without permission', {
      ...heading(view),
      done: doneOf(request.query),
      can: view.can,
      unpermitted: unpermittedRows(view),
      covert: (view.covert ?? []).map((c) => ({
        ...c,
        href: `${base(id)}/covert/${c.id}`,
        foundText: longDate(c.foundOn),
        childrenText: c.children.map((k) => k.name).join(', '),
        stateText: c.open ? 'Open' : `Closed ${longDate(c.closedOn)}`,
      })),
      newUnpermittedHref: `${base(id)}/unpermitted/new`,
      newCovertHref: `${base(id)}/covert/new`,
    });
  });
}
