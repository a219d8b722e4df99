/**
 * The professionals linked to a child's record, for integrations: reading and removing a professional's
 * link, and finding a professional already recorded to link (a POST, so no name is in a URL).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../domain/access/roles.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { TAGS, changes, nameSearch } from './link-schemas.ts';
import { EDIT, errors, idParams, professionalOut, professionalSchema } from './schemas.ts';

const professionalParams = idParams.extend({ professionalId: idSchema.describe('The professional’s id') });

export async function professionalLinksApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
  const actorOf = (request: { actor: Actor | null }) => request.actor!;

  api.get(
    '/children/:id/professionals/:professionalId',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.getChildProfessional',
        summary: 'One professional linked to a child',
        tags: TAGS,
        params: professionalParams,
        response: { 200: professionalSchema, ...errors },
      },
    },
    async (request) =>
      professionalOut(
        await people.getChildProfessional(
          actorOf(request),
          request.params.id,
          request.params.professionalId,
          requestContext(request),
        ),
      ),
  );

  api.delete(
    '/children/:id/professionals/:professionalId',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.removeProfessional',
        summary: 'Remove a professional from a child’s record',
        description: 'The link to this child only. Audited.',
        tags: TAGS,
        params: professionalParams,
        response: { 200: z.object({ removed: z.literal(true) }), ...changes },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { id, professionalId } = request.params;
        await people.removeProfessional(actorOf(request), id, professionalId, requestContext(request));
        return { removed: true as const };
      }),
  );

  api.post(
    '/children/:id/professionals/search',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.searchProfessionals',
        summary: 'Find a professional already recorded, not yet linked to this child',
        description: 'Names containing every word (at most 50). Link one with POST /children/{id}/professionals.',
        tags: TAGS,
        params: idParams,
        body: nameSearch,
        response: { 200: z.object({ results: z.array(professionalSchema) }), ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => ({
        results: (
          await people.searchProfessionals(
            actorOf(request),
            request.params.id,
            request.body.name,
            requestContext(request),
          )
        ).map(professionalOut),
      })),
  );
}
