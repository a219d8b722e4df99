/** A child's plan ending, the agencies told and transfer out (002 §3.9, T-4, T-9). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChildPlanView, PlanEndingUseCases } from '../../../app/plan-endings/service.ts';
import { type IsoDate } from '../../../domain/calendar/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { childPlanOut } from './mapping.ts';
import { READ, RECORD, TAGS, childParams, childPlanSchema, errors, isoDate, readErrors } from './schemas.ts';

const CONFLICTS = new Set(['NO_ACTIVE_PLAN', 'NOT_ENDED_BY_CONFERENCE', 'NO_TRANSFER']);
const date = (d: string | null | undefined) => (d ?? null) as IsoDate | null;

/** A recording on the child's plan: a broken rule answered by its status, else the plan as it now stands. */
const recording = (reply: FastifyReply, call: () => Promise<ChildPlanView>) =>
  withRules(reply, async () => childPlanOut(await call()), CONFLICTS);

export function childPlanRoutes(app: FastifyInstance, service: PlanEndingUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/children/:childId/plan-ending',
    {
      config: READ,
      schema: {
        operationId: 'PlanEndingService.forChild',
        summary: 'A child’s plan: in place or ended and why, the agencies told, any move to another authority',
        description: 'Warnings include a receiving conference overdue and no review planned around an 18th birthday.',
        tags: TAGS,
        params: childParams,
        response: { 200: childPlanSchema, ...readErrors },
      },
    },
    async (request) =>
      childPlanOut(await service.forChild(request.actor!, request.params.childId, requestContext(request))),
  );

  api.post(
    '/children/:childId/plan-ending/endings',
    {
      config: RECORD,
      schema: {
        operationId: 'PlanEndingService.recordEnding',
        summary: 'Record another reason the plan ends, with a senior manager’s authority (002 §3.9)',
        description:
          'Reaching 18, death, leaving the UK, looked after with a single plan (one of the three criteria) or posted overseas with the armed services (the MOD board told and resources confirmed). Only a conference decides a plan is no longer needed. Every agency invited is told: by email, or a letter to post.',
        tags: TAGS,
        params: childParams,
        body: z.object({
          reason: z.string().max(40),
          endedOn: isoDate('The date the plan ends'),
          details: z.string().max(4000).nullable().default(null),
          lookedAfterCriterion: z.string().max(40).nullable().default(null),
          modToldOn: isoDate('The date the MOD’s safeguarding partnership board was told').nullable().default(null),
          modResourcesConfirmed: z.boolean().default(false),
          authorisedByUserId: idSchema.describe('A team manager or quality assurance manager'),
          authorisedOn: isoDate('The date the senior manager authorised it'),
        }),
        response: { 200: childPlanSchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      return recording(reply, () =>
        service.recordEnding(
          request.actor!,
          request.params.childId,
          { ...b, endedOn: date(b.endedOn), modToldOn: date(b.modToldOn), authorisedOn: date(b.authorisedOn) },
          requestContext(request),
        ),
      );
    },
  );

  api.post(
    '/children/:childId/plan-ending/conference-ending',
    {
      config: RECORD,
      schema: {
        operationId: 'PlanEndingService.recordConferenceEnding',
        summary: 'Record that a held conference ended the plan, and tell every agency invited (002 §3.9)',
        tags: TAGS,
        params: childParams,
        response: { 200: childPlanSchema, ...errors },
      },
    },
    async (request, reply) =>
      recording(reply, () =>
        service.recordConferenceEnding(request.actor!, request.params.childId, requestContext(request)),
      ),
  );

  api.post(
    '/children/:childId/plan-ending/letters/:noticeId/posted',
    {
      config: RECORD,
      schema: {
        operationId: 'PlanEndingService.markLetterPosted',
        summary: 'Record that a letter telling an agency the plan ended was posted',
        tags: TAGS,
        params: childParams.extend({ noticeId: idSchema.describe('The letter’s id') }),
        response: { 200: childPlanSchema, ...errors },
      },
    },
    async (request) =>
      childPlanOut(
        await service.markLetterPosted(
          request.actor!,
          request.params.childId,
          request.params.noticeId,
          requestContext(request),
        ),
      ),
  );

  api.post(
    '/children/:childId/plan-ending/transfer',
    {
      config: RECORD,
      schema: {
        operationId: 'PlanEndingService.recordTransfer',
        summary: 'Record a permanent move to another authority and send the transfer pack (002 §3.9, T-4)',
        description:
          'The pack (the current plan, the latest conference record if issued, how to ask for the recording) is emailed to the contact. The receiving conference is due within 15 working days of the notice; the plan stays active until it is held and confirmed in writing.',
        tags: TAGS,
        params: childParams,
        body: z.object({
          authorityName: z.string().max(200),
          contactEmail: z.string().max(254),
          noticeOn: isoDate('The date the receiving authority was told of the move'),
        }),
        response: { 200: childPlanSchema, ...errors },
      },
    },
    async (request, reply) =>
      recording(reply, () =>
        service.recordTransfer(
          request.actor!,
          request.params.childId,
          { ...request.body, noticeOn: date(request.body.noticeOn) },
          requestContext(request),
        ),
      ),
  );

  api.post(
    '/children/:childId/plan-ending/transfer/progress',
    {
      config: RECORD,
      schema: {
        operationId: 'PlanEndingService.recordTransferProgress',
        summary: 'Record the receiving authority’s conference and written confirmation (002 §3.9)',
        description:
          'Once both are recorded the plan ends (moved to another authority) and every agency invited is told.',
        tags: TAGS,
        params: childParams,
        body: z.object({
          receivingConferenceOn: isoDate('The date the receiving conference was held').nullable().default(null),
          confirmationReceivedOn: isoDate('The date written confirmation arrived').nullable().default(null),
          version: z.number().int().min(1).describe('The transfer’s `version` as last read (409 if it has changed)'),
        }),
        response: { 200: childPlanSchema, ...errors },
      },
    },
    async (request, reply) =>
      recording(reply, () =>
        service.recordTransferProgress(
          request.actor!,
          request.params.childId,
          {
            receivingConferenceOn: date(request.body.receivingConferenceOn),
            confirmationReceivedOn: date(request.body.confirmationReceivedOn),
            version: request.body.version,
          },
          requestContext(request),
        ),
      ),
  );
}
