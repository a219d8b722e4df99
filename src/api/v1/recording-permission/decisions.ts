/** Professionals’ views, the decision on a request to record and its confirmation to the requester (P-2, P-3, P-6). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordingPermissionUseCases } from '../../../app/recording-permission/service.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { detailOut, toApi } from './mapping.ts';
import { EDIT, READ, TAGS, detailSchema, errors, requestParams, requestSchema, version } from './schemas.ts';

export function decisionRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/recording-permission/:requestId/views',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.recordView',
        summary: 'Record a professional’s view on recording the conference (P-6)',
        description:
          'A professional invited to the conference agrees or disagrees (with the reason). Where professionals disagree the chair decides. Recording again replaces their view.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ inviteeId: idSchema, view: z.string().max(20), reason: z.string().max(20_000).default('') }),
        response: { 200: detailSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(
          await service.recordView(request.actor!, request.params.requestId, request.body, requestContext(request)),
        ),
      ),
  );

  api.post(
    '/recording-permission/:requestId/decision',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.decide',
        summary: 'Decide a request to record (P-2, P-6)',
        description:
          'By the conference’s chair, or the child’s social worker (or a team manager) for another meeting; anyone else is 403 (audited). A refusal names at least one ground with its evidence and at least one alternative; recording is allowed only once the undertaking is signed. A case note goes on each child’s record.',
        tags: TAGS,
        params: requestParams,
        body: z.object({
          outcome: z.string().max(20),
          grounds: z.array(z.object({ ground: z.string().max(40), evidence: z.string().max(20_000) })).max(10),
          alternatives: z.array(z.string().max(40)).max(10),
          alternativesNote: z.string().max(20_000).default(''),
          reasons: z.string().max(20_000),
          version,
        }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(await service.decide(request.actor!, request.params.requestId, request.body, requestContext(request))),
      ),
  );

  api.post(
    '/recording-permission/:requestId/confirmation',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.confirm',
        summary: 'Confirm the decision to the requester (P-3)',
        description:
          'The letter (in `detail`) is for posting; where the requester has an email address the same wording is emailed. A case note goes on each child’s record. Already confirmed, or not yet decided, is 409.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ version }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(await service.confirm(request.actor!, request.params.requestId, request.body, requestContext(request))),
      ),
  );
}
