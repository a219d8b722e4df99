/**
 * The copy of a request for integrations: starting the disclosure copy from the chair's
 * referral, following it until it is ready, sending it (the secure download link made and the request
 * recorded as sent in one transaction), the links made, cancelling one, and sending a new one in place of a link that
 * expired or was cancelled before anything was downloaded. The same use cases, roles and audit trail as the request's page. Responses never carry a
 * link's token, a code or the requester's address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeliverySummary } from '../../../app/requests/delivery-ports.ts';
import { REVOKE_ROLES } from '../../../app/requests/delivery-service.ts';
import type { CopyStatus } from '../../../app/requests/disclosure-copies.ts';
import { REQUEST_STEP_ROLES, REQUEST_VIEW_ROLES } from '../../../domain/requests/index.ts';
import { NotFoundError } from '../../../domain/shared/errors.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext } from '../schemas.ts';
import {
  errors,
  iso,
  readErrors,
  requestParams,
  staffRef,
  stepResultOut,
  stepResultSchema,
  TAGS,
  version,
  withRequestRules,
} from './schemas.ts';

const VIEW = { access: REQUEST_VIEW_ROLES };
const COPY_STATES = ['queued', 'running', 'ready', 'failed'] as const;
const DELIVERY_STATES = ['active', 'expired', 'revoked', 'used-up'] as const;

const copySummarySchema = z.object({
  copyId: z.uuid(),
  state: z.enum(COPY_STATES),
  percent: z.number().describe('How far the copy job has got, 0 to 100'),
  error: z.string().nullable().describe('Why the copy could not be made, once `failed`'),
  createdAt: z.iso.datetime(),
});

const copySchema = copySummarySchema.extend({
  finishedAt: z.iso.datetime().nullable(),
  files: z
    .array(
      z.object({
        fileId: z.uuid(),
        recordingId: z.uuid().describe('The original it was made from (R-3)'),
        ordinal: z.number().int(),
        fileName: z.string().describe('A name with no personal data in it'),
        sizeBytes: z.number().int(),
        sha256: z.string(),
      }),
    )
    .describe('Once `ready`: one file per recording copied'),
});

const copyOut = (s: CopyStatus) => ({
  copyId: s.copyId,
  state: s.state,
  percent: s.percent,
  error: s.error,
  createdAt: iso(s.createdAt),
  finishedAt: s.finishedAt ? iso(s.finishedAt) : null,
  files: s.files.map((f) => ({
    fileId: f.fileId,
    recordingId: f.recordingId,
    ordinal: f.ordinal,
    fileName: f.fileName,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
  })),
});

const deliverySchema = z.object({
  deliveryId: z.uuid(),
  copyId: z.uuid(),
  state: z.enum(DELIVERY_STATES),
  createdAt: z.iso.datetime(),
  createdBy: staffRef,
  expiresAt: z.iso.datetime(),
  downloadLimit: z.number().int().describe('Downloads allowed per file'),
  files: z.array(
    z.object({ fileId: z.uuid(), fileName: z.string(), downloads: z.number().int(), left: z.number().int() }),
  ),
  revoked: z.object({ at: z.iso.datetime(), by: staffRef, reason: z.string() }).nullable(),
  events: z
    .array(z.object({ kind: z.string(), label: z.string(), at: z.iso.datetime(), fileName: z.string().nullable() }))
    .describe('The latest things that happened to the link, newest first'),
});

const deliveryOut = (d: DeliverySummary) => ({
  deliveryId: d.deliveryId,
  copyId: d.copyId,
  state: d.state,
  createdAt: iso(d.createdAt),
  createdBy: { id: d.createdBy.id, name: d.createdBy.name },
  expiresAt: iso(d.expiresAt),
  downloadLimit: d.downloadLimit,
  files: d.files.map((f) => ({ fileId: f.fileId, fileName: f.fileName, downloads: f.downloads, left: f.left })),
  revoked: d.revoked
    ? { at: iso(d.revoked.at), by: { id: d.revoked.by.id, name: d.revoked.by.name }, reason: d.revoked.reason }
    : null,
  events: d.events.map((e) => ({ kind: e.kind, label: e.label, at: iso(e.at), fileName: e.fileName })),
});

export async function requestCopiesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { requests, disclosureCopies, deliveries } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;

  api.post(
    '/requests/:id/copies',
    {
      config: { access: REQUEST_STEP_ROLES['prepare-copy'] },
      schema: {
        operationId: 'RequestService.startCopy',
        summary: 'Start making the copy from the referral (R-3)',
        description:
          'Business support, once the requester’s details match (A-5). The recordings and every part withheld come from the chair’s referral. The copy is made in the background: follow it with GET /requests/{id}/copies/{copyId}, then record it with POST /requests/{id}/prepare-copy.',
        tags: TAGS,
        params: requestParams,
        response: { 202: z.object({ copyId: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { copyId } = await requests.startCopy(actorOf(request), request.params.id, requestContext(request));
        return reply.code(202).send({ copyId });
      }),
  );

  api.get(
    '/requests/:id/copies',
    {
      config: VIEW,
      schema: {
        operationId: 'DisclosureCopyService.listForRequest',
        summary: 'The copies made for the request, oldest first',
        tags: TAGS,
        params: requestParams,
        response: { 200: z.object({ copies: z.array(copySummarySchema) }), ...readErrors },
      },
    },
    async (request) => ({
      copies: (await disclosureCopies.listForRequest(actorOf(request), request.params.id, requestContext(request))).map(
        (c) => ({ copyId: c.copyId, state: c.state, percent: c.percent, error: c.error, createdAt: iso(c.createdAt) }),
      ),
    }),
  );

  api.get(
    '/requests/:id/copies/:copyId',
    {
      config: VIEW,
      schema: {
        operationId: 'RequestService.copyPage',
        summary: 'A copy: how far it has got, and its files once ready',
        description: 'A copy made for another request is 404. Audited as a view of the request and of the copy.',
        tags: TAGS,
        params: requestParams.extend({ copyId: idSchema.describe('The copy’s id') }),
        response: { 200: copySchema, ...readErrors },
      },
    },
    async (request) => {
      const { id, copyId } = request.params;
      const found = await requests.copyPage(actorOf(request), id, copyId, requestContext(request));
      if (!found) throw new NotFoundError('The copy');
      return copyOut(found.copy);
    },
  );

  api.get(
    '/requests/:id/deliveries',
    {
      config: VIEW,
      schema: {
        operationId: 'DeliveryService.summary',
        summary: 'Every link made for the request, newest first: its state, expiry and downloads (A-6)',
        description: 'Never the link itself, a code or the requester’s address. Audited.',
        tags: TAGS,
        params: requestParams,
        response: { 200: z.object({ deliveries: z.array(deliverySchema) }), ...readErrors },
      },
    },
    async (request) => ({
      deliveries: (await deliveries.summary(actorOf(request), request.params.id, requestContext(request))).map(
        deliveryOut,
      ),
    }),
  );

  api.post(
    '/requests/:id/deliveries/:deliveryId/cancel',
    {
      config: { access: REVOKE_ROLES },
      schema: {
        operationId: 'RequestService.cancelLink',
        summary: 'Cancel a download link at once, with the reason (A-6)',
        description:
          'The requester can no longer download the copy with it. A link of another request, or before the copy is sent, is 404; a link already cancelled is 409.',
        tags: TAGS,
        params: requestParams.extend({ deliveryId: idSchema.describe('The link’s id') }),
        body: z.object({ reason: z.string().max(2000).describe('Why the link is cancelled') }),
        response: { 200: z.object({ cancelled: z.literal(true) }), ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { id, deliveryId } = request.params;
        await requests.cancelLink(actorOf(request), id, deliveryId, request.body.reason, requestContext(request));
        return { cancelled: true as const };
      }),
  );

  api.post(
    '/requests/:id/deliveries/:deliveryId/new-link',
    {
      config: { access: REQUEST_STEP_ROLES['send-new-link'] },
      schema: {
        operationId: 'RequestService.sendNewLink',
        summary: 'Send a new download link in place of one that expired or was cancelled unused (A-6)',
        description:
          'Business support, once the copy is sent and before the request is closed, for the request’s latest link when it expired or was cancelled before anything was downloaded. The new link is like the first: the approved copy, emailed to the address the requester confirmed (never returned), a one-time code needed, the same expiry and downloads per file. The request’s timeline records it with the reason; the request stays sent. Any other link is refused (409, NEW_LINK_NOT_ALLOWED) and makes nothing; a link of another request is 404.',
        tags: TAGS,
        params: requestParams.extend({ deliveryId: idSchema.describe('The link to replace') }),
        body: z.object({ version, reason: z.string().max(2000).describe('Why the requester needs a new link') }),
        response: {
          200: stepResultSchema.extend({ deliveryId: z.uuid().describe('The new download link') }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { id, deliveryId } = request.params;
        const r = await requests.sendNewLink(
          actorOf(request),
          id,
          request.body.version,
          { previousDeliveryId: deliveryId, reason: request.body.reason },
          requestContext(request),
        );
        return { ...stepResultOut(r), deliveryId: r.deliveryId };
      }),
  );

  api.post(
    '/requests/:id/send',
    {
      config: { access: REQUEST_STEP_ROLES.send },
      schema: {
        operationId: 'RequestService.sendCopy',
        summary: 'Send the approved copy (A-6) and record it as sent',
        description:
          'Business support. In one transaction: the secure download link is made and the requester is emailed it at the address they confirmed (never returned), the request is recorded as sent, the chair, the social worker and the QA service manager are emailed and a case note is written on each child’s record (A-7). Any problem leaves no link and the request unchanged.',
        tags: TAGS,
        params: requestParams,
        body: z.object({
          version,
          copyId: idSchema.optional().describe('The approved copy (the default); another is refused'),
        }),
        response: {
          200: stepResultSchema.extend({ deliveryId: z.uuid().describe('The download link made') }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { version: v, copyId } = request.body;
        const r = await requests.sendCopy(
          actorOf(request),
          request.params.id,
          v,
          { copyId: copyId ?? null },
          requestContext(request),
        );
        return { ...stepResultOut(r), deliveryId: r.deliveryId };
      }),
  );
}
