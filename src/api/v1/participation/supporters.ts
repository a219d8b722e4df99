/** Friends and supporters the chair bars, and advocates' roles (002 §3.2). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ParticipationService } from '../../../app/participation/service.ts';
import { requestContext, withRules } from '../schemas.ts';
import { participationOut } from './mapping.ts';
import { EDIT, READ, TAGS, errors, inviteeParams, participationSchema } from './schemas.ts';

export function supporterRoutes(app: FastifyInstance, service: ParticipationService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put(
    '/conferences/:id/participation/supporters/:inviteeId/bar',
    {
      config: READ,
      schema: {
        operationId: 'ParticipationService.barSupporter',
        summary: 'The chair bars a friend or supporter from the conference (002 §3.2)',
        description:
          '`reason`: disruptive, risk-to-children or other (with `detail`). Chair only (403 otherwise, audited); a friend or supporter only (422). Someone already recorded as attending is 422: change the register first. Once barred they cannot be recorded as attending. Audited.',
        tags: TAGS,
        params: inviteeParams,
        body: z.object({ reason: z.string().max(40), detail: z.string().max(2_000).default('') }),
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.barSupporter(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );

  api.delete(
    '/conferences/:id/participation/supporters/:inviteeId/bar',
    {
      config: READ,
      schema: {
        operationId: 'ParticipationService.liftBar',
        summary: 'The chair lifts a bar',
        description: 'Chair only (403 otherwise, audited). 404 when they are not barred. Audited.',
        tags: TAGS,
        params: inviteeParams,
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.liftBar(request.actor!, request.params.id, request.params.inviteeId, requestContext(request)),
        ),
      ),
  );

  api.put(
    '/conferences/:id/participation/advocates/:inviteeId',
    {
      config: EDIT,
      schema: {
        operationId: 'ParticipationService.recordAdvocateRole',
        summary: 'An advocate’s role: whom they speak for, and when they found out that view (002 §3.2)',
        description:
          '`speaksFor` is "parent:<inviteeId>" (a parent or carer invited) or "child:<childId>" (a child of the conference). `viewAscertained`: yes (with `viewAscertainedOn`, on or before the conference date) or no. Recording again replaces it. Audited.',
        tags: TAGS,
        params: inviteeParams,
        body: z.object({
          speaksFor: z.string().max(100),
          viewAscertained: z.enum(['yes', 'no']),
          viewAscertainedOn: z.iso.date().nullable().default(null),
          note: z.string().max(2_000).default(''),
        }),
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.recordAdvocateRole(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );
}
