/** The parts of a split conference. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import { requestContext, withRules } from '../schemas.ts';
import { partOut } from './mapping.ts';
import { TAGS, WRITE, errors, params, partParams, partSchema } from './schemas.ts';

const partBody = z.object({
  label: z.string().max(200),
  startOffsetMinutes: z.number().int().describe('Minutes after the conference’s scheduled start'),
  durationMinutes: z.number().int(),
});

export function partsApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/conferences/:id/meeting/parts',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.addPart',
        summary: 'Add a part (split conference)',
        tags: TAGS,
        params,
        body: partBody,
        response: { 201: partSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            partOut(await meeting.addPart(request.actor!, request.params.id, request.body, requestContext(request))),
          ),
      ),
  );

  api.put(
    '/conferences/:id/meeting/parts/:partId',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.changePart',
        summary: 'Change a part',
        description: 'Refused (422) if it would put someone present in two places at once.',
        tags: TAGS,
        params: partParams,
        body: partBody,
        response: { 200: partSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        partOut(
          await meeting.changePart(
            request.actor!,
            request.params.id,
            request.params.partId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );

  api.delete(
    '/conferences/:id/meeting/parts/:partId',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.removePart',
        summary: 'Remove a part with no attendance recorded',
        tags: TAGS,
        params: partParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await meeting.removePart(request.actor!, request.params.id, request.params.partId, requestContext(request));
        return { removed: true as const };
      }),
  );
}
