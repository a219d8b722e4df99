/**
 * Requests for copies of conference recordings for integrations (A-1 … A-10): the work queue, recording
 * a request (A-1 eligibility checked against the record, an ineligible request recorded and refused),
 * a request's state and due date, and its timeline. The same use cases, access rules (a request
 * role, and every child in the conference) and audit trail as the pages. Every later step a page offers
 * is an operation too: the referral in requests/referral.ts, the steps in requests/steps.ts, the copy
 * and its sending in requests/copies.ts; each operation's `operationId` names the use case it calls.
 *
 * Responses are allow-lists: the requester's email address and the details they gave at A-5 never
 * leave through the API.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REQUEST_STEP_ROLES, REQUEST_VIEW_ROLES } from '../../domain/requests/index.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { requestCopiesApi } from './requests/copies.ts';
import { requestReferralApi } from './requests/referral.ts';
import {
  detailOut,
  detailSchema,
  errors,
  list,
  listQuery,
  named,
  readErrors,
  receiveBody,
  requestParams as params,
  stepOut,
  stepSchema,
  summaryOut,
  summarySchema,
  TAGS,
  withRequestRules,
} from './requests/schemas.ts';
import { requestStepsApi } from './requests/steps.ts';
import { errorResponse, requestContext } from './schemas.ts';

const VIEW = { access: REQUEST_VIEW_ROLES };
const RECEIVE = { access: REQUEST_STEP_ROLES.receive };

// ------------------------------------------------------------------ routes

export async function requestsApi(app: FastifyInstance, { services, audit }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { requests } = services;
  const actorOf = (request: FastifyRequest) => request.actor!;
  // Sub-plugins get { services, audit }, not the options object: it carries this plugin's own prefix.
  const sub = { services, audit };
  await app.register(requestReferralApi, sub);
  await app.register(requestStepsApi, sub);
  await app.register(requestCopiesApi, sub);

  api.get(
    '/requests',
    {
      config: VIEW,
      schema: {
        operationId: 'RequestService.queue',
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
        operationId: 'RequestService.receive',
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
        operationId: 'RequestService.get',
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
        operationId: 'RequestService.steps',
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

  const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });

  api.get(
    '/conferences/:id/requests',
    {
      config: VIEW,
      schema: {
        operationId: 'RequestService.listForConference',
        summary: 'Every request for a copy of the conference’s recording, finished ones too',
        description: 'Only for someone with a request role who may see every child in the conference; audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: z.object({ requests: z.array(summarySchema) }), ...readErrors },
      },
    },
    async (request) => ({
      requests: (await requests.listForConference(actorOf(request), request.params.id, requestContext(request))).map(
        summaryOut,
      ),
    }),
  );

  api.get(
    '/conferences/:id/requests/choices',
    {
      config: RECEIVE,
      schema: {
        operationId: 'RequestService.receiveForm',
        summary: 'Who may be named when recording a request (A-1)',
        description:
          'The conference’s children, the family members of each with the children they hold parental responsibility for, and the chairs. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: choicesSchema, ...readErrors },
      },
    },
    async (request) => {
      const form = await requests.receiveForm(actorOf(request), request.params.id, requestContext(request));
      return {
        children: form.children.map((c) => ({ id: c.id, name: c.name })),
        people: form.people.map((p) => ({ id: p.id, name: p.name, prChildIds: [...p.prChildIds] })),
        chairs: form.chairs.map((c) => ({ id: c.id, name: c.name })),
      };
    },
  );

  api.post(
    '/requests/conferences',
    {
      config: RECEIVE,
      schema: {
        operationId: 'RequestService.conferencesToRequest',
        summary: 'The conferences of these children a request may be recorded for (A-1), newest first',
        description:
          'Only conferences whose every child the token’s account may see, each with its number of stored recordings. Find the children with POST /children/search. A POST so that nothing about a child is in a URL. Audited.',
        tags: TAGS,
        body: z.object({ childIds: z.array(idSchema).min(1).max(50).describe('The children’s ids') }),
        response: { 200: z.object({ conferences: z.array(conferenceSchema) }), ...errors },
      },
    },
    async (request) => ({
      conferences: (
        await requests.conferencesToRequest(actorOf(request), request.body.childIds, requestContext(request))
      ).map(conferenceOut),
    }),
  );

  api.post(
    '/requests/conferences/search',
    {
      config: RECEIVE,
      schema: {
        operationId: 'RequestService.findConferences',
        summary: 'Find the conferences a request may be recorded for by a child’s name or local case reference (A-1)',
        description:
          'The children the token’s account may see whose names contain every word, or with that reference, then their conferences whose every child it may see, newest first. `more`: more children matched than were searched. The search is audited without its values.',
        tags: TAGS,
        body: z.object({
          name: z.string().max(200).optional().describe('Words that must all appear in a child’s names'),
          reference: z.string().max(50).optional().describe('A child’s local case reference (any case)'),
        }),
        response: { 200: z.object({ conferences: z.array(conferenceSchema), more: z.boolean() }), ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const { name, reference } = request.body;
        const found = await requests.findConferences(
          actorOf(request),
          { name: name ?? '', reference: reference ?? '' },
          requestContext(request),
        );
        return { conferences: found.conferences.map(conferenceOut), more: found.more };
      }),
  );
}

const conferenceSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  date: z.iso.date(),
  typeLabel: z.string(),
  childNames: z.array(z.string()),
  recordings: z.number().int().describe('Stored recordings of the meeting'),
  status: z.string(),
});

const conferenceOut = (c: z.infer<typeof conferenceSchema>) => ({
  id: c.id,
  title: c.title,
  date: c.date,
  typeLabel: c.typeLabel,
  childNames: [...c.childNames],
  recordings: c.recordings,
  status: c.status,
});

const choicesSchema = z.object({
  children: z.array(named),
  people: z.array(
    named.extend({
      prChildIds: z.array(z.uuid()).describe('The children of the conference they hold parental responsibility for'),
    }),
  ),
  chairs: z.array(named),
});
