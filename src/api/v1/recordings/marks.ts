/** Bookmarks and withheld parts of a recording: marked on it, never on the original. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import { bookmarkParams, errors, MANAGE, params, segmentParams, TAGS, withRecordingRules } from './schemas.ts';
import { bookmarkBody, withheldBody } from './bodies.ts';

export async function marksApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.post(
    '/recordings/:id/bookmarks',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.addBookmark',
        summary: 'Add a bookmark (agenda item, decision, break, person joined or left, exclusion …)',
        description:
          'Within the recording once it is stored; while it is still being recorded, anywhere. Never changes the original (R-3).',
        tags: TAGS,
        params,
        body: bookmarkBody,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () =>
        reply.code(201).send({
          id: await recordings.addBookmark(actorOf(request), requestContext(request), request.params.id, request.body),
        }),
      ),
  );

  api.delete(
    '/recordings/:id/bookmarks/:bookmarkId',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.removeBookmark',
        summary: 'Remove a bookmark',
        description: 'Audited; the audit trail keeps what it was.',
        tags: TAGS,
        params: bookmarkParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.removeBookmark(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.params.bookmarkId,
        );
        return { removed: true as const };
      }),
  );

  api.post(
    '/recordings/:id/withheld',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.addWithheld',
        summary: 'Mark a part that some people must not hear',
        description:
          'A stored recording only (409 otherwise). Information about another child, police or MARAC information, information confidential to one parent: withheld from every family member, or from the people named. The original is never changed (R-3); a copy for someone is derived from it with these parts silenced.',
        tags: TAGS,
        params,
        body: withheldBody,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () =>
        reply.code(201).send({
          id: await recordings.addWithheld(actorOf(request), requestContext(request), request.params.id, request.body),
        }),
      ),
  );

  api.delete(
    '/recordings/:id/withheld/:segmentId',
    {
      config: MANAGE,
      schema: {
        operationId: 'RecordingService.removeWithheld',
        summary: 'Remove a withheld part marked in error',
        description: 'Audited.',
        tags: TAGS,
        params: segmentParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        await recordings.removeWithheld(
          actorOf(request),
          requestContext(request),
          request.params.id,
          request.params.segmentId,
        );
        return { removed: true as const };
      }),
  );
}
