/** A copy of the original exactly as received, for whoever may export it: checked for fixity first, audited with the reason. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportFileName, exportMediaType } from '../../../app/recordings/export-file.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext } from '../schemas.ts';
import { errors, params, TAGS, withRecordingRules } from './schemas.ts';

/** Who may export the original: the chair, business support, access to records and quality assurance. */
const EXPORT = { access: ['chair', 'business_support', 'access_to_records', 'qa_manager'] as readonly Role[] };

const exportBody = z.object({
  reason: z.string().max(2_000).describe('Why a copy of the original is needed (at most 500 characters); audited'),
});

export async function exportApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { recordings } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.post(
    '/recordings/:id/original',
    {
      config: EXPORT,
      schema: {
        operationId: 'RecordingService.exportOriginal',
        summary: 'Export the original exactly as received (R-3)',
        description: [
          'The chair, business support, access to records or quality assurance, with the reason (audited with the SHA-256 sent). The stored original is checked for fixity first: the file sent is bit for bit the one received, and its SHA-256 is in the `Repr-Digest` header (RFC 9530) so whoever receives it can check it.',
          'A recording not stored is 409; an original that fails its integrity check is not sent (500 `fixity_failed`), and the failure is reported.',
        ].join('\n\n'),
        tags: TAGS,
        params,
        body: exportBody,
        response: {
          200: z.unknown().describe('The original’s bytes, named `recording-<date>-<id>.<extension>`'),
          ...errors,
          500: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRecordingRules(reply, async () => {
        const id = request.params.id;
        let exported;
        try {
          exported = await recordings.exportOriginal(
            actorOf(request),
            requestContext(request),
            id,
            request.body.reason,
          );
        } catch (err) {
          if (err instanceof DomainError && err.code === 'FIXITY_FAILED')
            return reply.code(500).send({ error: 'fixity_failed', message: err.message });
          throw err;
        }
        reply.header('Content-Type', exportMediaType(exported.container));
        reply.header(
          'Content-Disposition',
          `attachment; filename="${exportFileName(id, exported.startedAt, exported.container)}"`,
        );
        reply.header('Content-Length', String(exported.size));
        reply.header('Repr-Digest', `sha-256=:${Buffer.from(exported.sha256, 'hex').toString('base64')}:`);
        reply.header('Cache-Control', 'no-store');
        return reply.send(exported.stream);
      }),
  );
}
