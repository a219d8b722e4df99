/**
 * advice from the information management team on a complex request for a copy, for integrations: the same
 * use cases, access rules and audit trail as the request's page. The chair or the quality assurance service manager
 * asks; the answer is recorded with who in the team gave it and when. Each is a step on the request's timeline.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdviceRecord } from '../../../app/requests/advice-ports.ts';
import { REQUEST_VIEW_ROLES } from '../../../domain/requests/index.ts';
import { ADVICE_ROLES } from '../../../domain/requests/advice.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { isoDateOf as isoDate, recordErrors as errors, requestContext } from '../schemas.ts';
import { TAGS, requestParams, withRequestRules } from './schemas.ts';

const adviceSchema = z.object({
  id: z.uuid(),
  question: z.string(),
  askedBy: z.object({ id: z.uuid(), name: z.string() }),
  askedOn: isoDate('The day it was asked'),
  answer: z
    .object({
      answer: z.string(),
      answeredBy: z.string().describe('Who in the information management team gave the advice'),
      answeredOn: isoDate('The day the advice was given'),
      recordedByName: z.string(),
      recordedAt: z.iso.datetime(),
    })
    .nullable(),
});

function adviceOut(a: AdviceRecord) {
  return {
    id: a.id,
    question: a.question,
    askedBy: { id: a.askedById, name: a.askedByName },
    askedOn: a.askedOn,
    answer: a.answer
      ? {
          answer: a.answer.answer,
          answeredBy: a.answer.answeredBy,
          answeredOn: a.answer.answeredOn,
          recordedByName: a.answer.recordedByName,
          recordedAt: a.answer.recordedAt.toISOString(),
        }
      : null,
  };
}

export async function requestAdviceApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = services.requestAdvice;

  api.get(
    '/requests/:id/advice',
    {
      config: { access: REQUEST_VIEW_ROLES },
      schema: {
        operationId: 'RequestAdviceService.advice',
        summary: 'Advice asked of the information management team on the request (A-10)',
        description: 'Oldest first, with each answer once recorded. Audited as a view.',
        tags: TAGS,
        params: requestParams,
        response: { 200: z.object({ advice: z.array(adviceSchema), canAsk: z.boolean() }), ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const v = await service.advice(request.actor!, request.params.id, requestContext(request));
        return { advice: v.advice.map(adviceOut), canAsk: v.canAsk };
      }),
  );

  api.post(
    '/requests/:id/advice',
    {
      config: { access: ADVICE_ROLES },
      schema: {
        operationId: 'RequestAdviceService.ask',
        summary: 'Ask the information management team for advice on a complex request (A-10)',
        description:
          'By a chair or the quality assurance service manager. The question goes on the request’s timeline.',
        tags: TAGS,
        params: requestParams,
        body: z.object({ question: z.string().max(5000) }),
        response: { 201: adviceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () => {
        const a = await service.ask(request.actor!, request.params.id, request.body, requestContext(request));
        reply.code(201);
        return adviceOut(a);
      }),
  );

  api.post(
    '/requests/:id/advice/:adviceId/answer',
    {
      config: { access: ADVICE_ROLES },
      schema: {
        operationId: 'RequestAdviceService.answer',
        summary: 'Record the information management team’s advice (A-10)',
        description:
          'The advice, who in the team gave it and the day (not before it was asked, not in the future). Recorded once: a second answer is 409.',
        tags: TAGS,
        params: requestParams.extend({ adviceId: idSchema.describe('The question’s id') }),
        body: z.object({
          answer: z.string().max(5000),
          answeredBy: z.string().max(200),
          answeredOn: isoDate('The day the advice was given'),
        }),
        response: { 200: adviceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRequestRules(reply, async () =>
        adviceOut(
          await service.answer(
            request.actor!,
            request.params.id,
            request.params.adviceId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );
}
