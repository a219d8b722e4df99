/**
 * Recording a copy as posted and emailing a recipient with an account a link to their copy in the service
 * (W-4, W-6, T-6, T-7). The same use cases, access rules and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentSendingUseCases } from '../../../app/documents/sending.ts';
import { requestContext } from '../schemas.ts';
import { DRAFT, TAGS, conferenceParams, errors, withDocumentRules } from './schemas.ts';
import { copyAddress, sendingOut, sendingSchema } from './sending-schemas.ts';

export function sendingCopiesApi(app: FastifyInstance, sending: DocumentSendingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/sendings/posted',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.recordPosted',
        summary: 'Record that a recipient’s copy was posted (W-4, T-6, T-7)',
        description:
          'Business support or a chair. The date must be today or earlier and not before the issue (422). A copy already recorded as posted is 409. Audited.',
        tags: TAGS,
        params: conferenceParams,
        body: copyAddress.extend({ postedOn: z.string().describe('The date posted (YYYY-MM-DD)') }),
        response: { 201: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const s = await sending.recordPosted(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(201).send(sendingOut(s));
      }),
  );

  api.post(
    '/conferences/:id/documents/sendings/email',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.emailLink',
        summary: 'Email a recipient with an account a link to their copy in the service (W-4, W-6)',
        description:
          'Business support or a chair. The email is written to the outbox in the same transaction and says the document is confidential (W-6). A recipient without an account is 422; a link already emailed and not refused is 409. Audited.',
        tags: TAGS,
        params: conferenceParams,
        body: copyAddress,
        response: { 201: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const s = await sending.emailLink(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(201).send(sendingOut(s));
      }),
  );
}
