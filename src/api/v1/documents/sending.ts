/**
 * Sending the issued copies to their recipients, with proof (W-4, W-6, T-6, T-7): the distribution of every issue
 * (each recipient, how their copy went, and what became of it: posted, emailed, opened, downloaded, undeliverable),
 * the post pack, recording a copy as posted, emailing a recipient with an account a link to their copy in the
 * service, sending a secure download link to an address the recipient confirmed and cancelling it, sending
 * a new version to everyone who had the last one (W-5), and the copy an emailed link opens. The same use cases,
 * access rules and audit trail as the pages.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  ConferenceDistribution,
  CopyFile,
  DocumentSendingUseCases,
  PostPack,
  Redistribution,
  SendingView,
  SentCopy,
} from '../../../app/documents/sending.ts';
import { ADDRESS_CONFIRMATIONS, SENDING_METHODS, SENDING_STATES } from '../../../domain/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext } from '../schemas.ts';
import {
  DRAFT,
  READ,
  TAGS,
  conferenceParams,
  errors,
  iso,
  isoOrNull,
  kindSchema,
  readErrors,
  withDocumentRules,
} from './schemas.ts';

const copyFileSchema = z.object({
  issuedId: idSchema.describe('The copy’s id: its bytes are at …/documents/issued/{issuedId}/file'),
  format: z.enum(['pdf', 'html']),
  largePrint: z.boolean(),
  byteLength: z.number().int(),
});
const copyFileOut = (c: CopyFile) => ({
  issuedId: c.issuedId,
  format: c.format,
  largePrint: c.largePrint,
  byteLength: c.byteLength,
});

const sendingSchema = z.object({
  id: idSchema,
  method: z
    .enum(SENDING_METHODS)
    .describe(
      'post, email-link (an email linking to the copy in the service) or secure-link (a secure download link to an address the recipient confirmed)',
    ),
  sentAt: z.string().describe('When it was sent or recorded (ISO 8601)'),
  sentByName: z.string().nullable(),
  postedOn: z.string().nullable().describe('For post: the date posted (YYYY-MM-DD)'),
  email: z
    .enum(['waiting', 'sent', 'undeliverable'])
    .nullable()
    .describe('For an email link: waiting to go, sent, or refused for good by the mail service (bounced)'),
  openedAt: z.string().nullable().describe('When the recipient first opened the link'),
  downloadedAt: z.string().nullable().describe('When the recipient last downloaded their copy'),
  downloads: z.number().int(),
  addressConfirmed: z
    .object({ how: z.enum(ADDRESS_CONFIRMATIONS), on: z.string().describe('YYYY-MM-DD') })
    .nullable()
    .describe('For a secure link (A-5): how and when the recipient confirmed the address (never the address)'),
  link: z
    .object({
      expiresAt: z.string(),
      cancelledAt: z.string().nullable(),
      cancelReason: z.string().nullable(),
      live: z.boolean().describe('The link still opens: not cancelled, not expired'),
      files: z
        .array(z.object({ fileName: z.string(), downloads: z.number().int(), left: z.number().int() }))
        .describe('Each file the link releases: downloads so far and left'),
      history: z
        .array(z.object({ label: z.string(), at: z.string() }))
        .describe('What happened to the link, newest first (never the address, the token or a code)'),
    })
    .nullable()
    .describe('For a secure link: when it stops working, and its cancellation'),
});
const sendingOut = (s: SendingView) => ({
  id: s.id,
  method: s.method,
  sentAt: iso(s.sentAt),
  sentByName: s.sentByName,
  postedOn: s.postedOn,
  email: s.email,
  openedAt: isoOrNull(s.openedAt),
  downloadedAt: isoOrNull(s.downloadedAt),
  downloads: s.downloads,
  addressConfirmed: s.addressConfirmed ? { how: s.addressConfirmed.how, on: s.addressConfirmed.on } : null,
  link: s.link
    ? {
        expiresAt: iso(s.link.expiresAt),
        cancelledAt: isoOrNull(s.link.cancelledAt),
        cancelReason: s.link.cancelReason,
        live: s.link.live,
        files: s.link.files.map((f) => ({ fileName: f.fileName, downloads: f.downloads, left: f.left })),
        history: s.link.history.map((e) => ({ label: e.label, at: iso(e.at) })),
      }
    : null,
});

const redistributionSchema = z.object({
  draftId: idSchema,
  issueNumber: z.number().int(),
  emailed: z.array(z.string()).describe('Sent now: an email link to their account (by name)'),
  secureLinks: z.array(z.string()).describe('Sent now: a new secure link to the address they confirmed'),
  toPost: z.array(z.string()).describe('Still to post: in the post pack'),
  alreadySent: z.array(z.string()).describe('Already sent this version: not sent again'),
  notOnPrevious: z.array(z.string()).describe('Not sent the previous version: to send one by one'),
});
const redistributionOut = (r: Redistribution) => ({
  draftId: r.draftId,
  issueNumber: r.issueNumber,
  emailed: r.emailed,
  secureLinks: r.secureLinks,
  toPost: r.toPost,
  alreadySent: r.alreadySent,
  notOnPrevious: r.notOnPrevious,
});

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

const sentCopySchema = z.object({
  conferenceId: idSchema,
  sendingId: idSchema,
  title: z.string(),
  recipientName: z.string(),
  issueNumber: z.number().int(),
  copies: z.array(copyFileSchema),
  confidentiality: z.string(),
});
const sentCopyOut = (c: SentCopy) => ({
  conferenceId: c.conferenceId,
  sendingId: c.sendingId,
  title: c.title,
  recipientName: c.recipientName,
  issueNumber: c.issueNumber,
  copies: c.copies.map(copyFileOut),
  confidentiality: c.confidentiality,
});

const copyAddress = z.object({
  draftId: idSchema.describe('The document’s draft'),
  issueNumber: z.number().int().min(1).describe('Which issue of it'),
  recipientInviteeId: idSchema.describe('The recipient (conference invitee id)'),
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

  api.post(
    '/conferences/:id/documents/sendings/secure-link',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.secureLink',
        summary: 'Email a secure download link to an address the recipient confirmed (W-4, W-6, A-5, A-6)',
        description:
          'Business support or a chair. The address must be well formed and given twice the same, and how (in-person, phone, in-writing) and when the recipient confirmed it as theirs and secure are required (422, each problem by field). The email, saying the document is confidential (W-6), is written to the outbox in the same transaction. The page it links to releases the recipient’s own PDFs after a one-time code sent to the same address. A link that still works is 409. The address is never returned or audited.',
        tags: TAGS,
        params: conferenceParams,
        body: copyAddress.extend({
          email: z.string().max(320).describe('The address the recipient confirmed'),
          emailAgain: z.string().max(320).describe('The same address again'),
          confirmedHow: z.string().max(40).describe('in-person, phone or in-writing'),
          confirmedOn: z.string().max(40).describe('The date they confirmed it (YYYY-MM-DD)'),
        }),
        response: { 201: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () => {
        const s = await sending.secureLink(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(201).send(sendingOut(s));
      }),
  );

  api.post(
    '/conferences/:id/documents/sendings/:sendingId/cancel',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.revokeLink',
        summary: 'Cancel a secure download link at once (A-6)',
        description:
          'Business support or a chair, with the reason (422 without one). The link stops working at once and the copy counts as not sent. A link already cancelled is 409. Audited (ids only).',
        tags: TAGS,
        params: conferenceParams.extend({ sendingId: idSchema.describe('The sending’s id') }),
        body: z.object({ reason: z.string().max(1000).describe('Why the link is cancelled') }),
        response: { 200: sendingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        sendingOut(
          await sending.revokeLink(
            request.actor!,
            request.params.id,
            { sendingId: request.params.sendingId, reason: request.body.reason },
            requestContext(request),
          ),
        ),
      ),
  );

  api.post(
    '/conferences/:id/documents/sendings/redistribute',
    {
      config: DRAFT,
      schema: {
        operationId: 'DocumentSendingService.redistribute',
        summary: 'Send a new version to everyone who had the last one, the way they had it (W-5)',
        description:
          'Business support or a chair, for the latest issue of a document after the first. Each recipient sent the previous issue gets this one the same way: an email link to their account, a new secure link to the address they confirmed, or a place in the post pack. Nobody is sent it twice: calling again sends only what has not gone. The first issue, or an issue replaced since, is 409. Audited (counts).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          draftId: idSchema.describe('The document’s draft'),
          issueNumber: z.number().int().min(2).describe('The new issue'),
        }),
        response: { 200: redistributionSchema, ...errors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        redistributionOut(
          await sending.redistribute(request.actor!, request.params.id, request.body, requestContext(request)),
        ),
      ),
  );

  api.get(
    '/conferences/:id/documents/sendings/:sendingId',
    {
      config: READ,
      schema: {
        operationId: 'DocumentSendingService.sentCopy',
        summary: 'The copy an emailed link opens (W-4, W-6)',
        description:
          'The copies sent, to download. Opened by the recipient it was sent to, it is recorded as opened. Audited.',
        tags: TAGS,
        params: conferenceParams.extend({ sendingId: idSchema.describe('The sending’s id') }),
        response: { 200: sentCopySchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withDocumentRules(reply, async () =>
        sentCopyOut(
          await sending.sentCopy(request.actor!, request.params.id, request.params.sendingId, requestContext(request)),
        ),
      ),
  );
}
