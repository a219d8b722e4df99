/**
 * Retention and disposal, for integrations: the same use cases as the pages. Schedules, the review of records
 * that have reached their date, legal holds, proposals and their approval by a second person, and certificates.
 * Information governance, the QA service manager and administrators only (schedules are changed by an administrator
 * or the QA service manager); every view, change and refusal is audited with ids only.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HoldRecord, ItemEvidence, ProposalRecord } from '../../../app/retention/ports.ts';
import { PAGE_SIZE, type ScheduleView, proposalReference } from '../../../app/retention/retention-service.ts';
import { PROPOSAL_STATES, REASON_MAX } from '../../../domain/retention/disposal.ts';
import {
  DISPOSABLE_KINDS,
  RECORD_KINDS,
  RETENTION_ROLES,
  SCHEDULE_ROLES,
  TRIGGERS,
} from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, isoDateOf, recordErrors, requestContext, withRules } from '../schemas.ts';

const OFFICERS = { access: [...RETENTION_ROLES] };
const SETTERS = { access: [...SCHEDULE_ROLES] };
const TAGS = ['retention and disposal'];
const readErrors = { 401: errorResponse, 403: errorResponse };
/** Four eyes (the proposer approving) and a proposal no longer waiting are refused with 409 and their code. */
const RULE_CODES = new Set(['FOUR_EYES', 'CONFLICT']);

const scheduleSchema = z.object({
  kind: z.enum(RECORD_KINDS),
  name: z.string(),
  trigger: z.enum(TRIGGERS).describe('What the period counts from'),
  years: z.number().int().describe('Whole years after the trigger (from a child’s birth: the youngest child’s age)'),
  minimumYearsAfterConference: z
    .number()
    .int()
    .describe('Counting from a child’s birth: at least this long after the conference'),
  description: z.string(),
  isDefault: z.boolean(),
  version: z.number().int().describe('0 while the default is in use; send it back with a change'),
  updatedAt: z.string().nullable(),
  updatedByName: z.string().nullable(),
});
const schedulesOut = (views: ScheduleView[]) =>
  views.map((v) => ({
    kind: v.kind,
    name: v.name,
    trigger: v.schedule.trigger,
    years: v.schedule.years,
    minimumYearsAfterConference: v.schedule.minimumYearsAfterConference,
    description: v.description,
    isDefault: v.isDefault,
    version: v.version,
    updatedAt: v.updatedAt?.toISOString() ?? null,
    updatedByName: v.updatedByName,
  }));

const holdSchema = z.object({
  id: z.string(),
  kind: z.enum(DISPOSABLE_KINDS),
  itemId: z.string(),
  reason: z.string(),
  placedByName: z.string(),
  placedAt: z.string(),
  removedByName: z.string().nullable(),
  removedAt: z.string().nullable(),
  removalReason: z.string().nullable(),
});
const holdOut = (h: HoldRecord) => ({
  id: h.id,
  kind: h.kind,
  itemId: h.itemId,
  reason: h.reason,
  placedByName: h.placedByName,
  placedAt: h.placedAt.toISOString(),
  removedByName: h.removedByName,
  removedAt: h.removedAt?.toISOString() ?? null,
  removalReason: h.removalReason,
});

const proposalSchema = z.object({
  id: z.string(),
  reference: z.string().describe('DP-nnnn'),
  state: z.enum(PROPOSAL_STATES),
  note: z.string().nullable(),
  proposedByName: z.string(),
  proposedAt: z.string(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  declinedByName: z.string().nullable(),
  declinedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  completedAt: z.string().nullable(),
  itemCount: z.number().int(),
  version: z.number().int().describe('Send it back to approve or decline'),
});
const proposalOut = (p: ProposalRecord) => ({
  id: p.id,
  reference: proposalReference(p.number),
  state: p.state,
  note: p.note,
  proposedByName: p.proposedByName,
  proposedAt: p.proposedAt.toISOString(),
  approvedByName: p.approvedByName,
  approvedAt: p.approvedAt?.toISOString() ?? null,
  declinedByName: p.declinedByName,
  declinedAt: p.declinedAt?.toISOString() ?? null,
  declineReason: p.declineReason,
  completedAt: p.completedAt?.toISOString() ?? null,
  itemCount: p.itemCount,
  version: p.version,
});

const fileSchema = z.object({
  what: z.string().describe('original | playback | disclosure-copy | unfinished-ingest'),
  blobSha256: z.string().nullable().describe('SHA-256 of the stored (encrypted) file'),
  contentSha256: z.string().nullable().describe('SHA-256 of the content (the recording’s evidence hash, the MP3 sent)'),
  blobSize: z.number().int(),
});
const filesOut = (e: ItemEvidence | null) =>
  (e?.files ?? []).map((f) => ({
    what: f.what,
    blobSha256: f.blobSha256,
    contentSha256: f.contentSha256,
    blobSize: f.blobSize,
  }));

const itemRef = z.object({ kind: z.enum(DISPOSABLE_KINDS), id: idSchema });

export async function retentionApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/schedules',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.schedules',
        summary: 'The council’s retention schedule for each kind of record (R-4)',
        tags: TAGS,
        response: { 200: z.array(scheduleSchema), ...readErrors },
      },
    },
    async (request) => schedulesOut(await retention.schedules(request.actor!, requestContext(request))),
  );

  api.put(
    '/retention/schedules/:kind',
    {
      config: SETTERS,
      schema: {
        operationId: 'RetentionService.changeSchedule',
        summary: 'Change one retention schedule (R-4)',
        description: 'At the version last read: a schedule changed since is refused (409). Audited before and after.',
        tags: TAGS,
        params: z.object({ kind: z.enum(RECORD_KINDS) }),
        body: z.object({
          version: z.number().int().min(0),
          trigger: z.enum(TRIGGERS),
          years: z.number().int(),
          minimumYearsAfterConference: z.number().int().optional(),
        }),
        response: { 200: z.array(scheduleSchema), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { version, ...value } = request.body;
        return schedulesOut(
          await retention.changeSchedule(
            request.actor!,
            request.params.kind,
            { value, version },
            requestContext(request),
          ),
        );
      }),
  );

  api.get(
    '/retention/review',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.review',
        summary: 'Records that have reached their retention date, oldest first, a page at a time',
        description: `${PAGE_SIZE} a page. Held records are listed with their hold and are never proposable. Audited with the ids shown.`,
        tags: TAGS,
        querystring: z.object({
          kind: z.enum(DISPOSABLE_KINDS).optional(),
          page: z.coerce.number().int().min(1).optional(),
        }),
        response: {
          200: z.object({
            today: isoDateOf('Today in England'),
            page: z.number().int(),
            pages: z.number().int(),
            total: z.number().int(),
            items: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                id: z.string(),
                context: z.string().describe('Conference type and date, children’s local references: no names'),
                conferenceId: z.string(),
                dueOn: isoDateOf('When it reached its retention date'),
                holdId: z.string().nullable(),
                proposalId: z.string().nullable(),
                copiesKept: z.number().int().describe('A recording’s copies still kept: destroy them first'),
                proposable: z.boolean(),
              }),
            ),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const r = await retention.review(request.actor!, request.query, requestContext(request));
      return {
        today: r.today,
        page: r.page,
        pages: r.pages,
        total: r.total,
        items: r.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          context: i.context,
          conferenceId: i.conferenceId,
          dueOn: i.dueOn,
          holdId: i.hold?.id ?? null,
          proposalId: i.proposal?.id ?? null,
          copiesKept: i.copiesKept,
          proposable: i.proposable,
        })),
      };
    },
  );

  api.get(
    '/retention/holds',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.holds',
        summary: 'Current legal holds',
        tags: TAGS,
        response: { 200: z.array(holdSchema), ...readErrors },
      },
    },
    async (request) => (await retention.holds(request.actor!, requestContext(request))).map(holdOut),
  );

  api.get(
    '/retention/holds/:id',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.hold',
        summary: 'One legal hold, current or removed',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: { 200: holdSchema, ...recordErrors },
      },
    },
    async (request) => holdOut(await retention.hold(request.actor!, request.params.id, requestContext(request))),
  );

  api.post(
    '/retention/holds',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.placeHold',
        summary: 'Place a legal hold on a record, with the reason it must be kept',
        description: 'A record already on hold is refused (409). Audited with ids only.',
        tags: TAGS,
        body: z.object({ kind: z.enum(DISPOSABLE_KINDS), itemId: idSchema, reason: z.string().max(REASON_MAX + 1000) }),
        response: { 201: z.object({ id: z.string() }), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const r = await retention.placeHold(request.actor!, request.body, requestContext(request));
        return reply.code(201).send(r);
      }),
  );

  api.post(
    '/retention/holds/:id/removal',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.removeHold',
        summary: 'Remove a legal hold, with the reason it is no longer needed',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ reason: z.string().max(REASON_MAX + 1000) }),
        response: { 204: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await retention.removeHold(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(204).send(null);
      }),
  );

  api.get(
    '/retention/proposals',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.proposals',
        summary: 'Disposal proposals, newest first',
        tags: TAGS,
        response: { 200: z.array(proposalSchema), ...readErrors },
      },
    },
    async (request) => (await retention.proposals(request.actor!, requestContext(request))).map(proposalOut),
  );

  api.post(
    '/retention/proposals',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.propose',
        summary: 'Propose records for destruction',
        description:
          'Each must have reached its date, not be on legal hold, not be in another live proposal, and (a recording) have no copies kept; every problem at once (422). A second, different person must approve.',
        tags: TAGS,
        body: z.object({ items: z.array(itemRef).min(1).max(500), note: z.string().max(REASON_MAX).optional() }),
        response: { 201: z.object({ id: z.string(), reference: z.string() }), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = await retention.propose(request.actor!, request.body, requestContext(request));
        return reply.code(201).send({ id: p.id, reference: proposalReference(p.number) });
      }),
  );

  api.get(
    '/retention/proposals/:id',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.proposal',
        summary: 'One proposal with its records and how far their destruction has gone',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: {
          200: proposalSchema.extend({
            items: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                itemId: z.string(),
                dueOn: isoDateOf('Its retention date'),
                state: z.enum(['pending', 'destroyed', 'held']),
                destroyedAt: z.string().nullable(),
              }),
            ),
          }),
          ...recordErrors,
        },
      },
    },
    async (request) => {
      const p = await retention.proposal(request.actor!, request.params.id, requestContext(request));
      return {
        ...proposalOut(p),
        items: p.items.map((i) => ({
          kind: i.kind,
          itemId: i.itemId,
          dueOn: i.dueOn,
          state: i.state,
          destroyedAt: i.destroyedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  api.post(
    '/retention/proposals/:id/approval',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.approve',
        summary: 'Approve a proposal: a second, different person (four eyes)',
        description:
          'The proposer is refused (409 four_eyes, audited). Destruction then runs as a background job; read the proposal until its state is destroyed.',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ version: z.number().int() }),
        response: { 202: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await retention.approve(request.actor!, request.params.id, request.body, requestContext(request));
          return reply.code(202).send(null);
        },
        RULE_CODES,
      ),
  );

  api.post(
    '/retention/proposals/:id/decline',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.decline',
        summary: 'Decline (or, by the proposer, withdraw) a proposal, with the reason the records should be kept',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ version: z.number().int(), reason: z.string().max(REASON_MAX + 1000) }),
        response: { 204: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await retention.decline(request.actor!, request.params.id, request.body, requestContext(request));
          return reply.code(204).send(null);
        },
        RULE_CODES,
      ),
  );

  api.get(
    '/retention/proposals/:id/certificate',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.certificate',
        summary: 'The disposal certificate of a finished destruction: what, when, who, and the SHA-256s',
        description: 'Not found until the destruction has finished. Audited.',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: {
          200: z.object({
            reference: z.string(),
            proposedByName: z.string(),
            proposedAt: z.string(),
            approvedByName: z.string(),
            approvedAt: z.string(),
            completedAt: z.string(),
            schedules: z.record(z.string(), z.string()),
            destroyed: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                itemId: z.string(),
                dueOn: isoDateOf('Its retention date'),
                destroyedAt: z.string(),
                files: z.array(fileSchema),
              }),
            ),
            keptOnHold: z.array(z.object({ kind: z.enum(DISPOSABLE_KINDS), itemId: z.string() })),
          }),
          ...recordErrors,
        },
      },
    },
    async (request) => {
      const c = await retention.certificate(request.actor!, request.params.id, requestContext(request));
      return {
        reference: c.reference,
        proposedByName: c.proposedByName,
        proposedAt: c.proposedAt.toISOString(),
        approvedByName: c.approvedByName,
        approvedAt: c.approvedAt.toISOString(),
        completedAt: c.completedAt.toISOString(),
        schedules: c.schedules,
        destroyed: c.destroyed.map((d) => ({
          kind: d.kind,
          itemId: d.itemId,
          dueOn: d.dueOn,
          destroyedAt: d.destroyedAt.toISOString(),
          files: filesOut(d.evidence),
        })),
        keptOnHold: c.keptOnHold.map((k) => ({ kind: k.kind, itemId: k.itemId })),
      };
    },
  );
}
