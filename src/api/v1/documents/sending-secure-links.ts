/**
 * Sending a secure download link to an address the recipient confirmed, and cancelling it (W-4, W-6, A-5, A-6).
 * The address is never returned or audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSendingUseCases } from '../../../app/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { DRAFT, TAGS, conferenceParams, errors, withDocumentRules } from './schemas.ts';
import { copyAddress, sendingOut, sendingSchema } from './sending-schemas.ts';

export function secureLinksApi(app: FastifyInstance, sending: DocumentSendingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/sendings/secure-link',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.secureLink',
        summary: 'Email a secure download link to an address the recipient confirmed (W-4, W-6, A-5, A-6)',
        description:
          'Business support or a chair. The address must be well formed and given twice the same, and how (in-person, phone, in-writing) and when the recipient confirmed it as theirs and secure are required (422, each problem by field). The email, saying the document is confidential (W-6), is written to the outbox in the same transaction. The page it links to releases the recipient’s own PDFs after a one-time code sent to the same address. A link that still works is 409. The address is never returned or audited.',
        tags: TAGS,
        params: conferenceParams,
        body: copyAddress.extend({
          email: z.string().max(320).describe('The address the recipient confirmed'),
          emailAgain: z.string().max(320).describe('The same address again'),
          confirmedHow: z.string().max(40).describe('in-person, phone or in-writing'),
          confirmedOn: z.string().max(40).describe('The date they confirmed it (YYYY-MM-DD)'),
        }),
        response: { 201: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const s = await sending.secureLink(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(201).send(sendingOut(s));
      }),
  );

  api.post(
    '/conferences/:id/documents/sendings/:sendingId/cancel',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.revokeLink',
        summary: 'Cancel a secure download link at once (A-6)',
        description:
          'Business support or a chair, with the reason (422 without one). The link stops working at once and the copy counts as not sent. A link already cancelled is 409. Audited (ids only).',
        tags: TAGS,
        params: conferenceParams.extend({ sendingId: idSchema.describe('The sending’s id') }),
        body: z.object({ reason: z.string().max(1000).describe('Why the link is cancelled') }),
        response: { 200: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        sendingOut(
          await sending.revokeLink(
            request.actor!,
            request.params.id,
            { sendingId: request.params.sendingId, reason: request.body.reason },
            requestContext(request),
          ),
        ),
      ),
  );
}
