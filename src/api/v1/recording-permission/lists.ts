/** The requests to record a conference or another meeting about a child, and those waiting (P-1, P-3, T-11). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordingPermissionUseCases } from '../../../app/recording-permission/service.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext } from '../schemas.ts';
import { listOut, toApi } from './mapping.ts';
import { READ, TAGS, listSchema, readErrors, requestSchema } from './schemas.ts';

export function listRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.forConference',
        summary: 'The requests to record a conference (P-1, T-11)',
        description: 'Oldest asked first, with who may be named as the requester. Audited.',
        tags: TAGS,
        params: z.object({ id: idSchema.describe('The conference’s id') }),
        response: { 200: listSchema, ...readErrors },
      },
    },
    async (request) => listOut(await service.forConference(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/children/:childId/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.forChild',
        summary: 'The requests to record a core group, child in need or other meeting about a child (P-1, T-11)',
        description: 'Oldest asked first. Audited.',
        tags: TAGS,
        params: z.object({ childId: idSchema.describe('The child’s id') }),
        response: { 200: listSchema, ...readErrors },
      },
    },
    async (request) => listOut(await service.forChild(request.actor!, request.params.childId, requestContext(request))),
  );

  api.get(
    '/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.waiting',
        summary: 'Requests to record waiting for a decision, and decisions not yet confirmed (T-11, P-3)',
        description:
          'Only requests about children the caller may see; `mine` marks those the caller is to decide. Waiting requests come soonest meeting first, with the time left.',
        tags: TAGS,
        response: {
          200: z.object({
            waiting: z.array(z.object({ request: requestSchema, mine: z.boolean() })),
            unconfirmed: z.array(z.object({ request: requestSchema, mine: z.boolean() })),
          }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async (request) => {
      const v = await service.waiting(request.actor!, requestContext(request));
      return {
        waiting: v.waiting.map((w) => ({ request: toApi(w.request), mine: w.mine })),
        unconfirmed: v.unconfirmed.map((w) => ({ request: toApi(w.request), mine: w.mine })),
      };
    },
  );
}
