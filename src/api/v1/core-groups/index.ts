/**
 * Core groups, for integrations (002 §3.7, §3.10, §3.11): the same use cases, access rules and audit trail as the
 * pages. A child's core group (the plan it carries out, when the next meeting is due, every meeting), scheduling a
 * meeting with its chair, recording it (attendance, progress on the plan's actions, notes; a change gives its reason),
 * and a team manager appointing the lead social worker. Responses are allow-lists: only the fields named here leave.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoreGroupUseCases } from '../../../app/core-groups/service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { requestContext, withRules } from '../schemas.ts';
import { childOut, detailOut, meetingOut } from './mapping.ts';
import {
  EDIT,
  READ,
  TAGS,
  childCoreGroupsSchema,
  childParams,
  errors,
  meetingDetailSchema,
  meetingParams,
  meetingSchema,
  readErrors,
} from './schemas.ts';

export function coreGroupRoutes(app: FastifyInstance, service: CoreGroupUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/children/:childId/core-groups',
    {
      config: READ,
      schema: {
        operationId: 'CoreGroupService.forChild',
        summary:
          'A child’s core group: the plan it carries out, when the next meeting is due, every meeting (002 §3.7)',
        description:
          'Someone who may see the child and every child of the conference that made the plan; anyone else is 403 (audited). `plan` is null when the child has no plan made at a held conference.',
        tags: TAGS,
        params: childParams,
        response: { 200: childCoreGroupsSchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        childOut(await service.forChild(request.actor!, request.params.childId, requestContext(request))),
      ),
  );

  api.post(
    '/children/:childId/core-groups',
    {
      config: EDIT,
      schema: {
        operationId: 'CoreGroupService.schedule',
        summary: 'Schedule a core group meeting (002 §3.10)',
        description:
          'On or after the conference that made the plan in force, chaired by the lead social worker or a manager (`chairChoices`). No plan in force is 422.',
        tags: TAGS,
        params: childParams,
        body: z.object({ date: z.string().max(10).nullable(), chairUserId: z.string().max(40) }),
        response: { 200: meetingSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        meetingOut(
          await service.schedule(
            request.actor!,
            request.params.childId,
            { date: request.body.date as IsoDate | null, chairUserId: request.body.chairUserId },
            requestContext(request),
          ),
        ),
      ),
  );

  api.get(
    '/core-groups/:meetingId',
    {
      config: READ,
      schema: {
        operationId: 'CoreGroupService.meeting',
        summary: 'A core group meeting with every version of its record (002 §3.11)',
        tags: TAGS,
        params: meetingParams,
        response: { 200: meetingDetailSchema, ...readErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(await service.meeting(request.actor!, request.params.meetingId, requestContext(request))),
      ),
  );

  api.put(
    '/core-groups/:meetingId/record',
    {
      config: EDIT,
      schema: {
        operationId: 'CoreGroupService.record',
        summary: 'Record a core group meeting, or change its record with a reason (002 §3.11)',
        description:
          'Once the meeting has taken place: every member’s attendance (by invitation id) and every plan action’s progress (by ordinal); an action not done needs a note. Changing a recorded meeting needs `changeReason`; every version is kept. A stale `version` is 409.',
        tags: TAGS,
        params: meetingParams,
        body: z.object({
          version: z.number().int().min(1),
          attendance: z.record(idSchema, z.string().max(40)),
          progress: z
            .array(
              z.object({
                ordinal: z.number().int(),
                progress: z.string().max(40),
                note: z.string().max(2_000).nullable(),
              }),
            )
            .max(100),
          notes: z.string().max(20_000).nullable(),
          changeReason: z.string().max(2_000).nullable().default(null),
        }),
        response: { 200: meetingDetailSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        detailOut(
          await service.record(request.actor!, request.params.meetingId, request.body, requestContext(request)),
        ),
      ),
  );

  api.put(
    '/children/:childId/lead-social-worker',
    {
      config: READ,
      schema: {
        operationId: 'CoreGroupService.appointLead',
        summary: 'Appoint the lead social worker the conference could not (002 §3.7)',
        description:
          'Only a team manager (anyone else is 403, audited), for a plan in force with no lead social worker named at the conference; `userId` is an active social worker’s account.',
        tags: TAGS,
        params: childParams,
        body: z.object({ userId: z.string().max(40) }),
        response: { 200: childCoreGroupsSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        childOut(
          await service.appointLead(request.actor!, request.params.childId, request.body, requestContext(request)),
        ),
      ),
  );
}

export async function coreGroupsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  coreGroupRoutes(app, services.coreGroups);
}
