/** The chair’s summary (003): worries, positives and changes. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import { requestContext, withRules } from '../schemas.ts';
import { summaryOut } from './mapping.ts';
import { TAGS, WRITE, errors, longText, params, summarySchema } from './schemas.ts';

export function summaryApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/conferences/:id/meeting/summaries',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordSummary',
        summary: 'Record the chair’s summary: worries, positives, changes (a new version)',
        tags: TAGS,
        params,
        body: z.object({
          worries: longText,
          positives: longText,
          changes: longText,
          changeReason: z.string().max(2000).nullish(),
        }),
        response: { 201: summarySchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            summaryOut(
              await meeting.recordSummary(request.actor!, request.params.id, request.body, requestContext(request)),
            ),
          ),
      ),
  );
}
