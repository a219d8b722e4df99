/** Legal holds: the current ones, one, placing one with a reason and removing one with a reason. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REASON_MAX } from '../../../domain/retention/disposal.ts';
import { DISPOSABLE_KINDS } from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { recordErrors, requestContext, withRules } from '../schemas.ts';
import { OFFICERS, TAGS, readErrors, holdSchema, holdOut } from './schemas.ts';

export async function retentionHoldsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/holds',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.holds',
        summary: 'Current legal holds',
        tags: TAGS,
        response: { 200: z.array(holdSchema), ...readErrors },
      },
    },
    async (request) => (await retention.holds(request.actor!, requestContext(request))).map(holdOut),
  );

  api.get(
    '/retention/holds/:id',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.hold',
        summary: 'One legal hold, current or removed',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: { 200: holdSchema, ...recordErrors },
      },
    },
    async (request) => holdOut(await retention.hold(request.actor!, request.params.id, requestContext(request))),
  );

  api.post(
    '/retention/holds',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.placeHold',
        summary: 'Place a legal hold on a record, with the reason it must be kept',
        description: 'A record already on hold is refused (409). Audited with ids only.',
        tags: TAGS,
        body: z.object({ kind: z.enum(DISPOSABLE_KINDS), itemId: idSchema, reason: z.string().max(REASON_MAX + 1000) }),
        response: { 201: z.object({ id: z.string() }), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const r = await retention.placeHold(request.actor!, request.body, requestContext(request));
        return reply.code(201).send(r);
      }),
  );

  api.post(
    '/retention/holds/:id/removal',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.removeHold',
        summary: 'Remove a legal hold, with the reason it is no longer needed',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ reason: z.string().max(REASON_MAX + 1000) }),
        response: { 204: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await retention.removeHold(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(204).send(null);
      }),
  );
}
