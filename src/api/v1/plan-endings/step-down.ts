/** The child in need or team around the child plan a conference records when it makes no plan or ends one (002 §3.8, §3.9). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlanEndingUseCases } from '../../../app/plan-endings/service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { requestContext, withRules } from '../schemas.ts';
import { stepDownOut } from './mapping.ts';
import { READ, TAGS, errors, isoDate, readErrors, stepDownParams, stepDownSchema } from './schemas.ts';

const CONFLICTS = new Set(['DECISION_FIRST', 'PLAN_CONTINUES', 'RECORD_NOT_OPEN', 'CHANGE_REASON_REQUIRED']);

export function stepDownRoutes(app: FastifyInstance, service: PlanEndingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const path = '/conferences/:conferenceId/children/:childId/step-down';

  api.get(
    path,
    {
      config: READ,
      schema: {
        operationId: 'PlanEndingService.stepDownForm',
        summary: 'The plan a child steps down to at this conference, as last recorded',
        tags: TAGS,
        params: stepDownParams,
        response: {
          200: z.object({ outcome: z.string(), stepDown: stepDownSchema.nullable() }),
          ...readErrors,
          409: errors[409],
        },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const f = await service.stepDownForm(
            request.actor!,
            request.params.conferenceId,
            request.params.childId,
            requestContext(request),
          );
          return { outcome: f.outcome, stepDown: f.stepDown && stepDownOut(f.stepDown) };
        },
        CONFLICTS,
      ),
  );

  api.post(
    path,
    {
      config: READ,
      schema: {
        operationId: 'PlanEndingService.recordStepDown',
        summary: 'Record the child in need or team around the child plan (002 §3.8, §3.9)',
        description:
          'By the chair, when the decision is that no plan is needed or that the plan ends. A team around the child plan needs the date the group first meets the family. A new version each time; once the conference is held, with a reason.',
        tags: TAGS,
        params: stepDownParams,
        body: z.object({
          kind: z.string().max(40),
          leadProfessional: z.string().max(300),
          services: z.string().max(4000),
          firstMeetingDate: isoDate('Team around the child: the first meeting with the family')
            .nullable()
            .default(null),
          changeReason: z.string().max(2000).nullable().default(null),
        }),
        response: { 200: stepDownSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () =>
          stepDownOut(
            await service.recordStepDown(
              request.actor!,
              request.params.conferenceId,
              request.params.childId,
              { ...request.body, firstMeetingDate: (request.body.firstMeetingDate ?? null) as IsoDate | null },
              requestContext(request),
            ),
          ),
        CONFLICTS,
      ),
  );
}
