/** The agencies professionals belong to, for integrations: listed for everyone who may read records, added by editors. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../../domain/access/roles.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { AGENCY_KINDS } from '../../../domain/people/index.ts';
import { EDIT, VIEW, agencySchema } from './schemas.ts';

export async function agenciesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { people } = services;
  const actorOf = (request: { actor: Actor | null }) => request.actor!;

  api.get(
    '/agencies',
    {
      config: VIEW,
      schema: {
        operationId: 'PeopleService.listAgencies',
        summary: 'List agencies',
        tags: ['agencies'],
        response: { 200: z.object({ agencies: z.array(agencySchema) }), 401: errorResponse, 403: errorResponse },
      },
    },
    async () => ({ agencies: await people.listAgencies() }),
  );

  api.post(
    '/agencies',
    {
      config: EDIT,
      schema: {
        operationId: 'PeopleService.createAgency',
        summary: 'Add an agency',
        tags: ['agencies'],
        body: z.object({ name: z.string().max(200), kind: z.enum(AGENCY_KINDS) }),
        response: {
          201: agencySchema,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          409: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply.code(201).send(await people.createAgency(actorOf(request), request.body, requestContext(request))),
      ),
  );
}
