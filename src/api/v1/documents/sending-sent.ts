/**
 * The copy an emailed link opens (W-4, W-6): opened by the recipient it was sent to, it is recorded as opened.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSendingUseCases, SentCopy } from '../../../app/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { READ, TAGS, conferenceParams, readErrors, withDocumentRules } from './schemas.ts';
import { copyFileOut, copyFileSchema } from './sending-schemas.ts';

const sentCopySchema = z.object({
  conferenceId: idSchema,
  sendingId: idSchema,
  title: z.string(),
  recipientName: z.string(),
  issueNumber: z.number().int(),
  copies: z.array(copyFileSchema),
  confidentiality: z.string(),
});
const sentCopyOut = (c: SentCopy) => ({
  conferenceId: c.conferenceId,
  sendingId: c.sendingId,
  title: c.title,
  recipientName: c.recipientName,
  issueNumber: c.issueNumber,
  copies: c.copies.map(copyFileOut),
  confidentiality: c.confidentiality,
});

export function sentCopyApi(app: FastifyInstance, sending: DocumentSendingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/documents/sendings/:sendingId',
    {
      config: READ,
      schema: {
        operationId: 'DocumentSendingService.sentCopy',
        summary: 'The copy an emailed link opens (W-4, W-6)',
        description:
          'The copies sent, to download. Opened by the recipient it was sent to, it is recorded as opened. Audited.',
        tags: TAGS,
        params: conferenceParams.extend({ sendingId: idSchema.describe('The sending’s id') }),
        response: { 200: sentCopySchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        sentCopyOut(
          await sending.sentCopy(request.actor!, request.params.id, request.params.sendingId, requestContext(request)),
        ),
      ),
  );
}
