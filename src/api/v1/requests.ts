/**
 * Requests for copies of conference recordings for integrations (A-1 … A-10): the work queue, recording
 * a request (A-1 eligibility checked against the record, an ineligible request recorded and refused),
 * a request's state and due date, and its timeline. The same use cases, access rules (a request
 * role, and every child in the conference) and audit trail as the pages.
 *
 * Responses are allow-lists: the requester's email address and the details they gave at A-5 never
 * leave through the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RequestSummaryRow, RequestView, StepView } from '../../app/requests/request-service.ts';
import {
  REQUEST_ACTIONS,
  REQUEST_STATES,
  REQUEST_VIEW_ROLES,
  REQUESTER_TYPES,
  REQUEST_STEP_ROLES,
} from '../../domain/requests/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';
import { idSchema } from '../../domain/shared/ids.ts';

const VIEW = { access: REQUEST_VIEW_ROLES };
const RECEIVE = { access: REQUEST_STEP_ROLES.receive };
const TAGS = ['requests for copies'];

/** Answered 409: sound input, but the request has moved on (a stale version, a step not possible now). */
const STATE_CODES = new Set(['CONFLICT', 'INVALID_TRANSITION', 'OUT_OF_ORDER', 'ALREADY_EXTENDED']);

const withRequestRules = <T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> =>
  withRules(reply, run, STATE_CODES);

// ------------------------------------------------------------------ schemas

const RAGS = ['overdue', 'due-soon', 'on-track'] as const;
const staffRef = z.object({ id: z.uuid(), name: z.string() });
const named = z.object({ id: z.uuid(), name: z.string() });
const iso = (d: Date) => d.toISOString();

const summarySchema = z.object({
  id: z.uuid(),
  reference: z.string().describe('The request’s reference, like CR-2026-0007 (no personal data)'),
  conference: z.object({
    id: z.uuid(),
    title: z.string(),
    date: z.iso.date(),
    typeLabel: z.string(),
    childNames: z.array(z.string()),
  }),
  requesterType: z.enum(REQUESTER_TYPES).describe('A-1: who asked'),
  requesterTypeLabel: z.string(),
  requesterName: z.string().describe('The person who asked, or the contact and their organisation'),
  state: z.enum(REQUEST_STATES),
  stateLabel: z.string(),
  receivedOn: z.iso.date().describe('A-9: the day the request was received starts the clock'),
  dueOn: z.iso.date().describe('A-9: the date the copy must be sent by (one calendar month, or three once extended)'),
  status: z
    .object({ status: z.enum(RAGS), workingDaysLeft: z.number().int() })
    .nullable()
    .describe(
      'Red (`overdue`), amber (`due-soon`) or green (`on-track`); null once the copy has been sent or the request has ended',
    ),
  sentInTime: z.boolean().nullable().describe('Once sent: whether on or before the due date'),
  extended: z.boolean(),
  chair: staffRef.nullable().describe('The chair responsible'),
});

const stepSchema = z.object({
  seq: z.number().int().describe('Order of the step'),
  action: z
    .enum([...REQUEST_ACTIONS, 'warning'])
    .describe('The step taken, or `warning`: something that could not be done (e.g. nobody in a role to tell)'),
  actionLabel: z.string(),
  from: z.enum(REQUEST_STATES).nullable(),
  to: z.enum(REQUEST_STATES),
  at: z.iso.datetime(),
  actor: staffRef.nullable(),
  details: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .describe('What was recorded with the step, in words (never the requester’s contact details or reply)'),
});

const detailSchema = summarySchema.extend({
  version: z.number().int().describe('Send back with any change: a change made since is refused (409)'),
  next: z.string().describe('What happens next, and the rule behind it'),
  deadline: z.object({ due: z.iso.date(), rule: z.string(), explanation: z.string() }),
  childrenCovered: z.array(named).describe('A-1: the children whose information this requester may be given'),
  childrenWithoutPr: z
    .array(named)
    .describe('A-3: the conference’s children the requester holds no parental responsibility for'),
  requesterDetails: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .describe('The details given for an organisation (court reference, complaint reference, authority)'),
  referred: z.boolean().describe('The chair has referred the request to business support (A-3)'),
  withheldParts: z.number().int().describe('How many parts of the recording(s) are withheld from this requester'),
  actions: z.array(z.enum(REQUEST_ACTIONS)).describe('The steps the token’s account may take now'),
  outcome: z
    .object({ kind: z.enum(['refused', 'withdrawn']), reason: z.string(), by: staffRef, at: z.iso.datetime() })
    .nullable(),
  extension: z.object({ reason: z.string(), toldOn: z.iso.date(), by: staffRef, at: z.iso.datetime() }).nullable(),
  warnings: z.array(z.object({ at: z.iso.datetime(), text: z.string() })),
});

const summaryOut = (r: RequestSummaryRow) => ({
  id: r.id,
  reference: r.reference,
  conference: {
    id: r.conference.id,
    title: r.conference.title,
    date: r.conference.date,
    typeLabel: r.conference.typeLabel,
    childNames: r.conference.childNames,
  },
  requesterType: r.requesterType,
  requesterTypeLabel: r.requesterTypeLabel,
  requesterName: r.requesterName,
  state: r.state,
  stateLabel: r.stateLabel,
  receivedOn: r.receivedOn,
  dueOn: r.dueOn,
  status: r.status ? { status: r.status.status, workingDaysLeft: r.status.workingDaysLeft } : null,
  sentInTime: r.sentInTime,
  extended: r.extended,
  chair: r.chair ? { id: r.chair.id, name: r.chair.name } : null,
});

const stepOut = (s: StepView) => ({
  seq: s.seq,
  action: s.action,
  actionLabel: s.actionLabel,
  from: s.from,
  to: s.to,
  at: iso(s.at),
  actor: s.actor ? { id: s.actor.id, name: s.actor.name } : null,
  details: s.details.map((d) => ({ label: d.label, value: d.value })),
});

const detailOut = (v: RequestView) => ({
  ...summaryOut(v),
  version: v.version,
  next: v.next,
  deadline: { due: v.deadline.due, rule: v.deadline.rule, explanation: v.deadline.explanation },
  childrenCovered: v.childrenCovered.map((c) => ({ id: c.id, name: c.name })),
  childrenWithoutPr: v.childrenWithoutPr.map((c) => ({ id: c.id, name: c.name })),
  requesterDetails: v.requesterDetails.map((d) => ({ label: d.label, value: d.value })),
  referred: v.referral !== null,
  withheldParts: v.referral?.withheld.length ?? 0,
  actions: v.actions,
  outcome: v.outcome
    ? {
        kind: v.outcome.kind,
        reason: v.outcome.reason,
        by: { id: v.outcome.by.id, name: v.outcome.by.name },
        at: iso(v.outcome.at),
      }
    : null,
  extension: v.extension
    ? {
        reason: v.extension.reason,
        toldOn: v.extension.toldOn,
        by: { id: v.extension.by.id, name: v.extension.by.name },
        at: iso(v.extension.at),
      }
    : null,
  warnings: v.warnings.map((w) => ({ at: iso(w.at), text: w.text })),
});

const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

const listQuery = z.object({
  step: z
    .union([z.enum(REQUEST_STATES), z.array(z.enum(REQUEST_STATES))])
    .optional()
    .describe('Only requests at this step (repeat for several)'),
  status: z
    .union([z.enum(RAGS), z.array(z.enum(RAGS))])
    .optional()
    .describe('Only requests with this red/amber/green status (repeat for several)'),
  mine: z.enum(['true', 'false']).optional().describe('`true`: only requests whose chair is the token’s account'),
  includeFinished: z.enum(['true', 'false']).optional().describe('`true`: closed, refused and withdrawn requests too'),
});
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const text = (max: number) => z.string().max(max).nullish();
const receiveBody = z.object({
  receivedOn: z.string().max(20).describe('YYYY-MM-DD: the day the request was received (A-9)'),
  chairId: idSchema.nullish().describe('The chair the requester asked, when someone else records it'),
  requester: z
    .object({
      type: z.enum(REQUESTER_TYPES).describe('A-1: who is asking'),
      childId: idSchema.nullish().describe('`child`: the child who is asking (13 or over on the day received)'),
      personId: idSchema
        .nullish()
        .describe('`pr-holder`: the family member asking (must hold PR for a child in the conference)'),
      contactName: text(200).describe('Organisations: the person asking'),
      courtName: text(200),
      courtReference: text(100),
      complaintReference: text(100),
      qaPurpose: z.enum(['audit', 'complex-complaint']).nullish(),
      authorityName: text(200),
      authorityReference: text(100),
      authorityPurpose: z.enum(['transfer-in', 'other']).nullish(),
    })
    .describe('Who is asking, with the details their type needs'),
});

// ------------------------------------------------------------------ routes

export async function requestsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { requests } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;
  const params = z.object({ id: idSchema.describe('The request’s id') });

  api.get(
    '/requests',
    {
      config: VIEW,
      schema: {
        summary: 'The work queue of requests for copies of recordings',
        description:
          'Every open request the token’s account may see (every child of the conference), soonest due first, with its A-9 due date and red/amber/green status. A chair or social worker sees only their own requests. Audited.',
        tags: TAGS,
        querystring: listQuery,
        response: {
          200: z.object({
            requests: z.array(summarySchema),
            counts: z.record(z.string(), z.number().int()).describe('Open requests at each step'),
          }),
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const view = await requests.queue(
        actorOf(request),
        {
          steps: list(q.step),
          statuses: list(q.status),
          mine: q.mine === 'true',
          includeFinished: q.includeFinished === 'true',
        },
        requestContext(request),
      );
      return { requests: view.rows.map(summaryOut), counts: view.counts };
    },
  );

  api.post(
    '/conferences/:id/requests',
    {
      config: RECEIVE,
      schema: {
        summary: 'Record a request for a copy of the conference’s recording (A-1)',
        description: [
          'Chair, business support, access to records or QA service manager. Eligibility is checked against the record: a child must be 13 or over on the day received and a subject of the conference; a person must hold parental responsibility for at least one child in it; another local authority only for its transfer-in conference.',
          'An ineligible request is still recorded, and refused at once with the reason (`refusal`). Missing details for the requester’s type are 422 with one `issues` entry per field.',
        ].join('\n\n'),
        tags: TAGS,
        params: z.object({ id: idSchema.describe('The conference’s id') }),
        body: receiveBody,
        response: {
          201: z.object({
            request: detailSchema,
            refusal: z.object({ code: z.string(), reason: z.string() }).nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const b = request.body;
        const ctx = requestContext(request);
        const r = await requests.receive(
          actorOf(request),
          {
            conferenceId: request.params.id,
            receivedOn: b.receivedOn,
            requester: b.requester,
            chairId: b.chairId ?? null,
          },
          ctx,
        );
        const view = await requests.get(actorOf(request), r.id, ctx);
        return reply.code(201).send({ request: detailOut(view), refusal: r.refusal });
      }),
  );

  api.get(
    '/requests/:id',
    {
      config: VIEW,
      schema: {
        summary: 'A request for a copy: its step, due date, children covered and outcome',
        description:
          'Only for someone with a request role who may see every child in its conference; audited. The requester’s email address and their A-5 reply are not included.',
        tags: TAGS,
        params,
        response: { 200: detailSchema, ...readErrors },
      },
    },
    async (request) => detailOut(await requests.get(actorOf(request), request.params.id, requestContext(request))),
  );

  api.get(
    '/requests/:id/steps',
    {
      config: VIEW,
      schema: {
        summary: 'A request’s timeline: every step, when and by whom',
        description: 'Oldest first, including anything that could not be done (`warning`). Audited.',
        tags: TAGS,
        params,
        response: { 200: z.object({ steps: z.array(stepSchema) }), ...readErrors },
      },
    },
    async (request) => ({
      steps: (await requests.steps(actorOf(request), request.params.id, requestContext(request))).map(stepOut),
    }),
  );
}
