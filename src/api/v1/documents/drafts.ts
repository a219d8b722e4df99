/**
 * A conference's drafts (W-1 … W-4, R-6): starting a draft, and reading one (its sections with the chair's comments,
 * the withholding marks, recipients, the preview as the document model and as HTML, the recordings to play beside
 * it). The changes to a draft are in draft-changes.ts; the draft's response schema in draft-schemas.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { draftOut, draftSchema } from './draft-schemas.ts';
import {
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  draftParams,
  errors,
  kindSchema,
  readErrors,
  savedDraftOut,
  savedDraftSchema,
  withDocumentRules,
} from './schemas.ts';

export function draftsApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/drafts',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.startDraft',
        summary: 'Start the draft of a document the conference needs',
        description:
          'Business support or a chair. The sections are pre-filled from the conference; a document already started answers its existing draft. A document the conference does not need is 422.',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          kind: kindSchema,
          subjectInviteeId: idSchema
            .nullable()
            .default(null)
            .describe('An exclusion letter: the person excluded (conference invitee id); null for any other kind'),
        }),
        response: { 201: savedDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        reply
          .code(201)
          .send(
            savedDraftOut(
              await documents.startDraft(request.actor!, request.params.id, request.body, requestContext(request)),
            ),
          ),
      ),
  );

  api.get(
    '/conferences/:id/documents/drafts/:draftId',
    {
      config: READ,
      schema: {
        operationId: 'DocumentService.draft',
        summary: 'A draft: its sections and comments, withholdings, recipients, preview and recordings',
        description:
          'The preview is the full record as it stands (the approved document once approved), as the document model and as an HTML fragment. A draft of another conference is 404. Audited as a view of sensitive data.',
        tags: TAGS,
        params: draftParams,
        response: { 200: draftSchema, ...readErrors },
      },
    },
    async (request) => {
      const p = request.params;
      return draftOut(await documents.draft(request.actor!, p.id, p.draftId, requestContext(request)));
    },
  );
}
