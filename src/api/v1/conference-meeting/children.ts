/** Each child: their views, the decision (D-1), the senior manager’s review and the plan (T-3, T-9). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { CATEGORIES, OUTCOMES } from '../../../domain/conferences/decisions.ts';
import { REFERRAL_OUTCOMES } from '../../../domain/conferences/meeting.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { decisionOut, deadlineOut, planOut } from './mapping.ts';
import {
  TAGS,
  WRITE,
  childParams,
  deadlineSchema,
  decisionSchema,
  errors,
  isoDate,
  longText,
  planSchema,
} from './schemas.ts';

const decisionBody = z.object({
  outcome: z.enum(OUTCOMES),
  category: z.enum(CATEGORIES).nullable().describe('Required with a plan, refused without one (002 §3.5)'),
  reasons: longText,
  agencyViews: z
    .array(z.object({ agencyId: idSchema, view: z.enum(['agrees', 'dissents']), note: z.string().max(2000).nullish() }))
    .max(50),
  referral: z
    .object({ referredTo: z.string().max(200), referredOn: isoDate('Date of the referral') })
    .nullish()
    .describe('D-1: required when more than one agency dissents'),
  changeReason: z.string().max(2000).nullish().describe('Required once the conference is held'),
});

const planBody = z.object({
  leadSocialWorkerUserId: idSchema.nullable().describe('null: not appointed at the conference (002 §3.7)'),
  coreGroupInviteeIds: z.array(idSchema).max(100).optional(),
  firstCoreGroupDate: isoDate('Date of the first core group').nullish(),
  actions: z
    .array(z.object({ action: z.string().max(2000), who: z.string().max(200), byWhen: isoDate('By when').nullish() }))
    .max(50)
    .optional(),
  contingencyPlan: longText.nullish(),
  nextReviewDate: isoDate('T-3: no later than the rule allows').nullish(),
  planEndedMeetingDate: isoDate('T-9: when the plan ends').nullish(),
  changeReason: z.string().max(2000).nullish().describe('Required once the conference is held'),
});

export function childrenApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.put(
    '/conferences/:id/meeting/children/:childId/views',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordChildViews',
        summary: 'Record the child’s views (002 §3.2)',
        description: 'Whether or not they attend. Not versioned, so refused (422) once the conference is held.',
        tags: TAGS,
        params: childParams,
        body: z.object({ views: longText }),
        response: { 200: z.object({ childId: z.uuid(), childViews: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await meeting.recordChildViews(
          request.actor!,
          request.params.id,
          request.params.childId,
          request.body,
          requestContext(request),
        );
        return { childId: request.params.childId, childViews: request.body.views.trim() };
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/decisions',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordDecision',
        summary: 'Record a decision for a child (a new version)',
        description:
          'The outcome for the conference type; the category with a plan and never without one; each agency present’s view. Equally split views record that the chair decided; more than one dissent needs `referral` (D-1). Once held, `changeReason` is required.',
        tags: TAGS,
        params: childParams,
        body: decisionBody,
        response: { 201: decisionSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const d = await meeting.recordDecision(
          request.actor!,
          request.params.id,
          request.params.childId,
          {
            ...b,
            referral: b.referral
              ? { referredTo: b.referral.referredTo, referredOn: b.referral.referredOn as IsoDate }
              : null,
          },
          requestContext(request),
        );
        return reply.code(201).send(decisionOut(d));
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/referral-review',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordReferralReview',
        summary: 'Record the senior manager’s review (D-1)',
        description:
          'When it decides to reconvene, the reconvened conference is due within 20 working days of the review.',
        tags: TAGS,
        params: childParams,
        body: z.object({ reviewedOn: isoDate('Date of the review'), outcome: z.enum(REFERRAL_OUTCOMES) }),
        response: {
          200: z.object({ reconveneDue: z.string().nullable(), deadline: deadlineSchema.nullable() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const r = await meeting.recordReferralReview(
          request.actor!,
          request.params.id,
          request.params.childId,
          { reviewedOn: request.body.reviewedOn as IsoDate, outcome: request.body.outcome },
          requestContext(request),
        );
        return { reconveneDue: r.reconveneDue, deadline: r.deadline ? deadlineOut(r.deadline) : null };
      }),
  );

  api.post(
    '/conferences/:id/meeting/children/:childId/plans',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordPlan',
        summary: 'Record a child’s plan (a new version)',
        description:
          'With a plan: lead social worker, core group (invitee ids), first core group date, actions, contingency plan and the next review, no later than T-3 allows. When the plan ends: `planEndedMeetingDate` (T-9). Once held, `changeReason` is required.',
        tags: TAGS,
        params: childParams,
        body: planBody,
        response: { 201: planSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const plan = await meeting.recordPlan(
          request.actor!,
          request.params.id,
          request.params.childId,
          {
            leadSocialWorkerUserId: b.leadSocialWorkerUserId,
            coreGroupInviteeIds: b.coreGroupInviteeIds ?? [],
            firstCoreGroupDate: (b.firstCoreGroupDate ?? null) as IsoDate | null,
            actions: (b.actions ?? []).map((a) => ({
              action: a.action,
              who: a.who,
              byWhen: (a.byWhen ?? null) as IsoDate | null,
            })),
            contingencyPlan: b.contingencyPlan ?? null,
            nextReviewDate: (b.nextReviewDate ?? null) as IsoDate | null,
            planEndedMeetingDate: (b.planEndedMeetingDate ?? null) as IsoDate | null,
            changeReason: b.changeReason ?? null,
          },
          requestContext(request),
        );
        return reply.code(201).send(planOut(plan));
      }),
  );
}
