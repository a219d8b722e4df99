/**
 * The arrangements for recipients (W-4): large print, an interpreter to go through the document, a translation
 * requested. Each stays on business support's dashboard as a task until it is marked done; the open tasks are
 * listed with the conference's documents.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { DRAFT, TAGS, conferenceParams, errors, noBody, withDocumentRules } from './schemas.ts';

export function tasksApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/tasks/:taskId/done',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.completeTask',
        summary: 'Mark an arrangement for a recipient as done (W-4)',
        description:
          'Business support or a chair, with an optional note. A task of another conference, or one already done, is 404. Audited.',
        tags: TAGS,
        params: conferenceParams.extend({ taskId: idSchema.describe('The task’s id') }),
        body: z.object({
          note: z.string().max(2_000).nullable().default(null).describe('What was done, for the record'),
        }),
        response: { 204: noBody('Done'), ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        await documents.completeTask(
          request.actor!,
          p.id,
          p.taskId,
          { note: request.body.note },
          requestContext(request),
        );
        return reply.code(204).send(null);
      }),
  );
}
