/**
 * Amendments to the written record (W-5, T-8) for integrations: the same use cases, access rules and audit trail as
 * the pages. A recipient's request is recorded point by point, due 10 working days from their receipt of the
 * document (a later one is still recorded, flagged); the conference's chair decides each point, and any accepted
 * point sends the document back to drafting for its next issue. Once every point is decided, the letter giving the
 * requester the decisions is prepared; each request shows its draft and where it stands. Responses are allow-lists.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  AmendmentRequestView,
  AmendmentUseCases,
  ConferenceAmendments,
} from '../../../app/documents/amendments.ts';
import { AMENDMENT_CHANNELS, AMENDMENT_DECISIONS } from '../../../domain/documents/amendments.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext, withRules } from '../schemas.ts';
import {
  CHAIR,
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  errors,
  iso,
  isoOrNull,
  kindSchema,
  readErrors,
} from './schemas.ts';

const STATE_CODES = new Set(['AMENDMENT_DECIDED', 'AMENDMENT_SUPERSEDED', 'DRAFT_STATE']);

const requestParams = conferenceParams.extend({ requestId: idSchema.describe('The amendment request’s id') });
const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-12-23'] });

const decisionSchema = z.object({
  decision: z.enum(AMENDMENT_DECISIONS),
  reasons: z.string().describe('The chair’s reasons, given to the requester'),
});

const requestSchema = z.object({
  id: z.uuid(),
  draftId: z.uuid().describe('The document (its draft) the request is about'),
  kind: kindSchema,
  documentLabel: z.string().describe('“Conference record, version 1”'),
  issueNumber: z.number().int().describe('The issue of the document the request is about'),
  requesterInviteeId: z.uuid(),
  requesterName: z.string(),
  channel: z.enum(AMENDMENT_CHANNELS),
  receivedOn: isoDate('When the request reached the council'),
  recordReceivedOn: isoDate('When the requester received the document: T-8 counts from here'),
  dueOn: isoDate('T-8: 10 working days from recordReceivedOn'),
  lateFlag: z.string().nullable().describe('“Received after the 10 working days”, or null'),
  dueStatus: z
    .object({ status: z.enum(['overdue', 'due-soon', 'on-track']), workingDaysLeft: z.number().int() })
    .nullable()
    .describe('While waiting for the chair: red / amber / green; null once decided'),
  points: z.array(
    z.object({
      sectionId: z.string(),
      sectionLabel: z.string(),
      originalText: z.string().describe('The text as issued that the point is about (may be empty)'),
      requestedChange: z.string(),
      decision: decisionSchema.nullable(),
    }),
  ),
  status: z.enum(['waiting-for-chair', 'decided']),
  version: z.number().int().describe('Send this back with the decision'),
  recordedByName: z.string().nullable(),
  recordedAt: z.iso.datetime(),
  decidedByName: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  letter: z
    .object({
      draftId: z.uuid().describe('The letter’s draft: a document of the conference, approved and issued as the others'),
      status: z
        .enum(['prepared', 'approved', 'issued', 'sent'])
        .describe(
          'prepared: being checked or waiting for the chair; approved: ready to issue; issued: the requester’s copy is made; sent: it has gone to them',
        ),
    })
    .nullable()
    .describe(
      'W-5: the letter giving the requester the chair’s decision on each point; null until every point is decided',
    ),
});

const requestOut = (r: AmendmentRequestView): z.infer<typeof requestSchema> => ({
  id: r.id,
  draftId: r.draftId,
  kind: r.kind,
  documentLabel: r.documentLabel,
  issueNumber: r.issueNumber,
  requesterInviteeId: r.requesterInviteeId,
  requesterName: r.requesterName,
  channel: r.channel,
  receivedOn: r.receivedOn,
  recordReceivedOn: r.recordReceivedOn,
  dueOn: r.dueOn,
  lateFlag: r.lateFlag,
  dueStatus: r.dueStatus ? { status: r.dueStatus.status, workingDaysLeft: r.dueStatus.workingDaysLeft } : null,
  points: r.points.map((p) => ({
    sectionId: p.sectionId,
    sectionLabel: p.sectionLabel,
    originalText: p.originalText,
    requestedChange: p.requestedChange,
    decision: p.decision ? { decision: p.decision.decision, reasons: p.decision.reasons } : null,
  })),
  status: r.status,
  version: r.version,
  recordedByName: r.recordedByName,
  recordedAt: iso(r.recordedAt),
  decidedByName: r.decidedByName,
  decidedAt: isoOrNull(r.decidedAt),
  letter: r.letter ? { draftId: r.letter.draftId, status: r.letter.status } : null,
});

const listSchema = z.object({
  requests: z.array(requestSchema),
  documents: z
    .array(
      z.object({
        draftId: z.uuid(),
        kind: kindSchema,
        label: z.string(),
        issueNumber: z.number().int(),
        sections: z.array(z.object({ id: z.string(), label: z.string() })),
        recipients: z.array(z.object({ inviteeId: z.uuid(), name: z.string(), issuedOn: z.iso.date() })),
      }),
    )
    .describe('The issued documents a request can be about (their latest issue), with who received each'),
});

const listOut = (v: ConferenceAmendments) => ({
  requests: v.requests.map(requestOut),
  documents: v.documents.map((d) => ({
    draftId: d.draftId,
    kind: d.kind,
    label: d.label,
    issueNumber: d.issueNumber,
    sections: d.sections.map((s) => ({ id: s.id, label: s.label })),
    recipients: d.recipients.map((r) => ({ inviteeId: r.inviteeId, name: r.name, issuedOn: r.issuedOn })),
  })),
});

export function amendmentsApi(app: FastifyInstance, amendments: AmendmentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/amendments',
    {
      config: READ,
      schema: {
        operationId: 'AmendmentService.amendments',
        summary: 'The conference’s amendment requests and the issued documents a request can be about',
        description: 'Whoever may see every child in the conference. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: listSchema, ...readErrors },
      },
    },
    async (request) => listOut(await amendments.amendments(request.actor!, request.params.id, requestContext(request))),
  );

  api.post(
    '/conferences/:id/amendments',
    {
      config: DRAFT,
      schema: {
        operationId: 'AmendmentService.recordRequest',
        summary: 'Record a recipient’s request to amend an issued document (W-5, T-8)',
        description: [
          'Business support or a chair. The requester is someone invited to the conference; each point names the section of the document it is about, the text as issued and what they want changed.',
          'It is due 10 working days (T-8) from `recordReceivedOn`, which defaults to the day the requester’s copy was issued; a request received after that is still recorded, and flagged. Audited.',
        ].join('\n\n'),
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          draftId: idSchema.describe('The issued document (its draft) the request is about'),
          requesterInviteeId: idSchema.describe('Who asked: an invitee of the conference'),
          channel: z.enum(AMENDMENT_CHANNELS),
          receivedOn: z.iso.date().describe('When the request reached the council'),
          recordReceivedOn: z.iso
            .date()
            .nullable()
            .describe('When they received the document; null: the day it was issued to them'),
          points: z
            .array(
              z.object({
                sectionId: z.string(),
                originalText: z.string().max(5000).default(''),
                requestedChange: z.string().max(5000),
              }),
            )
            .min(1)
            .max(30),
        }),
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const r = await amendments.recordRequest(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send(requestOut(r));
        },
        STATE_CODES,
      ),
  );

  api.get(
    '/conferences/:id/amendments/:requestId',
    {
      config: READ,
      schema: {
        operationId: 'AmendmentService.request',
        summary: 'One amendment request, its points and the chair’s decisions',
        description: 'Whoever may see every child in the conference. Audited.',
        tags: TAGS,
        params: requestParams,
        response: { 200: requestSchema, ...readErrors },
      },
    },
    async (request) =>
      requestOut(
        await amendments.request(request.actor!, request.params.id, request.params.requestId, requestContext(request)),
      ),
  );

  api.post(
    '/conferences/:id/amendments/:requestId/decision',
    {
      config: CHAIR,
      schema: {
        operationId: 'AmendmentService.decide',
        summary: 'The chair’s decision on each point of an amendment request (W-5)',
        description: [
          'The conference’s chair only. One decision per point, in order: accepted, accepted in part or not accepted, each with reasons.',
          'When any point is accepted, fully or in part, the document goes back to drafting for its next issue (`newIssueNumber`), which opens with “Changes in this version”; the copies already issued are kept as they are.',
          'In the same transaction the letter giving the requester the decision and reasons on each point is prepared (`request.letter`), for the chair to approve and business support to issue through the `DocumentService` operations; it goes to the requester alone. Audited.',
        ].join('\n\n'),
        tags: TAGS,
        params: requestParams,
        body: z.object({
          version: z.number().int().min(1).describe('The request’s `version` as last read (409 if it has changed)'),
          decisions: z.array(decisionSchema).min(1).max(30),
        }),
        response: {
          200: z.object({ request: requestSchema, newIssueNumber: z.number().int().nullable() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const p = request.params;
          const r = await amendments.decide(request.actor!, p.id, p.requestId, request.body, requestContext(request));
          return { request: requestOut(r.request), newIssueNumber: r.newIssueNumber };
        },
        STATE_CODES,
      ),
  );
}

/** The amendment routes, registered beside the written record's. */
export async function amendmentsRoutes(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  amendmentsApi(app, services.amendments);
}
