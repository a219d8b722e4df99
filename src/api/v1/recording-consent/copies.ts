/** Copies of the family’s recording handed over: stored encrypted, marked as theirs, downloaded (P-7). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_FAMILY_COPY_BYTES } from '../../../domain/recording-consent/consent.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { copyOut } from './mapping.ts';
import { READ, REGISTER, TAGS, conferenceParams, copySchema, errors, readErrors, requestKey } from './schemas.ts';
import type { RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';

export function copiesRoutes(app: FastifyInstance, consent: RecordingConsentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // The recording is the body, read into memory up to the limit: its type is decided from its content.
  void app.register(async (upload) => {
    upload.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    upload.withTypeProvider<ZodTypeProvider>().post(
      '/conferences/:id/recording-consent/copies',
      {
        config: REGISTER,
        bodyLimit: MAX_FAMILY_COPY_BYTES,
        schema: {
          operationId: 'RecordingConsentService.storeCopy',
          summary: 'Store a copy of the family’s recording handed over (P-7)',
          description:
            'The recording as the body (`Content-Type: application/octet-stream`, at most 200 MB, 413 otherwise): MP3, M4A, WAV, OGG, WebM or AMR, decided from its content. Stored encrypted like every recording, marked as the family’s and never the official record; never offered through requests for copies of recordings. Every problem is answered at once (422). Audited.',
          tags: TAGS,
          params: conferenceParams,
          querystring: z.object({
            request: requestKey,
            handedOverOn: z.string().max(10).describe('The date it was handed over, YYYY-MM-DD'),
            handedOverBy: z.string().max(200).describe('Who handed it over'),
          }),
          consumes: ['application/octet-stream'],
          response: { 201: copySchema, ...errors, 413: errorResponse },
        },
      },
      async (request, reply) =>
        withRules(reply, async () => {
          const content = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : null;
          const saved = await consent.storeCopy(
            request.actor!,
            request.params.id,
            { ...request.query, content },
            requestContext(request),
          );
          return reply.code(201).send(copyOut(saved));
        }),
    );
  });

  api.get(
    '/conferences/:id/recording-consent/copies/:copyId',
    {
      config: READ,
      schema: {
        operationId: 'RecordingConsentService.openCopy',
        summary: 'Download a copy of the family’s recording (P-7)',
        description:
          'Decrypted for someone who may see the conference and open the family’s recording (chairs, business support, team managers, quality assurance, social workers); the file name says it is not the official record. Every download is audited.',
        tags: TAGS,
        params: conferenceParams.extend({ copyId: idSchema.describe('The copy’s id') }),
        response: {
          200: {
            description: 'The family’s recording',
            content: Object.fromEntries(
              ['audio/mpeg', 'audio/mp4', 'audio/wav', 'audio/ogg', 'audio/webm', 'audio/amr'].map((t) => [
                t,
                { schema: z.string().meta({ format: 'binary', description: 'The recording as handed over' }) },
              ]),
            ),
          },
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await consent.openCopy(
        request.actor!,
        request.params.id,
        request.params.copyId,
        requestContext(request),
      );
      reply.header('Content-Type', file.mediaType);
      reply.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
      reply.header('Content-Length', String(file.size));
      reply.header('Cache-Control', 'no-store');
      const raw: FastifyReply = reply;
      return raw.send(file.stream);
    },
  );
}
