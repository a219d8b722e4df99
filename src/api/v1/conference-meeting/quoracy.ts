/** quoracy live from the register, and going ahead without it or adjourning. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { requestContext, withRules } from '../schemas.ts';
import { READ, TAGS, WRITE, errors, isoDate, longText, params, quoracySchema, statusSchema } from './schemas.ts';

export function quoracyApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/conferences/:id/meeting/quoracy',
    {
      config: READ,
      schema: {
        operationId: 'MeetingService.getMeeting.quoracy',
        summary: 'Quoracy (Q-1), live from the register',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            quoracy: quoracySchema,
            agenciesPresent: z.array(z.object({ agencyId: z.uuid(), agencyName: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const v = await meeting.getMeeting(request.actor!, request.params.id, requestContext(request));
      return { quoracy: v.quoracy, agenciesPresent: v.agenciesPresent };
    },
  );

  api.post(
    '/conferences/:id/meeting/proceed-inquorate',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.proceedInquorate',
        summary: 'Go ahead although not quorate (Q-1)',
        description:
          'Exceptional circumstances only, with the chair’s reason. Refused (422) when the conference is quorate.',
        tags: TAGS,
        params,
        body: z.object({ reason: z.string().max(2000) }),
        response: { 200: z.object({ status: statusSchema, proceededInquorateReason: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.proceedInquorate(request.actor!, request.params.id, request.body, requestContext(request)),
      ),
  );

  api.post(
    '/conferences/:id/meeting/adjourn',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.adjournInquorate',
        summary: 'Adjourn an inquorate conference (Q-1)',
        description:
          'Records the immediate safety steps and the new date. It does not book the reconvened conference: convening does, and links it.',
        tags: TAGS,
        params,
        body: z.object({ safetySteps: longText, reconveneDate: isoDate('The date the conference will be reconvened') }),
        response: { 200: z.object({ status: statusSchema, reconveneDate: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.adjournInquorate(
          request.actor!,
          request.params.id,
          { safetySteps: request.body.safetySteps, reconveneDate: request.body.reconveneDate as IsoDate },
          requestContext(request),
        ),
      ),
  );
}
