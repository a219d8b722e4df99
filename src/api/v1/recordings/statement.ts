/** The explanatory statement: pre-filled for confirming, confirmed, and changed as a new version. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import { errors, MANAGE, params, TAGS, withRecordingRules } from './schemas.ts';
import { statementBody } from './bodies.ts';

export async function statementApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.put(
    '/recordings/:id/statement',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.confirmStatement',
        summary: 'Confirm the explanatory statement (R-2)',
        description:
          'Where and when it was made, start and end times, the context, the main speakers with their role or title, and each break with its reason and any change of participants. Every problem is reported on its field (`speakers[0].name`, `breaks[1].reason` …). A confirmed statement is never changed: confirming again makes a new version and needs `changeReason`.',
        tags: TAGS,
        params,
        body: statementBody,
        response: { 200: z.object({ version: z.number().int() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => ({
        version: await recordings.confirmStatement(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.body,
        ),
      })),
  );
}
