/**
 * The minute taker's and chair's changes to a draft (W-1 … W-4), each at the version last read: its sections, the
 * withholding marks (W-3), the recipients and what is arranged for them (W-4), and sending it to the chair.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { ARRANGEMENT_DETAIL_MAX_LENGTH, ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { SECTION_TEXT_MAX_LENGTH } from '../../../domain/documents/drafting.ts';
import { WITHHOLDING_REASONS } from '../../../domain/documents/withholding.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import {
  DRAFT,
  TAGS,
  draftParams,
  errors,
  savedDraftOut,
  savedDraftSchema,
  version,
  withDocumentRules,
} from './schemas.ts';

const sectionId = z
  .string()
  .regex(/^[a-z0-9-]{1,100}$/, 'A section’s id, as the draft lists it')
  .describe('A section’s id, as the draft lists it');

const withholdingBody = z.object({
  from: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('family') }).describe('Every family member’s copy (parents’ and children’s)'),
    z.object({ kind: z.literal('children') }).describe('Every child’s copy'),
    z
      .object({
        kind: z.literal('people'),
        people: z
          .array(
            z.object({
              id: idSchema.describe('The family member’s invitee id (the draft’s `familyMembers`)'),
              name: z.string().max(200).optional().describe('Ignored: the copy names them as the register does'),
            }),
          )
          .min(1)
          .max(50),
      })
      .describe('Only the named people’s copies (information confidential to one parent)'),
  ]),
  reason: z.enum(WITHHOLDING_REASONS),
  explanation: z.string().max(2_000).optional().describe('The chair’s words on why; never in a family member’s copy'),
});

export function draftChangesApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put(
    '/conferences/:id/documents/drafts/:draftId/sections',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.saveSections',
        summary: 'Save the minute taker’s sections (all of them, or one for autosave)',
        description:
          'At the version last read: if someone has saved the draft since, nothing is saved (409) and the caller reads it again. Text with control characters is 422 on its section. An approved or issued draft cannot be changed (409).',
        tags: TAGS,
        params: draftParams,
        body: z.object({
          version,
          sections: z
            .record(sectionId, z.string().max(SECTION_TEXT_MAX_LENGTH))
            .describe('Text by section id; sections left out are unchanged'),
        }),
        response: { 200: savedDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        return savedDraftOut(
          await documents.saveSections(request.actor!, p.id, p.draftId, request.body, requestContext(request)),
        );
      }),
  );

  api.put(
    '/conferences/:id/documents/drafts/:draftId/withholding',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.setWithholding',
        summary: 'Mark a block as withheld from some family copies (W-3)',
        description:
          'The chair’s marks for one block (one of the draft’s `withholdable`), replacing that block’s marks; an empty list clears them. Professionals’ and agencies’ copies are the full record: nothing is withheld from them.',
        tags: TAGS,
        params: draftParams,
        body: z.object({
          version,
          blockId: z.string().min(1).max(200).describe('One of the draft’s `withholdable` block ids'),
          withholdings: z.array(withholdingBody).max(20),
        }),
        response: { 200: savedDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        const b = request.body;
        const withholdings = b.withholdings.map((w) => ({
          from:
            w.from.kind === 'people'
              ? { kind: 'people' as const, people: w.from.people.map((p) => ({ id: p.id, name: p.name ?? '' })) }
              : w.from,
          reason: w.reason,
          ...(w.explanation === undefined ? {} : { explanation: w.explanation }),
        }));
        return savedDraftOut(
          await documents.setWithholding(
            request.actor!,
            p.id,
            p.draftId,
            { version: b.version, blockId: b.blockId, withholdings },
            requestContext(request),
          ),
        );
      }),
  );

  api.put(
    '/conferences/:id/documents/drafts/:draftId/recipients',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.setRecipients',
        summary: 'The children who receive their own copy, and what is arranged for recipients (W-1, W-4)',
        description:
          'Replaces both lists. Each copy then shows what was arranged for its recipient, and issuing adds one task per arrangement to business support’s dashboard until done.',
        tags: TAGS,
        params: draftParams,
        body: z.object({
          version,
          childRecipientInviteeIds: z.array(idSchema).max(50).describe('Children (invitee ids) who receive a copy'),
          arrangements: z
            .array(
              z.object({
                inviteeId: idSchema,
                kinds: z.array(z.enum(ARRANGEMENT_KINDS)).min(1).max(ARRANGEMENT_KINDS.length),
                language: z.string().max(100).nullable().default(null),
                detail: z.string().max(ARRANGEMENT_DETAIL_MAX_LENGTH).nullable().default(null),
              }),
            )
            .max(100),
        }),
        response: { 200: savedDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        return savedDraftOut(
          await documents.setRecipients(request.actor!, p.id, p.draftId, request.body, requestContext(request)),
        );
      }),
  );

  api.post(
    '/conferences/:id/documents/drafts/:draftId/submit',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentService.submitForApproval',
        summary: 'Send the draft to the chair',
        description:
          'Only a draft being written (409 otherwise) with every required section written (422 naming each empty section).',
        tags: TAGS,
        params: draftParams,
        body: z.object({ version }),
        response: { 200: savedDraftSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const p = request.params;
        return savedDraftOut(
          await documents.submitForApproval(request.actor!, p.id, p.draftId, request.body, requestContext(request)),
        );
      }),
  );
}
