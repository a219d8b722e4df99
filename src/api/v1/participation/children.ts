/** Reading a conference's participation, and each child's attendance decided before it (002 §3.2). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ParticipationService } from '../../../app/participation/service.ts';
import { requestContext, withRules } from '../schemas.ts';
import { participationOut } from './mapping.ts';
import {
  EDIT,
  READ,
  TAGS,
  childAttendanceBody,
  childParams,
  conferenceParams,
  errors,
  participationSchema,
  readErrors,
} from './schemas.ts';

export function childRoutes(app: FastifyInstance, service: ParticipationService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/participation',
    {
      config: READ,
      schema: {
        operationId: 'ParticipationService.overview',
        summary: 'Who takes part in the conference and how (002 §3.2)',
        description:
          'Each child’s attendance decision and whether their views are on the record and checked; friends, supporters (barred or not) and advocates (their role); each parent’s help and own reports; each exclusion’s criteria and the telling of its reasons. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: { 200: participationSchema, ...readErrors },
      },
    },
    async (request) =>
      participationOut(await service.overview(request.actor!, request.params.id, requestContext(request))),
  );

  api.put(
    '/conferences/:id/participation/children/:childId',
    {
      config: EDIT,
      schema: {
        operationId: 'ParticipationService.recordChildAttendance',
        summary: 'Decide whether a child attends the conference (002 §3.2)',
        description:
          'The seed’s questions, the chair’s and social worker’s advice, the child’s wish and the decision. A child who does not wish to attend is never recorded as attending (422, `child_refused`). A reason is needed when a child of 12 or over does not attend (unless it is their wish) or a child attends less than they wish. A child who does not attend needs at least one way their views reach the conference. Before or during the conference only (403 after). Audited.',
        tags: TAGS,
        params: childParams,
        body: childAttendanceBody,
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.recordChildAttendance(
            request.actor!,
            request.params.id,
            request.params.childId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );

  api.post(
    '/conferences/:id/participation/children/:childId/views-checked',
    {
      config: READ,
      schema: {
        operationId: 'ParticipationService.checkChildViews',
        summary: 'The chair confirms the conference has the views of a child who does not attend (002 §3.2)',
        description:
          'Chair only (403 otherwise, audited). Needs the attendance decision and the child’s views on the conference’s record (422 otherwise). Audited.',
        tags: TAGS,
        params: childParams,
        response: { 200: participationSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        participationOut(
          await service.checkChildViews(
            request.actor!,
            request.params.id,
            request.params.childId,
            requestContext(request),
          ),
        ),
      ),
  );
}
