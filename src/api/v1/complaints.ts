/**
 * Complaints about a conference for integrations (W-7, 002 §3.12): the same use cases, access rules and audit trail
 * as the pages. A complaint is listed, recorded, read, moved through the council's stages (a formal investigation
 * names its investigator, who may then view the conference's written record and listen to its recordings until
 * the complaint closes) and closed with an outcome. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ComplaintUseCases, ComplaintView } from '../../app/complaints/complaint-service.ts';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_ROLES,
  COMPLAINT_STAGES,
  COMPLAINT_SUBJECTS,
} from '../../domain/complaints/complaints.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const TAGS = ['complaints'];
/** Chairs, business support and managers record and manage complaints. */
const MANAGE = { access: COMPLAINT_ROLES };
/** A complaint is also read by its investigator, who works with children's records (the use case checks). */
const READ = { access: CHILD_RECORD_ROLES };

const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
const complaintParams = conferenceParams.extend({ complaintId: idSchema.describe('The complaint’s id') });
const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const version = z
  .number()
  .int()
  .min(1)
  .describe('The complaint’s `version` as last read: if it has changed since, nothing is saved (409)');

const complaintSchema = z.object({
  id: z.uuid(),
  about: z.array(z.enum(COMPLAINT_SUBJECTS)),
  complainant: z.object({ inviteeId: z.uuid().nullable(), name: z.string() }),
  receivedOn: isoDate,
  summary: z.string(),
  stage: z.enum(COMPLAINT_STAGES),
  investigator: z.object({ userId: z.uuid(), name: z.string() }).nullable(),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  closedOn: isoDate.nullable(),
  open: z.boolean(),
  version: z.number().int(),
});

function toApi(c: ComplaintView): z.infer<typeof complaintSchema> {
  return {
    id: c.id,
    about: c.about.map((a) => a.value),
    complainant: { inviteeId: c.complainant.inviteeId, name: c.complainant.name },
    receivedOn: c.receivedOn,
    summary: c.summary,
    stage: c.stage.value,
    investigator: c.investigator ? { userId: c.investigator.userId, name: c.investigator.name } : null,
    outcome: c.outcome?.value ?? null,
    closedOn: c.closedOn,
    open: c.open,
    version: c.version,
  };
}

export function complaintsRoutes(app: FastifyInstance, complaints: ComplaintUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/complaints',
    {
      config: MANAGE,
      schema: {
        operationId: 'ComplaintService.list',
        summary: 'A conference’s complaints (W-7)',
        description:
          'Oldest received first, with the parents and young people who may be named as the complainant. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: {
          200: z.object({
            complaints: z.array(complaintSchema),
            complainants: z.array(z.object({ inviteeId: z.uuid(), name: z.string() })),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const v = await complaints.list(request.actor!, request.params.id, requestContext(request));
      return { complaints: v.complaints.map(toApi), complainants: v.complainants };
    },
  );

  api.post(
    '/conferences/:id/complaints',
    {
      config: MANAGE,
      schema: {
        operationId: 'ComplaintService.record',
        summary: 'Record a complaint about the conference (W-7, 002 §3.12)',
        description:
          'What it is about (one or more), who complained (an invitee who is a parent or the young person, or a name), when it was received and what it says. Starts at informal resolution by the chair; a case note goes on each child’s record. Every problem is answered at once (422).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          about: z.array(z.string().max(40)).max(10),
          complainantInviteeId: idSchema.nullable().default(null),
          complainantName: z.string().max(1_000).nullable().default(null),
          receivedOn: z.string().max(20),
          summary: z.string().max(20_000),
        }),
        response: { 201: complaintSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const saved = await complaints.record(request.actor!, request.params.id, request.body, requestContext(request));
        return reply.code(201).send(toApi(saved));
      }),
  );

  api.get(
    '/conferences/:id/complaints/:complaintId',
    {
      config: READ,
      schema: {
        operationId: 'ComplaintService.detail',
        summary: 'One complaint (W-7)',
        description:
          'For chairs, business support and managers, and for its investigator while it is open (even without access to the children otherwise). Audited.',
        tags: TAGS,
        params: complaintParams,
        response: { 200: z.object({ complaint: complaintSchema }), ...readErrors },
      },
    },
    async (request) => {
      const p = request.params;
      const v = await complaints.detail(request.actor!, p.id, p.complaintId, requestContext(request));
      return { complaint: toApi(v.complaint) };
    },
  );

  api.post(
    '/conferences/:id/complaints/:complaintId/stage',
    {
      config: MANAGE,
      schema: {
        operationId: 'ComplaintService.changeStage',
        summary: 'Move a complaint to a later stage, or change its investigator (W-7)',
        description:
          'Stages go forward only: informal resolution by the chair, formal investigation, review panel. The formal stages name an investigator (a staff user who works with children’s records), who may view the conference’s written record and listen to its recordings while the complaint is open. A closed complaint is 409.',
        tags: TAGS,
        params: complaintParams,
        body: z.object({
          stage: z.string().max(40),
          investigatorUserId: idSchema.nullable().default(null),
          version,
        }),
        response: { 200: complaintSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return toApi(
          await complaints.changeStage(request.actor!, p.id, p.complaintId, request.body, requestContext(request)),
        );
      }),
  );

  api.post(
    '/conferences/:id/complaints/:complaintId/close',
    {
      config: MANAGE,
      schema: {
        operationId: 'ComplaintService.close',
        summary: 'Close a complaint with its outcome (W-7)',
        description:
          'Upheld, partly upheld, not upheld or withdrawn, with the date it closed. The investigator’s access ends; a case note goes on each child’s record. Already closed is 409.',
        tags: TAGS,
        params: complaintParams,
        body: z.object({ outcome: z.string().max(40), closedOn: z.string().max(20), version }),
        response: { 200: complaintSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return toApi(
          await complaints.close(request.actor!, p.id, p.complaintId, request.body, requestContext(request)),
        );
      }),
  );
}

export async function complaintsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  complaintsRoutes(app, services.complaints);
}
