/**
 * The schemas and allow-list mappers every written-record API route shares (W-1 … W-4, T-6, T-7): who may call
 * it, the path ids, the `version` a change carries, the error statuses, and what a saved draft, an issued copy
 * and an arrangement task look like in a response. A mapper copies only the fields named here: an issued copy's
 * blob key never leaves the server; its SHA-256 and length do, so whoever downloads it can check it.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ArrangementTaskRecord, IssuedRecord } from '../../../app/documents/documents-ports.ts';
import type { SavedDraft } from '../../../app/documents/use-cases.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { ARRANGEMENT_KINDS } from '../../../domain/documents/arrangements.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { type BlockType, DOCUMENT_KINDS } from '../../../domain/documents/model.ts';
import { WITHHOLDING_REASONS } from '../../../domain/documents/withholding.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, withRules } from '../schemas.ts';

export const TAGS = ['written record'];

/** Whoever may see the conference's children may read its documents; the use case checks every child. */
export const READ = { access: CHILD_RECORD_ROLES };
/** The minute taker (business support) and chairs write drafts, comment and issue. */
export const DRAFT = { access: ['business_support', 'chair'] as readonly Role[] };
/** Only a chair reviews: comments, asks for changes, approves, reopens (the conference's own chair, checked by the use case). */
export const CHAIR = { access: ['chair'] as readonly Role[] };

/**
 * Answered 409: sound input, but the draft has moved on (a stale version, a step its status does not allow, the
 * conference's record changed since approval), or nobody on the register would receive the document.
 */
const STATE_CODES = new Set(['CONFLICT', 'DRAFT_STATE', 'NO_RECIPIENTS']);

export const withDocumentRules = <T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> =>
  withRules(reply, run, STATE_CODES);

export const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
export const draftParams = conferenceParams.extend({ draftId: idSchema.describe('The draft’s id') });

/** The version the caller last read: a change based on an older one is refused (409) and nothing is saved. */
export const version = z
  .number()
  .int()
  .min(1)
  .describe('The draft’s `version` as last read: if someone has saved it since, nothing is saved (409)');

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? iso(d) : null);

export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

export const noBody = (what: string) => z.null().describe(what);

export const BLOCK_TYPES = [
  'heading',
  'paragraph',
  'list',
  'summary',
  'table',
  'section',
] as const satisfies readonly BlockType[];

export const kindSchema = z.enum(DOCUMENT_KINDS);
export const draftStatusSchema = z.enum(DRAFT_STATUSES);

// ------------------------------------------------------------------ a saved draft

export const savedDraftSchema = z.object({
  id: z.uuid(),
  version: z.number().int().describe('Send this back with the next change'),
  status: draftStatusSchema,
  updatedAt: z.iso.datetime(),
});

export const savedDraftOut = (s: SavedDraft) => ({
  id: s.id,
  version: s.version,
  status: s.status,
  updatedAt: iso(s.updatedAt),
});

// ------------------------------------------------------------------ issued copies

const person = z.object({ id: z.uuid().nullable(), name: z.string().nullable() });

export const leftOutSchema = z.object({
  blockId: z.string().nullable(),
  type: z.enum(BLOCK_TYPES),
  location: z.string().describe('Where it stood: “Section “Police information” › paragraph 2”'),
  excerpt: z.string().describe('Its first words, so the chair can recognise it'),
  recipient: z.string().describe('Whose copy left it out'),
  reasons: z.array(
    z.object({ reason: z.enum(WITHHOLDING_REASONS), label: z.string(), explanation: z.string().nullable() }),
  ),
});

export const issuedSchema = z.object({
  id: z.uuid(),
  draftId: z.uuid(),
  kind: kindSchema,
  issueNumber: z.number().int().describe('1 for the first issue; an amendment is issued as the next number'),
  title: z.string(),
  copyKind: z.enum(['full', 'parent', 'child']).describe('The full record, a parent’s copy or a child’s copy (W-3)'),
  recipientInviteeId: z.uuid().nullable().describe('Who the copy is addressed to; null for the file copy'),
  recipientName: z.string(),
  format: z.enum(['pdf', 'html']),
  largePrint: z.boolean().describe('W-4: body text at 18 point'),
  mediaType: z.string(),
  sha256: z.string().describe('SHA-256 (hex) of the issued bytes: a download is the same bytes'),
  byteLength: z.number().int(),
  approvedBy: person,
  approvedAt: z.iso.datetime(),
  issuedBy: person,
  issuedAt: z.iso.datetime(),
  marking: z
    .array(z.string())
    .describe('The marking on every page: OFFICIAL-SENSITIVE, and PARENT’S COPY or CHILD’S COPY'),
  leftOut: z.array(leftOutSchema).describe('W-3: what this copy left out, for whom and why'),
});

export const issuedOut = (r: IssuedRecord) => ({
  id: r.id,
  draftId: r.draftId,
  kind: r.kind,
  issueNumber: r.issueNumber,
  title: r.title,
  copyKind: r.copyKind,
  recipientInviteeId: r.recipientInviteeId,
  recipientName: r.recipientName,
  format: r.format,
  largePrint: r.largePrint,
  mediaType: r.mediaType,
  sha256: r.sha256,
  byteLength: r.byteLength,
  approvedBy: { id: r.approvedByUserId, name: r.approvedByName },
  approvedAt: iso(r.approvedAt),
  issuedBy: { id: r.issuedByUserId, name: r.issuedByName },
  issuedAt: iso(r.issuedAt),
  marking: [...r.marking],
  leftOut: r.leftOut.map((l) => ({
    blockId: l.blockId,
    type: l.type,
    location: l.location,
    excerpt: l.excerpt,
    recipient: l.recipient,
    reasons: l.reasons.map((x) => ({ reason: x.reason, label: x.label, explanation: x.explanation })),
  })),
});

// ------------------------------------------------------------------ arrangement tasks (W-4)

export const taskSchema = z.object({
  id: z.uuid(),
  draftId: z.uuid(),
  kind: kindSchema,
  inviteeId: z.uuid().describe('The recipient the arrangement is for'),
  recipientName: z.string(),
  arrangement: z.enum(ARRANGEMENT_KINDS),
  language: z.string().nullable(),
  detail: z.string().nullable(),
  createdAt: z.iso.datetime(),
  done: z
    .object({ at: z.iso.datetime(), by: person, note: z.string().nullable() })
    .nullable()
    .describe('Null while the task is open: it stays on business support’s dashboard until done'),
});

export const taskOut = (t: ArrangementTaskRecord) => ({
  id: t.id,
  draftId: t.draftId,
  kind: t.kind,
  inviteeId: t.inviteeId,
  recipientName: t.recipientName,
  arrangement: t.arrangement,
  language: t.language,
  detail: t.detail,
  createdAt: iso(t.createdAt),
  done: t.doneAt ? { at: iso(t.doneAt), by: { id: t.doneByUserId, name: t.doneByName }, note: t.doneNote } : null,
});
