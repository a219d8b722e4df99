/**
 * The schemas and allow-list mappers every requests-for-copies API route shares (A-1 … A-10): what a
 * request looks like in a response, the error statuses, and the `version` a change carries. A mapper
 * copies only the fields named here: the requester's email address and their A-5 reply never leave.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RequestContext } from '../../../app/audit/audit-log.ts';
import type { Actor, Role } from '../../../domain/access/roles.ts';
import type { RequestSummaryRow, RequestView, StepResult, StepView } from '../../../app/requests/request-service.ts';
import { REQUEST_ACTIONS, REQUEST_STATES, REQUESTER_TYPES } from '../../../domain/requests/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';

export const TAGS = ['requests for copies'];

/** Answered 409: sound input, but the request has moved on (a stale version, a step not possible now). */
const STATE_CODES = new Set([
  'CONFLICT',
  'INVALID_TRANSITION',
  'OUT_OF_ORDER',
  'ALREADY_EXTENDED',
  'VERIFICATION_ATTEMPTS_EXHAUSTED',
  'INVALID_REVOCATION',
  'NEW_LINK_NOT_ALLOWED',
]);

export const withRequestRules = <T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> =>
  withRules(reply, run, STATE_CODES);

export const requestParams = z.object({ id: idSchema.describe('The request’s id') });

export const RAGS = ['overdue', 'due-soon', 'on-track'] as const;
export const staffRef = z.object({ id: z.uuid(), name: z.string() });
export const named = z.object({ id: z.uuid(), name: z.string() });
export const iso = (d: Date) => d.toISOString();

export const summarySchema = z.object({
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

export const stepSchema = z.object({
  seq: z.number().int().describe('Order of the step'),
  action: z
    .enum([...REQUEST_ACTIONS, 'warning', 'advice-asked', 'advice-answered'])
    .describe(
      'The step taken; `warning`: something that could not be done (e.g. nobody in a role to tell); `advice-asked`, `advice-answered`: advice from the information management team (A-10)',
    ),
  actionLabel: z.string(),
  from: z.enum(REQUEST_STATES).nullable(),
  to: z.enum(REQUEST_STATES),
  at: z.iso.datetime(),
  actor: staffRef.nullable(),
  details: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .describe('What was recorded with the step, in words (never the requester’s contact details or reply)'),
});

export const detailSchema = summarySchema.extend({
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

export const summaryOut = (r: RequestSummaryRow) => ({
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

export const stepOut = (s: StepView) => ({
  seq: s.seq,
  action: s.action,
  actionLabel: s.actionLabel,
  from: s.from,
  to: s.to,
  at: iso(s.at),
  actor: s.actor ? { id: s.actor.id, name: s.actor.name } : null,
  details: s.details.map((d) => ({ label: d.label, value: d.value })),
});

export const detailOut = (v: RequestView) => ({
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

export const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
export const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };

export const listQuery = z.object({
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
export const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const text = (max: number) => z.string().max(max).nullish();
export const receiveBody = z.object({
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

/** The version the caller last read (GET /requests/{id}): a change based on an older one is refused (409). */
export const version = z
  .number()
  .int()
  .min(1)
  .describe('The request’s `version` as last read: if someone has changed it since, nothing is saved (409)');

/** What every step answers: the request's new step and version, and anything that could not be done. */
export const stepResultSchema = z.object({
  id: z.uuid(),
  state: z.enum(REQUEST_STATES),
  version: z.number().int().describe('Send this back with the next step'),
  warnings: z
    .array(z.string())
    .describe('Things that could not be done (e.g. nobody in a role to email), recorded on the request'),
});

export const stepResultOut = (r: StepResult) => ({
  id: r.id,
  state: r.state,
  version: r.version,
  warnings: [...r.warnings],
});

export const stepResponses = { 200: stepResultSchema, ...errors };

/** One step of a request as an API operation: its roles, body, and the one RequestService use case it calls. */
export interface StepOperation<B extends z.ZodObject> {
  url: `/requests/:id/${string}`;
  method?: 'POST' | 'PUT';
  /** Who may take it: anyone else is refused 403, and the refusal audited. */
  roles: readonly Role[];
  operationId: `RequestService.${string}`;
  summary: string;
  description?: string;
  body: B;
  run: (actor: Actor, id: string, body: z.infer<B>, ctx: RequestContext) => Promise<StepResult>;
}

/** Registers a step: the body checked by its schema (400), the use case's problems as 422 or 409. */
export function stepOperation<B extends z.ZodObject>(app: FastifyInstance, op: StepOperation<B>): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: op.method ?? 'POST',
    url: op.url,
    config: { access: op.roles },
    schema: {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: TAGS,
      params: requestParams,
      body: op.body,
      response: stepResponses,
    },
    handler: async (request, reply) =>
      withRequestRules(reply, async () =>
        stepResultOut(
          await op.run(request.actor!, request.params.id, request.body as z.infer<B>, requestContext(request)),
        ),
      ),
  });
}
