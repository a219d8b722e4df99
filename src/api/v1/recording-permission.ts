/**
 * Requests to record a meeting, for integrations (P-1, P-2, P-3, P-6, T-11): the same use cases, access rules and
 * audit trail as the pages. A request is recorded for a conference or another meeting about a child (someone who may
 * not ask is refused at once with the reason), its signed notice of intent attached (base64, checked by content),
 * professionals' views recorded where they disagree about a conference, decided by the chair or social worker
 * against the refusal grounds with the evidence for each and what is offered instead, and confirmed to the
 * requester. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  MeetingRequests,
  PermissionRequestDetail,
  PermissionRequestView,
  RecordingPermissionUseCases,
} from '../../app/recording-permission/service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../domain/access/child-access.ts';
import {
  ALTERNATIVES,
  MEETING_KINDS,
  REFUSAL_GROUNDS,
  REQUEST_METHODS,
  REQUEST_STATUSES,
  UNDERTAKING_METHODS,
  VIEWS,
} from '../../domain/recording-permission/requests.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const TAGS = ['recording permission'];
const READ = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

const requestParams = z.object({ requestId: idSchema.describe('The request’s id') });
const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
const version = z
  .number()
  .int()
  .min(1)
  .describe('The request’s `version` as last read: if it has changed since, nothing is saved (409)');
/** The signed notice, base64: at most 10 MB once decoded. */
const fileBase64 = z
  .string()
  .max(14_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  .describe('The signed notice of intent, base64: a PDF, JPEG or PNG of at most 10 MB, checked by its content');

const requestSchema = z.object({
  id: z.uuid(),
  meeting: z.object({
    kind: z.enum(MEETING_KINDS),
    conferenceId: z.uuid().nullable(),
    childId: z.uuid().nullable(),
    date: z.string(),
    time: z.string(),
    organiser: z.string().nullable(),
  }),
  requester: z.object({
    kind: z.enum(['child', 'family', 'someone-else']),
    name: z.string(),
    childId: z.uuid().nullable(),
    personId: z.uuid().nullable(),
  }),
  askedAt: z.iso.datetime(),
  method: z.enum(REQUEST_METHODS),
  purpose: z.string(),
  undertaking: z.object({
    method: z.enum(UNDERTAKING_METHODS),
    signed: z.boolean(),
    signedVia: z.enum(['upload', 'online']).nullable(),
    file: z.object({ format: z.enum(['pdf', 'png', 'jpeg']), size: z.number().int() }).nullable(),
  }),
  notice: z.object({ hoursBefore: z.number().int(), late: z.boolean() }).describe('T-11: asked at short notice'),
  status: z.enum(REQUEST_STATUSES),
  notEligibleReason: z.string().nullable(),
  decision: z
    .object({
      outcome: z.enum(['granted', 'refused']),
      grounds: z.array(z.object({ ground: z.enum(REFUSAL_GROUNDS), evidence: z.string() })),
      alternatives: z.array(z.enum(ALTERNATIVES)),
      alternativesNote: z.string().nullable(),
      reasons: z.string(),
      decidedBy: z.string().nullable(),
    })
    .nullable(),
  confirmed: z.object({ byEmail: z.boolean() }).nullable(),
  timeLeft: z.string().nullable(),
  version: z.number().int(),
});

function toApi(r: PermissionRequestView): z.infer<typeof requestSchema> {
  return {
    id: r.id,
    meeting: {
      kind: r.meeting.kind,
      conferenceId: r.meeting.conferenceId,
      childId: r.meeting.childId,
      date: r.meeting.date,
      time: r.meeting.time,
      organiser: r.meeting.organiser,
    },
    requester: { ...r.requester },
    askedAt: r.askedAt.toISOString(),
    method: r.method.value,
    purpose: r.purpose,
    undertaking: {
      method: r.undertaking.method,
      signed: r.undertaking.signed,
      signedVia: r.undertaking.signedVia,
      file: r.undertaking.file,
    },
    notice: r.notice,
    status: r.status.value,
    notEligibleReason: r.notEligibleReason,
    decision: r.decision
      ? {
          outcome: r.decision.outcome,
          grounds: r.decision.grounds.map((g) => ({ ground: g.ground, evidence: g.evidence })),
          alternatives: r.decision.alternatives.map((a) => a.value),
          alternativesNote: r.decision.alternativesNote,
          reasons: r.decision.reasons,
          decidedBy: r.decision.decidedBy,
        }
      : null,
    confirmed: r.confirmed ? { byEmail: r.confirmed.byEmail } : null,
    timeLeft: r.timeLeft,
    version: r.version,
  };
}

const listSchema = z.object({
  requests: z.array(requestSchema),
  candidates: z.object({
    children: z.array(z.object({ childId: z.uuid(), name: z.string() })),
    family: z.array(z.object({ personId: z.uuid(), name: z.string(), hasPr: z.boolean(), hasEmail: z.boolean() })),
  }),
  noticeHours: z.number().int(),
});

function listOut(v: MeetingRequests): z.infer<typeof listSchema> {
  return {
    requests: v.requests.map(toApi),
    candidates: {
      children: v.candidates.children,
      family: v.candidates.family.map((f) => ({
        personId: f.personId,
        name: f.name,
        hasPr: f.hasPr,
        hasEmail: f.hasEmail,
      })),
    },
    noticeHours: v.noticeHours,
  };
}

const detailSchema = z.object({
  request: requestSchema,
  decisionMaker: z.object({ name: z.string().nullable(), role: z.string() }),
  professionals: z.array(
    z.object({
      inviteeId: z.uuid(),
      name: z.string(),
      view: z.enum(VIEWS).nullable(),
      reason: z.string().nullable(),
    }),
  ),
  disagreement: z.boolean().describe('P-6: professionals disagree; the chair decides'),
  letter: z
    .object({ subject: z.string(), body: z.string(), recipientLines: z.array(z.string()), dateLine: z.string() })
    .nullable(),
  link: z
    .object({ state: z.enum(['active', 'expired', 'revoked', 'confirmed']) })
    .nullable()
    .describe('P-1: the latest secure link sent to the requester'),
  can: z.object({ decide: z.boolean(), edit: z.boolean(), confirm: z.boolean(), sendLink: z.boolean() }),
});

function detailOut(d: PermissionRequestDetail): z.infer<typeof detailSchema> {
  return {
    request: toApi(d.request),
    decisionMaker: d.decisionMaker,
    professionals: d.professionals.map((p) => ({
      inviteeId: p.inviteeId,
      name: p.name,
      view: p.view?.value ?? null,
      reason: p.reason,
    })),
    disagreement: d.disagreement,
    link: d.link ? { state: d.link.state } : null,
    letter: d.letter,
    can: d.can,
  };
}

const decode = (b64: string | null | undefined) => (b64 ? new Uint8Array(Buffer.from(b64, 'base64')) : null);

export function recordingPermissionRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.forConference',
        summary: 'The requests to record a conference (P-1, T-11)',
        description: 'Oldest asked first, with who may be named as the requester. Audited.',
        tags: TAGS,
        params: z.object({ id: idSchema.describe('The conference’s id') }),
        response: { 200: listSchema, ...readErrors },
      },
    },
    async (request) => listOut(await service.forConference(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/children/:childId/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.forChild',
        summary: 'The requests to record a core group, child in need or other meeting about a child (P-1, T-11)',
        description: 'Oldest asked first. Audited.',
        tags: TAGS,
        params: z.object({ childId: idSchema.describe('The child’s id') }),
        response: { 200: listSchema, ...readErrors },
      },
    },
    async (request) => listOut(await service.forChild(request.actor!, request.params.childId, requestContext(request))),
  );

  api.get(
    '/recording-permission',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.waiting',
        summary: 'Requests to record waiting for a decision, and decisions not yet confirmed (T-11, P-3)',
        description:
          'Only requests about children the caller may see; `mine` marks those the caller is to decide. Waiting requests come soonest meeting first, with the time left.',
        tags: TAGS,
        response: {
          200: z.object({
            waiting: z.array(z.object({ request: requestSchema, mine: z.boolean() })),
            unconfirmed: z.array(z.object({ request: requestSchema, mine: z.boolean() })),
          }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async (request) => {
      const v = await service.waiting(request.actor!, requestContext(request));
      return {
        waiting: v.waiting.map((w) => ({ request: toApi(w.request), mine: w.mine })),
        unconfirmed: v.unconfirmed.map((w) => ({ request: toApi(w.request), mine: w.mine })),
      };
    },
  );

  api.post(
    '/recording-permission',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.record',
        summary: 'Record a request to record a meeting (P-1, T-11)',
        description: [
          'The meeting is a conference (`conferenceId`) or another meeting about a child (`childId` with its kind, date, time and organiser). The requester is a child the meeting is about, a family member, or someone else by name: anyone but a child or a parent with parental responsibility for a child discussed is recorded and refused at once, with the reason and a case note on each child (P-1).',
          'A request made less than the council’s notice (48 hours) before the meeting is accepted and flagged, and the decision-maker emailed (T-11). With `undertaking: "upload"` the signed notice is `file` (base64). Every problem is answered at once (422).',
        ].join('\n\n'),
        tags: TAGS,
        body: z.object({
          meeting: z.union([
            z.object({ conferenceId: idSchema }),
            z.object({
              childId: idSchema,
              kind: z.string().max(40),
              date: z.string().max(20),
              time: z.string().max(10),
              organiser: z.string().max(1_000),
            }),
          ]),
          requester: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('child'), childId: idSchema }),
            z.object({ kind: z.literal('family'), personId: idSchema }),
            z.object({ kind: z.literal('someone-else'), name: z.string().max(1_000) }),
          ]),
          askedOn: z.string().max(20),
          askedAtTime: z.string().max(10),
          method: z.string().max(40),
          purpose: z.string().max(20_000),
          undertaking: z.string().max(40),
          file: fileBase64.nullable().default(null),
        }),
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const saved = await service.record(
          request.actor!,
          b.meeting,
          { ...b, file: decode(b.file) },
          requestContext(request),
        );
        return reply.code(201).send(toApi(saved));
      }),
  );

  api.get(
    '/recording-permission/:requestId',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.detail',
        summary: 'One request to record a meeting, with professionals’ views and the letter once decided',
        description: 'Audited.',
        tags: TAGS,
        params: requestParams,
        response: { 200: detailSchema, ...readErrors },
      },
    },
    async (request) =>
      detailOut(await service.detail(request.actor!, request.params.requestId, requestContext(request))),
  );

  api.post(
    '/recording-permission/:requestId/undertaking',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.attachUndertaking',
        summary: 'Attach the signed notice of intent (P-1)',
        description:
          'For a request waiting for it; the request then waits for a decision. A file that is not a PDF, JPEG or PNG is 422.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ file: fileBase64, version }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(
          await service.attachUndertaking(
            request.actor!,
            request.params.requestId,
            { content: decode(request.body.file), version: request.body.version },
            requestContext(request),
          ),
        ),
      ),
  );

  api.post(
    '/recording-permission/:requestId/link',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.sendUndertakingLink',
        summary: 'Email the requester a secure link to confirm the undertaking (P-1)',
        description:
          'For a parent with an email address on the record, while the request waits for the undertaking. The page the link opens sends a one-time code to the same address; only digests of the token and code are kept. A link still working is cancelled.',
        tags: TAGS,
        params: requestParams,
        response: { 200: detailSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(await service.sendUndertakingLink(request.actor!, request.params.requestId, requestContext(request))),
      ),
  );

  api.get(
    '/recording-permission/:requestId/undertaking',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.undertakingFile',
        summary: 'The signed notice of intent, as attached',
        description: 'Audited as a view of sensitive data.',
        tags: TAGS,
        params: requestParams,
        response: {
          200: {
            description: 'The signed notice',
            content: {
              'application/pdf': { schema: z.string().meta({ format: 'binary' }) },
              'image/jpeg': { schema: z.string().meta({ format: 'binary' }) },
              'image/png': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...readErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await service.undertakingFile(request.actor!, request.params.requestId, requestContext(request));
      reply.header('Content-Type', file.mediaType);
      reply.header('Content-Length', String(file.size));
      reply.header('Cache-Control', 'no-store');
      const raw: FastifyReply = reply;
      return raw.send(file.stream);
    },
  );

  api.post(
    '/recording-permission/:requestId/views',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.recordView',
        summary: 'Record a professional’s view on recording the conference (P-6)',
        description:
          'A professional invited to the conference agrees or disagrees (with the reason). Where professionals disagree the chair decides. Recording again replaces their view.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ inviteeId: idSchema, view: z.string().max(20), reason: z.string().max(20_000).default('') }),
        response: { 200: detailSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(
          await service.recordView(request.actor!, request.params.requestId, request.body, requestContext(request)),
        ),
      ),
  );

  api.post(
    '/recording-permission/:requestId/decision',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.decide',
        summary: 'Decide a request to record (P-2, P-6)',
        description:
          'By the conference’s chair, or the child’s social worker (or a team manager) for another meeting; anyone else is 403 (audited). A refusal names at least one ground with its evidence and at least one alternative; recording is allowed only once the undertaking is signed. A case note goes on each child’s record.',
        tags: TAGS,
        params: requestParams,
        body: z.object({
          outcome: z.string().max(20),
          grounds: z.array(z.object({ ground: z.string().max(40), evidence: z.string().max(20_000) })).max(10),
          alternatives: z.array(z.string().max(40)).max(10),
          alternativesNote: z.string().max(20_000).default(''),
          reasons: z.string().max(20_000),
          version,
        }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(await service.decide(request.actor!, request.params.requestId, request.body, requestContext(request))),
      ),
  );

  api.post(
    '/recording-permission/:requestId/confirmation',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.confirm',
        summary: 'Confirm the decision to the requester (P-3)',
        description:
          'The letter (in `detail`) is for posting; where the requester has an email address the same wording is emailed. A case note goes on each child’s record. Already confirmed, or not yet decided, is 409.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ version }),
        response: { 200: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        toApi(await service.confirm(request.actor!, request.params.requestId, request.body, requestContext(request))),
      ),
  );
}

export async function recordingPermissionApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingPermissionRoutes(app, services.recordingPermission);
}
