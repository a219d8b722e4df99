/**
 * When recording goes wrong at a conference, for integrations (P-8, P-9): the same use cases, access rules and audit
 * trail as the pages. Someone recording against the parents' wishes is recorded by the chair with the time of each
 * step; a covert recording found is recorded by a chair, business support or the social worker (the chair is
 * emailed), read by chairs, team managers and the council's legal advisers, and moved on by the chair's actions to its
 * closure. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type {
  CovertIncidentView,
  RecordingIncidentUseCases,
  UnpermittedRecordingView,
} from '../../app/recording-incidents/recording-incident-service.ts';
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import {
  ACTION_DECISIONS,
  COVERT_ACTIONS,
  COVERT_DECIDER_ROLES,
  COVERT_REPORTER_ROLES,
  COVERT_VIEWER_ROLES,
  PUBLICATION_ANSWERS,
  UNPERMITTED_OUTCOMES,
  UNPERMITTED_RECORDING_ROLES,
} from '../../domain/recording-incidents/incidents.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const TAGS = ['recording-incidents'];
const conferenceParams = z.object({ id: idSchema.describe('The conference’s id') });
const incidentParams = conferenceParams.extend({ incidentId: idSchema.describe('The incident’s id') });
const readErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
const errors = { ...readErrors, 409: errorResponse, 422: errorResponse };
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const clock = z.string().regex(/^\d{2}:\d{2}$/);
const short = z.string().max(500);
const long = z.string().max(20_000);

const unpermittedSchema = z.object({
  id: z.uuid(),
  person: z.object({ inviteeId: z.uuid().nullable(), name: z.string() }),
  askedToStopAt: clock,
  meetingHaltedAt: clock.nullable(),
  askedToLeaveAt: clock.nullable(),
  outcome: z.enum(UNPERMITTED_OUTCOMES),
  outcomeAt: clock,
  notes: z.string().nullable(),
  recordedBy: z.string(),
});

const actionSchema = z.object({
  id: z.uuid(),
  action: z.enum(COVERT_ACTIONS),
  description: z.string().nullable(),
  decision: z.enum(ACTION_DECISIONS),
  on: isoDate,
  by: z.string(),
  outcome: z.string().nullable(),
});

const incidentSchema = z.object({
  id: z.uuid(),
  childIds: z.array(z.uuid()),
  foundOn: isoDate,
  foundBy: z.string(),
  howFound: z.string(),
  published: z.enum(PUBLICATION_ANSWERS),
  publishedWhere: z.string().nullable(),
  publishedOn: isoDate.nullable(),
  takenDown: z.enum(PUBLICATION_ANSWERS).nullable(),
  takenDownOn: isoDate.nullable(),
  chairTold: z.boolean(),
  reportedBy: z.string(),
  actions: z.array(actionSchema),
  stillToConsider: z.array(z.enum(COVERT_ACTIONS)),
  outcome: z.string().nullable(),
  closedOn: isoDate.nullable(),
  open: z.boolean(),
  version: z.number().int(),
});

function unpermittedOut(u: UnpermittedRecordingView): z.infer<typeof unpermittedSchema> {
  return {
    id: u.id,
    person: { inviteeId: u.person.inviteeId, name: u.person.name },
    askedToStopAt: u.askedToStopAt,
    meetingHaltedAt: u.meetingHaltedAt,
    askedToLeaveAt: u.askedToLeaveAt,
    outcome: u.outcome.value,
    outcomeAt: u.outcomeAt,
    notes: u.notes,
    recordedBy: u.recordedBy,
  };
}

function incidentOut(i: CovertIncidentView): z.infer<typeof incidentSchema> {
  return {
    id: i.id,
    childIds: i.children.map((c) => c.childId),
    foundOn: i.foundOn,
    foundBy: i.foundBy,
    howFound: i.howFound,
    published: i.published.value,
    publishedWhere: i.publishedWhere,
    publishedOn: i.publishedOn,
    takenDown: i.takenDown?.value ?? null,
    takenDownOn: i.takenDownOn,
    chairTold: i.chairTold,
    reportedBy: i.reportedBy,
    actions: i.actions.map((a) => ({
      id: a.id,
      action: a.action.value,
      description: a.description,
      decision: a.decision.value,
      on: a.on,
      by: a.by,
      outcome: a.outcome,
    })),
    stillToConsider: i.stillToConsider.map((s) => s.value),
    outcome: i.outcome,
    closedOn: i.closedOn,
    open: i.open,
    version: i.version,
  };
}

export function recordingIncidentsRoutes(app: FastifyInstance, incidents: RecordingIncidentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-incidents',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.overview',
        summary: 'Recording gone wrong at a conference (P-8, P-9)',
        description:
          'Everyone asked to stop recording against the parents’ wishes, in the order it happened; covert recording incidents only for chairs and team managers (`covert` is null for anyone else; legal advisers read incidents one by one). Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: {
          200: z.object({
            unpermitted: z.array(unpermittedSchema),
            covert: z.array(incidentSchema).nullable(),
            people: z.array(z.object({ inviteeId: z.uuid(), name: z.string() })),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const v = await incidents.overview(request.actor!, request.params.id, requestContext(request));
      return {
        unpermitted: v.unpermitted.map(unpermittedOut),
        covert: v.covert ? v.covert.map(incidentOut) : null,
        people: v.people,
      };
    },
  );

  api.post(
    '/conferences/:id/recording-incidents/unpermitted',
    {
      config: { access: UNPERMITTED_RECORDING_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.recordUnpermitted',
        summary: 'Record someone recording against the parents’ wishes (P-8)',
        description:
          'The chair: who (a family member or friend on the register who attended without parental responsibility, or a description), the time they were asked to stop, the meeting halted and they were asked to leave (both optional, halting first), and how it ended (stopped, left, adjourned) with its time. Times are "HH:MM" or as typed ("2pm"), in order, on the conference’s date and never later than now. Every problem is answered at once (422).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          personInviteeId: idSchema.nullable().default(null),
          personDescription: short.nullable().default(null),
          askedToStopAt: z.string().max(20),
          meetingHaltedAt: z.string().max(20).default(''),
          askedToLeaveAt: z.string().max(20).default(''),
          outcome: z.string().max(40),
          outcomeAt: z.string().max(20),
          notes: long.default(''),
        }),
        response: { 201: unpermittedSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const saved = await incidents.recordUnpermitted(
          request.actor!,
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send(unpermittedOut(saved));
      }),
  );

  api.post(
    '/conferences/:id/recording-incidents/covert',
    {
      config: { access: COVERT_REPORTER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.reportCovert',
        summary: 'Record a covert recording of the conference found (P-9)',
        description:
          'A chair, business support or the social worker: the children it is about, when it was found (from the conference’s date to today), by whom and how, and whether it has been published or shared (where, when, taken down). A case note goes on each child’s record and the conference’s chair is emailed in the same transaction. `mayView` says whether the caller may read the incident.',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          childIds: z.array(idSchema).max(20),
          foundOn: z.string().max(20),
          foundBy: short,
          howFound: long,
          published: z.string().max(40),
          publishedWhere: long.default(''),
          publishedOn: z.string().max(20).default(''),
          takenDown: z.string().max(40).default(''),
          takenDownOn: z.string().max(20).default(''),
        }),
        response: {
          201: z.object({ id: z.uuid(), chairTold: z.boolean(), mayView: z.boolean() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const saved = await incidents.reportCovert(
          request.actor!,
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send({ id: saved.id, chairTold: saved.chairTold, mayView: saved.mayView });
      }),
  );

  api.get(
    '/recording-incidents',
    {
      config: { access: COVERT_VIEWER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.openIncidents',
        summary: 'Open covert recording incidents, council-wide (P-9)',
        description:
          'Every open incident the person may see: for chairs, team managers and legal advisers (never one about a restricted child unless named on its record). Ids, the conference and dates only. Audited.',
        tags: TAGS,
        response: {
          200: z.object({
            incidents: z.array(
              z.object({
                id: z.uuid(),
                conferenceId: z.uuid(),
                conferenceTitle: z.string(),
                scheduledDate: isoDate,
                foundOn: isoDate,
                actionCount: z.number().int(),
              }),
            ),
          }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async (request) => {
      const open = await incidents.openIncidents(request.actor!, requestContext(request));
      return {
        incidents: open.map((i) => ({
          id: i.id,
          conferenceId: i.conference.id,
          conferenceTitle: i.conference.title,
          scheduledDate: i.conference.scheduledDate,
          foundOn: i.foundOn,
          actionCount: i.actionCount,
        })),
      };
    },
  );

  api.get(
    '/conferences/:id/recording-incidents/covert/:incidentId',
    {
      config: { access: COVERT_VIEWER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.covertDetail',
        summary: 'One covert recording incident (P-9)',
        description:
          'For chairs, team managers and legal advisers (council-wide, never a restricted child’s unless named on it): what was found, the actions considered, what must still be considered before closing, and the outcome. Audited.',
        tags: TAGS,
        params: incidentParams,
        response: { 200: z.object({ incident: incidentSchema, canDecide: z.boolean() }), ...readErrors },
      },
    },
    async (request) => {
      const p = request.params;
      const v = await incidents.covertDetail(request.actor!, p.id, p.incidentId, requestContext(request));
      return { incident: incidentOut(v.incident), canDecide: v.can.decide };
    },
  );

  api.post(
    '/conferences/:id/recording-incidents/covert/:incidentId/actions',
    {
      config: { access: COVERT_DECIDER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.recordAction',
        summary: 'Record an action the chair considered (P-9)',
        description:
          'Tell the multi-agency network, tell the council’s legal representative, seek legal advice, seek an injunction, or something else (described): done or decided against (with why), the date (from discovery to today), who, and the outcome. A closed incident is 409.',
        tags: TAGS,
        params: incidentParams,
        body: z.object({
          action: z.string().max(40),
          description: long.default(''),
          decision: z.string().max(40),
          on: z.string().max(20),
          by: short,
          outcome: long.default(''),
        }),
        response: { 201: incidentSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        const v = await incidents.recordAction(
          request.actor!,
          p.id,
          p.incidentId,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send(incidentOut(v));
      }),
  );

  api.post(
    '/conferences/:id/recording-incidents/covert/:incidentId/close',
    {
      config: { access: COVERT_DECIDER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.closeCovert',
        summary: 'Close a covert recording incident with its outcome (P-9)',
        description:
          'Only once telling the network and the legal representative (and, when it was published, legal advice) have been considered. A case note goes on each child’s record. Already closed, or a `version` that has moved on, is 409.',
        tags: TAGS,
        params: incidentParams,
        body: z.object({
          outcome: long,
          closedOn: z.string().max(20),
          version: z
            .number()
            .int()
            .min(1)
            .describe('The incident’s `version` as last read: if it has changed since, nothing is saved (409)'),
        }),
        response: { 200: incidentSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return incidentOut(
          await incidents.closeCovert(request.actor!, p.id, p.incidentId, request.body, requestContext(request)),
        );
      }),
  );
}

export async function recordingIncidentsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  recordingIncidentsRoutes(app, services.recordingIncidents);
}
