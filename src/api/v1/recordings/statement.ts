/** The explanatory statement: pre-filled for confirming, confirmed, and changed as a new version. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import {
  errors,
  MANAGE,
  params,
  readErrors,
  statementContent,
  statementSchema,
  TAGS,
  withRecordingRules,
} from './schemas.ts';
import { statementContentOut, statementOut } from './out.ts';
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

  api.get(
    '/recordings/:id/statement',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.draftStatement',
        summary: 'The explanatory statement to confirm (R-2)',
        description:
          'Chair or business support. The statement in force once one is confirmed; before that, a draft filled in from the conference (venue, date, start and end times, those present as speakers) and the recording’s breaks, to check and send back with `PUT`.',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            draft: statementContent.describe('What to confirm: the latest confirmed version, or the pre-filled draft'),
            confirmed: statementSchema.nullable().describe('The version in force; null until one is confirmed'),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const { draft, confirmed } = await recordings.draftStatement(
        actorOf(request),
        requestContext(request),
        request.params.id,
      );
      return { draft: statementContentOut(draft), confirmed: confirmed ? statementOut(confirmed) : null };
    },
  );
}
