/** A child's list of conferences, each cancelled one still to be replaced saying by when (T-1, T-2, T-4). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../composition.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { formatClockTime } from '../../../domain/conferences/invitations.ts';
import { idParams, requestContext } from '../../forms/index.ts';
import { stillNeededText } from './convening-view.ts';

export function childConferencesPage(
  app: FastifyInstance,
  { rearrangement }: { rearrangement: Services['rearrangement'] },
): void {
  app.get('/conferences/by-child/:childId', { config: { access: CHILD_RECORD_ROLES } }, async (request, reply) => {
    const { childId } = idParams('childId').parse(request.params);
    const { child, conferences, stillNeeded } = await rearrangement.childConferences(
      request.actor!,
      childId,
      requestContext(request),
    );
    // A cancelled conference whose timescale is still to be met says so (rearrangement-service.ts).
    const needed = new Map(stillNeeded.map((n) => [n.conferenceId, n]));
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
