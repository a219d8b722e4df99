/**
 * Professionals asking for a conference, for integrations (002 §1.1): the same use cases, access rules and audit trail
 * as the pages. A request is recorded for a child, listed with the child's others, read, and decided by a team
 * manager; the team manager's queue lists those waiting. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiOptions } from '../index.ts';
import { requestContext, withRules } from '../schemas.ts';
import { requestOut } from './mapping.ts';
import {
  DECIDE,
  EDIT,
  READ,
  TAGS,
  childParams,
  decisionBody,
  errors,
  newRequestBody,
  readErrors,
  requestParams,
  requestSchema,
} from './schemas.ts';

export async function conferenceRequestsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = services.conferenceRequests;

  api.get(
    '/children/:childId/conference-requests/requesters',
    {
      config: EDIT,
      schema: {
        operationId: 'ConferenceRequestsService.requesterChoices',
        summary: 'The professionals on a child’s record who could have asked for a conference',
        tags: TAGS,
        params: childParams,
        response: {
          200: z.object({
            professionals: z.array(
              z.object({
                professionalId: z.uuid(),
                name: z.string(),
                roleTitle: z.string(),
                agencyName: z.string(),
                hasEmail: z.boolean(),
              }),
            ),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const { professionals } = await service.requesterChoices(
        request.actor!,
        request.params.childId,
        requestContext(request),
      );
      return {
        professionals: professionals.map((p) => ({
          professionalId: p.professionalId,
          name: p.name,
          roleTitle: p.roleTitle,
          agencyName: p.agencyName,
          hasEmail: p.hasEmail,
        })),
      };
    },
  );

  api.get(
    '/children/:childId/conference-requests',
    {
      config: READ,
      schema: {
        operationId: 'ConferenceRequestsService.forChild',
        summary: 'A child’s requests for a conference, newest first (002 §1.1)',
        tags: TAGS,
        params: childParams,
        response: { 200: z.object({ requests: z.array(requestSchema) }), ...readErrors },
      },
    },
    async (request) => ({
      requests: (await service.forChild(request.actor!, request.params.childId, requestContext(request))).map(
        requestOut,
      ),
    }),
  );

  api.post(
    '/children/:childId/conference-requests',
    {
      config: EDIT,
      schema: {
        operationId: 'ConferenceRequestsService.record',
        summary: 'Record a professional’s request for a conference (002 §1.1)',
        description:
          'Who asked (a professional on the child’s record, or their name, agency and role), their concerns, and whether a senior manager, named or designated professional supports it. It waits for a team manager’s decision.',
        tags: TAGS,
        params: childParams,
        body: newRequestBody,
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const r = await service.record(request.actor!, request.params.childId, request.body, requestContext(request));
        return reply.code(201).send(requestOut(r));
      }),
  );

  api.get(
    '/conference-requests/:requestId',
    {
      config: READ,
      schema: {
        operationId: 'ConferenceRequestsService.detail',
        summary: 'A request for a conference',
        tags: TAGS,
        params: requestParams,
        response: { 200: requestSchema.extend({ canDecide: z.boolean() }), ...readErrors },
      },
    },
    async (request) => {
      const r = await service.detail(request.actor!, request.params.requestId, requestContext(request));
      return { ...requestOut(r), canDecide: r.canDecide };
    },
  );

  api.post(
    '/conference-requests/:requestId/decision',
    {
      config: DECIDE,
      schema: {
        operationId: 'ConferenceRequestsService.decide',
        summary: 'A team manager agrees or declines a request for a conference (002 §1.1)',
        description:
          'Declining needs the reasons and the discussion held to resolve the difference; a supported request should normally be agreed, so declining one also needs why it is an exception. The professional is emailed the decision when they have an address. Decided already: 409.',
        tags: TAGS,
        params: requestParams,
        body: decisionBody,
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        requestOut(
          await service.decide(request.actor!, request.params.requestId, request.body, requestContext(request)),
        ),
      ),
  );

  api.get(
    '/conference-requests',
    {
      config: DECIDE,
      schema: {
        operationId: 'ConferenceRequestsService.waiting',
        summary: 'Requests for a conference waiting for a team manager’s decision, oldest first',
        tags: TAGS,
        response: { 200: z.object({ requests: z.array(requestSchema) }), ...readErrors },
      },
    },
    async (request) => ({
      requests: (await service.waiting(request.actor!, requestContext(request))).map(requestOut),
    }),
  );
}
