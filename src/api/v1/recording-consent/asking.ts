/** Asking everyone present about the family’s recording, and a request to record made during the meeting (P-1, P-4, P-5, P-7). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { requestOut, roundOut } from './mapping.ts';
import {
  CONFLICTS,
  REGISTER,
  TAGS,
  conferenceParams,
  errors,
  requestKey,
  requestSchema,
  roundSchema,
} from './schemas.ts';
import type { RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';

export function askingRoutes(app: FastifyInstance, consent: RecordingConsentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/recording-consent/rounds',
    {
      config: REGISTER,
      schema: {
        operationId: 'RecordingConsentService.askConsent',
        summary: 'Record everyone’s answers about the family’s recording (P-4, P-5)',
        description:
          'The chair or business support, while the conference is planned or in progress (409 after): whose request, why consent is asked now (`start`, `joined`, `new-request`), the time, and an answer for everyone present on the register: `agrees`, or `refuses` with the reason or the further authorisation needed (at least one). The meeting is never held up by it. Every problem is answered at once (422).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          request: requestKey,
          occasion: z.string().max(40),
          askedAt: z.string().max(20),
          answers: z
            .array(
              z.object({
                inviteeId: idSchema,
                answer: z.string().max(20),
                reason: z.string().max(2_000).default(''),
                furtherAuthorisation: z.string().max(2_000).default(''),
              }),
            )
            .max(200),
        }),
        response: { 201: roundSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const round = await consent.askConsent(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send(roundOut(round));
        },
        CONFLICTS,
      ),
  );

  api.post(
    '/conferences/:id/recording-consent/requests',
    {
      config: REGISTER,
      schema: {
        operationId: 'RecordingConsentService.recordMeetingRequest',
        summary: 'Record a request to record made during the meeting (P-1, P-5, P-7)',
        description:
          'Someone present who may ask (the child, or a parent with parental responsibility; anyone else is refused with the reason), the time they asked, why, and that they accepted the limits on the recording. The chair is then prompted to stop and ask everyone. 409 once the conference is no longer in progress; 422 for every problem at once.',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          requesterInviteeId: idSchema,
          askedAt: z.string().max(20),
          purpose: z.string().max(2_000),
          limitsAccepted: z.boolean(),
        }),
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          const made = await consent.recordMeetingRequest(
            request.actor!,
            request.params.id,
            request.body,
            requestContext(request),
          );
          return reply.code(201).send(requestOut(made));
        },
        CONFLICTS,
      ),
  );
}
