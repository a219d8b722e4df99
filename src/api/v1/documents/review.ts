/**
 * The chair's review of a draft (W-1, W-2): comments on its sections and resolving them, asking for changes,
 * approving (the document as it stands is kept as the approved one: only an approved document is issued) and
 * reopening an approved document not yet issued. Only the chair approves: the conference's own chair, or any
 * chair when none is named.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommentRecord } from '../../../app/documents/documents-ports.ts';
import type { DocumentUseCases, SavedDraft } from '../../../app/documents/use-cases.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import type { RequestContext } from '../../../app/audit/audit-log.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import {
  CHAIR,
  DRAFT,
  TAGS,
  draftParams,
  errors,
  iso,
  isoOrNull,
  noBody,
  savedDraftOut,
  savedDraftSchema,
  version,
  withDocumentRules,
} from './schemas.ts';

export const commentSchema = z.object({
  id: z.uuid(),
  sectionId: z.string(),
  body: z.string(),
  author: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }),
  createdAt: z.iso.datetime(),
  resolved: z
    .object({ at: z.iso.datetime(), by: z.object({ id: z.uuid().nullable(), name: z.string().nullable() }) })
    .nullable()
    .describe('Null while the comment is open'),
});

export const commentOut = (c: CommentRecord) => ({
  id: c.id,
  sectionId: c.sectionId,
  body: c.body,
  author: { id: c.authorUserId, name: c.authorName },
  createdAt: iso(c.createdAt),
  resolved: c.resolvedAt
    ? { at: isoOrNull(c.resolvedAt)!, by: { id: c.resolvedByUserId, name: c.resolvedByName } }
    : null,
});

type Step = (
  actor: Actor,
  conferenceId: string,
  draftId: string,
  input: { version: number },
  ctx: RequestContext,
) => Promise<SavedDraft>;

export function reviewApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/documents/drafts/:draftId/comments',
    {
      config: CHAIR,
      schema: {
        operationId: 'DocumentService.comment',
        summary: 'Comment on a section of the draft',
        description:
          'The chair’s comment on one of the draft’s sections, for the minute taker. An unknown section is 422.',
        tags: TAGS,
        params: draftParams,
        body: z.object({
          sectionId: z.string().min(1).max(100).describe('One of the draft’s sections'),
          body: z.string().max(5_000),
        }),
        response: { 201: commentSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        const comment = await documents.comment(request.actor!, p.id, p.draftId, request.body, requestContext(request));
        return reply.code(201).send(commentOut(comment));
      }),
  );

  api.post(
    '/conferences/:id/documents/drafts/:draftId/comments/:commentId/resolve',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.resolveComment',
        summary: 'Mark a comment as dealt with',
        description:
          'Business support or a chair, once the comment is dealt with. A comment already resolved, or of another draft, is 404.',
        tags: TAGS,
        params: draftParams.extend({ commentId: idSchema.describe('The comment’s id') }),
        response: { 204: noBody('Resolved'), ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        await documents.resolveComment(request.actor!, p.id, p.draftId, p.commentId, requestContext(request));
        return reply.code(204).send(null);
      }),
  );

  const step = (
    url: string,
    operationId: string,
    summary: string,
    description: string,
    run: (documents: DocumentUseCases) => Step,
  ) =>
    api.post(
      `/conferences/:id/documents/drafts/:draftId/${url}`,
      {
        config: CHAIR,
        schema: {
          operationId,
          summary,
          description,
          tags: TAGS,
          params: draftParams,
          body: z.object({ version }),
          response: { 200: savedDraftSchema, ...errors },
        },
      },
      async (request, reply) =>
        withDocumentRules(reply, async () => {
          const p = request.params;
          const call = run(documents).bind(documents);
          return savedDraftOut(await call(request.actor!, p.id, p.draftId, request.body, requestContext(request)));
        }),
    );

  step(
    'request-changes',
    'DocumentService.requestChanges',
    'Send the draft back to the minute taker with the comments',
    'The chair, while the draft is waiting for them (409 otherwise).',
    (d) => d.requestChanges,
  );
  step(
    'approve',
    'DocumentService.approve',
    'Approve the document',
    'The conference’s chair (any chair when none is named; 403 for anyone else). Every required section must be written (422). The document as it stands is kept as the approved one, and is what is issued.',
    (d) => d.approve,
  );
  step(
    'reopen',
    'DocumentService.reopen',
    'Withdraw the approval of a document not yet issued, so it can be changed',
    'The chair. An issued document is a fixed version and is never changed (409).',
    (d) => d.reopen,
  );
}
