/**
 * A conference's documents (W-1, W-2, W-4, T-6, T-7): the documents it needs with their states against their due
 * dates, the copies issued and the arrangement tasks.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConferenceDocuments, DocumentUseCases } from '../../../app/documents/use-cases.ts';
import { DRAFT_STATUSES } from '../../../domain/documents/drafting.ts';
import { requestContext } from '../schemas.ts';
import {
  READ,
  TAGS,
  conferenceParams,
  isoOrNull,
  issuedOut,
  issuedSchema,
  kindSchema,
  readErrors,
  taskOut,
  taskSchema,
} from './schemas.ts';

const STATES = ['not-started', ...DRAFT_STATUSES] as const;

const conferenceDocumentsSchema = z.object({
  conferenceId: z.uuid(),
  conferenceDate: z.iso.date(),
  conferenceTypeLabel: z.string(),
  children: z.array(z.object({ id: z.uuid(), name: z.string() })),
  documents: z.array(
    z.object({
      kind: kindSchema,
      label: z
        .string()
        .describe(
          '“Decision letter”; an exclusion letter names the person excluded, an amendment decision letter the requester',
        ),
      subjectInviteeId: z
        .uuid()
        .nullable()
        .describe('An exclusion letter’s excluded person, an amendment decision letter’s requester; null otherwise'),
      draftId: z.uuid().nullable().describe('Null until a draft is started'),
      state: z.enum(STATES),
      due: z
        .object({
          date: z.iso.date(),
          rule: z.string().describe('T-6 or T-7'),
          status: z.enum(['overdue', 'due-soon', 'on-track', 'met']).describe('Red, amber or green; `met` once issued'),
          workingDaysLeft: z.number().int().nullable().describe('Null once met'),
        })
        .nullable()
        .describe('Null for a kind with no timescale (an exclusion letter)'),
      openComments: z.number().int().describe('The chair’s comments not yet resolved'),
      issuedAt: z.iso.datetime().nullable(),
      sending: z
        .object({ sent: z.number().int(), total: z.number().int(), missing: z.array(z.string()) })
        .nullable()
        .describe('Once issued: recipients of the latest issue sent their copy, of all, and who is missing (T-6, T-7)'),
    }),
  ),
  issued: z.array(issuedSchema).describe('Every copy issued, newest first: each issue’s versions and copies'),
  tasks: z.array(taskSchema).describe('W-4: arrangements for recipients, open ones first'),
  can: z.object({ draft: z.boolean(), approve: z.boolean(), issue: z.boolean() }),
});

const conferenceDocumentsOut = (v: ConferenceDocuments) => ({
  conferenceId: v.conferenceId,
  conferenceDate: v.conferenceDate,
  conferenceTypeLabel: v.conferenceTypeLabel,
  children: v.children.map((c) => ({ id: c.id, name: c.name })),
  documents: v.documents.map((d) => ({
    kind: d.kind,
    label: d.label,
    subjectInviteeId: d.subjectInviteeId,
    draftId: d.draftId,
    state: d.state,
    due: d.due
      ? {
          date: d.due.date,
          rule: d.due.rule,
          status: d.due.status === 'met' ? ('met' as const) : d.due.status.status,
          workingDaysLeft: d.due.status === 'met' ? null : d.due.status.workingDaysLeft,
        }
      : null,
    openComments: d.openComments,
    issuedAt: isoOrNull(d.issuedAt),
    sending: d.sending ? { sent: d.sending.sent, total: d.sending.total, missing: d.sending.missing } : null,
  })),
  issued: v.issued.map(issuedOut),
  tasks: v.tasks.map(taskOut),
  can: { draft: v.can.draft, approve: v.can.approve, issue: v.can.issue },
});

// ------------------------------------------------------------------ a draft

export function documentsListApi(app: FastifyInstance, documents: DocumentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/documents',
    {
      config: READ,
      schema: {
        operationId: 'DocumentService.conferenceDocuments',
        summary: 'The documents a conference needs, their states and due dates, the copies issued and the tasks',
        description: [
          'Each document the conference needs (W-1, W-2; an exclusion letter per person excluded) with its state (not started, drafting, waiting for the chair, approved, issued) against its due date (T-6, T-7) in red, amber or green; an overdue document stays overdue until issued.',
          '`issued` lists every issued copy, newest first, with its issue number, format, SHA-256 and length (download one with GET …/documents/issued/{issuedId}/file); `tasks` the arrangements for recipients (W-4). Only for someone who may see every child in the conference; audited.',
        ].join('\n\n'),
        tags: TAGS,
        params: conferenceParams,
        response: { 200: conferenceDocumentsSchema, ...readErrors },
      },
    },
    async (request) =>
      conferenceDocumentsOut(
        await documents.conferenceDocuments(request.actor!, request.params.id, requestContext(request)),
      ),
  );
}
