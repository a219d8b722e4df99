/**
 * Sending a new version to everyone who had the last one, the way they had it (W-5).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSendingUseCases, Redistribution } from '../../../app/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { DRAFT, TAGS, conferenceParams, errors, withDocumentRules } from './schemas.ts';

const redistributionSchema = z.object({
  draftId: idSchema,
  issueNumber: z.number().int(),
  emailed: z.array(z.string()).describe('Sent now: an email link to their account (by name)'),
  secureLinks: z.array(z.string()).describe('Sent now: a new secure link to the address they confirmed'),
  toPost: z.array(z.string()).describe('Still to post: in the post pack'),
  alreadySent: z.array(z.string()).describe('Already sent this version: not sent again'),
  notOnPrevious: z.array(z.string()).describe('Not sent the previous version: to send one by one'),
});
const redistributionOut = (r: Redistribution) => ({
  draftId: r.draftId,
  issueNumber: r.issueNumber,
  emailed: r.emailed,
  secureLinks: r.secureLinks,
  toPost: r.toPost,
  alreadySent: r.alreadySent,
  notOnPrevious: r.notOnPrevious,
});

export function redistributionApi(app: FastifyInstance, sending: DocumentSendingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/sendings/redistribute',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.redistribute',
        summary: 'Send a new version to everyone who had the last one, the way they had it (W-5)',
        description:
          'Business support or a chair, for the latest issue of a document after the first. Each recipient sent the previous issue gets this one the same way: an email link to their account, a new secure link to the address they confirmed, or a place in the post pack. Nobody is sent it twice: calling again sends only what has not gone. The first issue, or an issue replaced since, is 409. Audited (counts).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          draftId: idSchema.describe('The document’s draft'),
          issueNumber: z.number().int().min(2).describe('The new issue'),
        }),
        response: { 200: redistributionSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        redistributionOut(
          await sending.redistribute(request.actor!, request.params.id, request.body, requestContext(request)),
        ),
      ),
  );
}
