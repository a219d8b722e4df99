import type { FastifyInstance } from 'fastify';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { formatClockTime } from '../../../domain/conferences/invitations.ts';
import { requestContext } from '../../forms/index.ts';
import type { FeatureOptions } from '../index.ts';
import { childParam, idParam } from './convening-forms.ts';
import { lifecyclePageView, stillNeededText } from './change-view.ts';
import { conferencePageView } from './convening-view.ts';

const VIEW = { access: CHILD_RECORD_ROLES };

/** A conference's page (audited as `conference.view`) and a child's list of conferences. */
export async function conferenceRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening, rearrangement, recordings } = opts.services;

  app.get('/conferences/:id', { config: VIEW }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const overview = await convening.getConference(request.actor!, id, requestContext(request));
    // Changes, cancellation and how each invitation went (rearrangement-service.ts).
    const life = lifecyclePageView(
      overview,
      await rearrangement.lifecycle(request.actor!, id, requestContext(request)),
      request.actor!,
    );
    const page = conferencePageView(overview, request.actor!);
    // The conference's recordings by the names that tell them apart (those not stored are on the recordings page).
    const recordingList = (await recordings.listForConference(request.actor!, requestContext(request), id))
      .filter((r) => r.status !== 'rejected')
      .map((r) => ({ href: `/recordings/${r.id}`, name: r.name, stored: r.status === 'stored' }));
    return reply.view('conferences/convening/conference.njk', {
      title: overview.typeLabel,
      ...page,
      invitees: life.withSending(page.invitees),
      life,
      recordingList,
    });
  });

  app.get('/conferences/by-child/:childId', { config: VIEW }, async (request, reply) => {
    const { childId } = childParam.parse(request.params);
    const { child, conferences } = await convening.listChildConferences(
      request.actor!,
      childId,
      requestContext(request),
    );
    // A cancelled conference whose timescale is still to be met says so (rearrangement-service.ts).
    const needed = new Map(
      (await rearrangement.stillNeededForChild(request.actor!, childId, requestContext(request))).map((n) => [
        n.conferenceId,
        n,
      ]),
    );
    return reply.view('conferences/convening/child-conferences.njk', {
      title: `Conferences for ${child.givenNames} ${child.familyName}`,
      childId,
      conferences: conferences.map((l) => {
        const n = needed.get(l.id);
        return {
          ...l,
          when: `${formatLongDate(l.scheduledDate)}, ${formatClockTime(l.startTime)}`,
          statusLabel: n
            ? `${l.statusLabel}: a new conference is still needed, ${stillNeededText(n.deadline)}`
            : l.statusLabel,
        };
      }),
    });
  });
}
