/** Each child's latest decision and plan, from their latest held conference (D-1, T-3). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { decisionOut, planOut } from './mapping.ts';
import { READ, TAGS, decisionSchema, errors, planSchema } from './schemas.ts';

export function outcomesApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/children/current-outcomes',
    {
      config: READ,
      schema: {
        operationId: 'MeetingService.currentOutcomes',
        summary: 'Each child’s latest decision and plan, from their latest held conference',
        description:
          'A search (so the ids travel in the body): the children named, or every child when `childIds` is left out. Children the caller may not see are left out, as in any search; a child with no held conference has no entry. Audited as `conference.outcomes.view` with the children answered.',
        tags: TAGS,
        body: z.object({ childIds: z.array(idSchema).min(1).max(500).optional() }),
        response: {
          200: z.object({
            outcomes: z.array(
              z.object({
                childId: z.uuid(),
                conferenceId: z.uuid(),
                conferenceType: z.enum(CONFERENCE_TYPES),
                conferenceDate: z.iso.date(),
                decision: decisionSchema,
                plan: planSchema.nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const found = await meeting.currentOutcomes(
        request.actor!,
        request.body.childIds ?? null,
        requestContext(request),
      );
      return {
        outcomes: found.map((o) => ({
          childId: o.childId,
          conferenceId: o.conferenceId,
          conferenceType: o.conferenceType,
          conferenceDate: o.conferenceDate,
          decision: decisionOut(o.decision),
          plan: o.plan ? planOut(o.plan) : null,
        })),
      };
    },
  );
}
