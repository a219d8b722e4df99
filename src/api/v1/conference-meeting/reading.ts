/** Reading the meeting: the conference on the day, and every version of its decisions, plans and summary. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import { requestContext } from '../schemas.ts';
import { decisionOut, meetingOut, planOut, summaryOut } from './mapping.ts';
import { READ, TAGS, decisionSchema, errors, meetingSchema, params, planSchema, summarySchema } from './schemas.ts';

export function readingApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/conferences/:id/meeting',
    {
      config: READ,
      schema: {
        operationId: 'MeetingService.getMeeting',
        summary: 'The conference on the day',
        description:
          'Register, quoracy (Q-1), each child’s latest decision and plan, the summary, and what remains before it can be concluded. Only for someone who may see every child in it; audited.',
        tags: TAGS,
        params,
        response: { 200: meetingSchema, ...errors },
      },
    },
    async (request) => meetingOut(await meeting.getMeeting(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/conferences/:id/meeting/history',
    {
      config: READ,
      schema: {
        operationId: 'MeetingService.getHistory',
        summary: 'Every version of the decisions, plans and summary',
        description: 'Nothing is overwritten: a change after the conference is held is a new version with its reason.',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            decisions: z.array(decisionSchema),
            plans: z.array(planSchema),
            summaries: z.array(summarySchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const h = await meeting.getHistory(request.actor!, request.params.id, requestContext(request));
      return {
        decisions: h.decisions.map(decisionOut),
        plans: h.plans.map(planOut),
        summaries: h.summaries.map(summaryOut),
      };
    },
  );
}
