/**
 * A draft as the API gives it (W-1 … W-4, R-6): its sections with the chair's comments, the withholding marks,
 * recipients and arrangements, the preview as the document model and as HTML, and the recordings to play beside it.
 * An allow-list: only the fields named here leave the server.
 */
import { z } from 'zod';
import type { DraftView } from '../../../app/documents/use-cases.ts';
import { ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { commentOut, commentSchema } from './review.ts';
import { documentOut, documentSchema, withholdingOut, withholdingSchema } from './preview.ts';
import { draftStatusSchema, iso, isoOrNull, kindSchema } from './schemas.ts';

const arrangementSchema = z.object({
  inviteeId: z.uuid(),
  kinds: z.array(z.enum(ARRANGEMENT_KINDS)),
  language: z.string().nullable().describe('The language for an interpreter or a translation'),
  detail: z.string().nullable(),
});

export const draftSchema = z.object({
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

export const draftOut = (v: DraftView) => ({
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
