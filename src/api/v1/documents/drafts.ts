/**
 * A conference's drafts (W-1 … W-4, R-6): starting a draft; reading one
 * (its sections with the chair's comments, the withholding marks, recipients, the preview as the document model
 * and as HTML, the recordings to play beside it); and the minute taker's and chair's changes to it, each at the
 * version last read.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DocumentUseCases, DraftView } from '../../../app/documents/use-cases.ts';
import { ARRANGEMENT_DETAIL_MAX_LENGTH, ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { SECTION_TEXT_MAX_LENGTH } from '../../../domain/documents/drafting.ts';
import { WITHHOLDING_REASONS } from '../../../domain/documents/withholding.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { commentOut, commentSchema } from './review.ts';
import { documentOut, documentSchema, withholdingOut, withholdingSchema } from './preview.ts';
import {
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  draftParams,
  draftStatusSchema,
  errors,
  iso,
  isoOrNull,
  kindSchema,
  readErrors,
  savedDraftOut,
  savedDraftSchema,
  version,
  withDocumentRules,
} from './schemas.ts';

// ------------------------------------------------------------------ the conference's documents

const arrangementSchema = z.object({
  inviteeId: z.uuid(),
  kinds: z.array(z.enum(ARRANGEMENT_KINDS)),
  language: z.string().nullable().describe('The language for an interpreter or a translation'),
  detail: z.string().nullable(),
});

const draftSchema = z.object({
  id: z.uuid(),
  conferenceId: z.uuid(),
  kind: kindSchema,
  label: z.string(),
  subjectInviteeId: z
    .uuid()
    .nullable()
    .describe('An exclusion letter’s excluded person, an amendment decision letter’s requester; null otherwise'),
  amendmentRequestId: z
    .uuid()
    .nullable()
    .describe('W-5: the amendment request an amendment decision letter answers; null for every other document'),
  status: draftStatusSchema,
  version: z.number().int().describe('Send this back with any change: a change made since is refused (409)'),
  sections: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      hint: z.string(),
      required: z.boolean().describe('The draft cannot go to the chair, or be approved, while this is empty'),
      text: z.string(),
      comments: z.array(commentSchema),
    }),
  ),
  withholdable: z
    .array(z.object({ id: z.string(), heading: z.string() }))
    .describe('Every block the chair may mark as withheld (W-3)'),
  withholdings: z.record(z.string(), z.array(withholdingSchema)).describe('W-3: the chair’s marks by block id'),
  familyMembers: z
    .array(
      z.object({
        inviteeId: z.uuid(),
        name: z.string(),
        kind: z.enum(['family-member', 'child']),
        needs: z.string().nullable().describe('W-4: what their record says they may need'),
      }),
    )
    .describe('Who may be named in a withholding mark, or chosen to receive a child’s copy'),
  childRecipientInviteeIds: z.array(z.uuid()).describe('The children the chair decided receive their own copy'),
  arrangements: z.array(arrangementSchema).describe('W-4: what was arranged for recipients'),
  preview: documentSchema.describe('The document as it stands (the approved one once approved): the full record'),
  previewHtml: z.string().describe('The preview as an HTML fragment, the same markup the issued HTML uses'),
  recordings: z
    .array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        kind: z.enum(['dictation', 'meeting']),
        durationSeconds: z.number().nullable(),
        bookmarks: z.array(z.object({ atSeconds: z.number(), label: z.string() })),
      }),
    )
    .describe('R-6: the chair’s dictation and the conference’s recording, with bookmarks as a table of contents'),
  updatedAt: z.iso.datetime(),
  updatedByName: z.string().nullable(),
  approvedAt: z.iso.datetime().nullable(),
  approvedByName: z.string().nullable(),
  missing: z.array(z.string()).describe('Required sections still empty'),
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    requestChanges: z.boolean(),
    reopen: z.boolean(),
    issue: z.boolean(),
    comment: z.boolean(),
  }),
});

const draftOut = (v: DraftView) => ({
  id: v.id,
  conferenceId: v.conferenceId,
  kind: v.kind,
  label: v.label,
  subjectInviteeId: v.subjectInviteeId,
  amendmentRequestId: v.amendmentRequestId,
  status: v.status,
  version: v.version,
  sections: v.sections.map((s) => ({
    id: s.id,
    label: s.label,
    hint: s.hint,
    required: s.required,
    text: s.text,
    comments: s.comments.map(commentOut),
  })),
  withholdable: v.withholdable.map((b) => ({ id: b.id, heading: b.heading })),
  withholdings: Object.fromEntries(
    Object.entries(v.withholdings).map(([blockId, marks]) => [blockId, marks.map(withholdingOut)]),
  ),
  familyMembers: v.familyMembers.map((m) => ({ inviteeId: m.inviteeId, name: m.name, kind: m.kind, needs: m.needs })),
  childRecipientInviteeIds: [...v.childRecipientInviteeIds],
  arrangements: v.arrangements.map((a) => ({
    inviteeId: a.inviteeId,
    kinds: [...a.kinds],
    language: a.language,
    detail: a.detail,
  })),
  preview: documentOut(v.preview),
  previewHtml: v.previewHtml,
  recordings: v.recordings.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    durationSeconds: r.durationSeconds,
    bookmarks: r.bookmarks.map((b) => ({ atSeconds: b.atSeconds, label: b.label })),
  })),
  updatedAt: iso(v.updatedAt),
  updatedByName: v.updatedByName,
  approvedAt: isoOrNull(v.approvedAt),
  approvedByName: v.approvedByName,
  missing: [...v.missing],
  can: { ...v.can },
});

// ------------------------------------------------------------------ bodies

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
