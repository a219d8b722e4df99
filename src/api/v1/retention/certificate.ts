/** The certificate of a finished destruction: what, when, who proposed and approved, and the SHA-256s. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DISPOSABLE_KINDS } from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { isoDateOf, recordErrors, requestContext } from '../schemas.ts';
import { OFFICERS, TAGS, fileSchema, filesOut } from './schemas.ts';

export async function retentionCertificateApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/proposals/:id/certificate',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.certificate',
        summary: 'The disposal certificate of a finished destruction: what, when, who, and the SHA-256s',
        description: 'Not found until the destruction has finished. Audited.',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: {
          200: z.object({
            reference: z.string(),
            proposedByName: z.string(),
            proposedAt: z.string(),
            approvedByName: z.string(),
            approvedAt: z.string(),
            completedAt: z.string(),
            schedules: z.record(z.string(), z.string()),
            destroyed: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                itemId: z.string(),
                dueOn: isoDateOf('Its retention date'),
                destroyedAt: z.string(),
                files: z.array(fileSchema),
              }),
            ),
            keptOnHold: z.array(z.object({ kind: z.enum(DISPOSABLE_KINDS), itemId: z.string() })),
          }),
          ...recordErrors,
        },
      },
    },
    async (request) => {
      const c = await retention.certificate(request.actor!, request.params.id, requestContext(request));
      return {
        reference: c.reference,
        proposedByName: c.proposedByName,
        proposedAt: c.proposedAt.toISOString(),
        approvedByName: c.approvedByName,
        approvedAt: c.approvedAt.toISOString(),
        completedAt: c.completedAt.toISOString(),
        schedules: c.schedules,
        destroyed: c.destroyed.map((d) => ({
          kind: d.kind,
          itemId: d.itemId,
          dueOn: d.dueOn,
          destroyedAt: d.destroyedAt.toISOString(),
          files: filesOut(d.evidence),
        })),
        keptOnHold: c.keptOnHold.map((k) => ({ kind: k.kind, itemId: k.itemId })),
      };
    },
  );
}
