/** The signed notice of intent not to publish or share a recording: attached, confirmed by a secure link, read (P-1). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordingPermissionUseCases } from '../../../app/recording-permission/service.ts';
import { requestContext, withRules } from '../schemas.ts';
import { decode, detailOut, toApi } from './mapping.ts';
import {
  EDIT,
  READ,
  TAGS,
  detailSchema,
  errors,
  fileBase64,
  readErrors,
  requestParams,
  requestSchema,
  version,
} from './schemas.ts';

export function undertakingRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/recording-permission/:requestId/undertaking',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.attachUndertaking',
        summary: 'Attach the signed notice of intent (P-1)',
        description:
          'For a request waiting for it; the request then waits for a decision. A file that is not a PDF, JPEG or PNG is 422.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ file: fileBase64, version }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(
          await service.attachUndertaking(
            request.actor!,
            request.params.requestId,
            { content: decode(request.body.file), version: request.body.version },
            requestContext(request),
          ),
        ),
      ),
  );

  api.post(
    '/recording-permission/:requestId/link',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.sendUndertakingLink',
        summary: 'Email the requester a secure link to confirm the undertaking (P-1)',
        description:
          'For a parent with an email address on the record, while the request waits for the undertaking. The page the link opens sends a one-time code to the same address; only digests of the token and code are kept. A link still working is cancelled.',
        tags: TAGS,
        params: requestParams,
        response: { 200: detailSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(await service.sendUndertakingLink(request.actor!, request.params.requestId, requestContext(request))),
      ),
  );

  api.get(
    '/recording-permission/:requestId/undertaking',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.undertakingFile',
        summary: 'The signed notice of intent, as attached',
        description: 'Audited as a view of sensitive data.',
        tags: TAGS,
        params: requestParams,
        response: {
          200: {
            description: 'The signed notice',
            content: {
              'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
              'image/jpeg': { schema: z.string().meta({ format: 'binary' }) },
              'image/png': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await service.undertakingFile(request.actor!, request.params.requestId, requestContext(request));
      reply.header('Content-Type', file.mediaType);
      reply.header('Content-Length', String(file.size));
      reply.header('Cache-Control', 'no-store');
      const raw: FastifyReply = reply;
      return raw.send(file.stream);
    },
  );
}
