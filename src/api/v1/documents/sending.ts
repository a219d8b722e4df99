/**
 * Sending the issued copies to their recipients, with proof (W-4, W-6, T-6, T-7): the distribution of every issue
 * (each recipient, how their copy went, and what became of it: posted, emailed, opened, downloaded, undeliverable)
 * and the post pack. Sending each copy, secure links, sending a new version (W-5) and the copy an emailed
 * link opens are in the sending-*.ts files beside this one. The same use cases, access rules and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConferenceDistribution, DocumentSendingUseCases, PostPack } from '../../../app/documents/sending.ts';
import { SENDING_STATES } from '../../../domain/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import { DRAFT, READ, TAGS, conferenceParams, iso, kindSchema, readErrors, withDocumentRules } from './schemas.ts';
import { copyFileOut, copyFileSchema, sendingOut, sendingSchema } from './sending-schemas.ts';

const progressSchema = z.object({
  sent: z.number().int(),
  total: z.number().int(),
  missing: z.array(z.string()).describe('The recipients whose copy has not gone, by name'),
});

const distributionSchema = z.object({
  conferenceId: idSchema,
  conferenceDate: z.string(),
  issues: z.array(
    z.object({
      draftId: idSchema,
      kind: kindSchema,
      title: z.string(),
      issueNumber: z.number().int(),
      issuedAt: z.string(),
      latest: z.boolean().describe('The latest issue of the document: the one T-6 and T-7 count'),
      progress: progressSchema,
      recipients: z.array(
        z.object({
          recipientInviteeId: idSchema,
          recipientName: z.string(),
          copyKind: z.enum(['full', 'parent', 'child']),
          copies: z.array(copyFileSchema),
          address: z.string().nullable().describe('For post: the address on the person’s record'),
          agencyName: z.string().nullable().describe('For post: a professional’s agency'),
          hasAccount: z.boolean().describe('An email link can be sent'),
          state: z.enum(SENDING_STATES),
          sent: z.boolean().describe('The copy has gone: posted, or emailed and not refused'),
          sendings: z.array(sendingSchema),
        }),
      ),
    }),
  ),
  can: z.object({ send: z.boolean() }),
});
const distributionOut = (v: ConferenceDistribution) => ({
  conferenceId: v.conferenceId,
  conferenceDate: v.conferenceDate,
  issues: v.issues.map((i) => ({
    draftId: i.draftId,
    kind: i.kind,
    title: i.title,
    issueNumber: i.issueNumber,
    issuedAt: iso(i.issuedAt),
    latest: i.latest,
    progress: { sent: i.progress.sent, total: i.progress.total, missing: i.progress.missing },
    recipients: i.recipients.map((r) => ({
      recipientInviteeId: r.recipientInviteeId,
      recipientName: r.recipientName,
      copyKind: r.copyKind,
      copies: r.copies.map(copyFileOut),
      address: r.address,
      agencyName: r.agencyName,
      hasAccount: r.hasAccount,
      state: r.state,
      sent: r.sent,
      sendings: r.sendings.map(sendingOut),
    })),
  })),
  can: { send: v.can.send },
});

const postPackSchema = z.object({
  conferenceId: idSchema,
  conferenceDate: z.string(),
  confidentiality: z.string(),
  entries: z.array(
    z.object({
      draftId: idSchema,
      issueNumber: z.number().int(),
      title: z.string(),
      recipientInviteeId: idSchema,
      recipientName: z.string(),
      address: z.string().nullable(),
      agencyName: z.string().nullable(),
      enclose: z.array(copyFileSchema).describe('The PDFs to print and enclose'),
    }),
  ),
});
const postPackOut = (p: PostPack) => ({
  conferenceId: p.conferenceId,
  conferenceDate: p.conferenceDate,
  confidentiality: p.confidentiality,
  entries: p.entries.map((e) => ({
    draftId: e.draftId,
    issueNumber: e.issueNumber,
    title: e.title,
    recipientInviteeId: e.recipientInviteeId,
    recipientName: e.recipientName,
    address: e.address,
    agencyName: e.agencyName,
    enclose: e.enclose.map(copyFileOut),
  })),
});

export function sendingApi(app: FastifyInstance, sending: DocumentSendingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/documents/distribution',
    {
      config: READ,
      schema: {
        operationId: 'DocumentSendingService.distribution',
        summary: 'Every issued document’s recipients and how each copy was sent (W-4, T-6, T-7)',
        description:
          'Each issue of each document, each recipient with their copies, how they can be reached, every sending and its state (posted, emailed, opened, downloaded, undeliverable). The distribution report. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: distributionSchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        distributionOut(await sending.distribution(request.actor!, request.params.id, requestContext(request))),
      ),
  );

  api.get(
    '/conferences/:id/documents/post-pack',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.postPack',
        summary: 'The recipients to post to, with their addresses and the copies to enclose (W-4)',
        description:
          'Business support or a chair. Recipients of each document’s latest issue without an account whose copy has not gone yet. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: postPackSchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        postPackOut(await sending.postPack(request.actor!, request.params.id, requestContext(request))),
      ),
  );
}
