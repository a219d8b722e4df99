/** Everything about the family’s recording at a conference, as the chair sees it on the day (P-4 to P-7). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../schemas.ts';
import { copyOut, requestOut } from './mapping.ts';
import { READ, TAGS, conferenceParams, copySchema, readErrors, requestSchema } from './schemas.ts';
import type { RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';

export function onTheDayRoutes(app: FastifyInstance, consent: RecordingConsentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-consent',
    {
      config: READ,
      schema: {
        operationId: 'RecordingConsentService.onTheDay',
        summary: 'The family’s recording at a conference (P-4 to P-7)',
        description:
          'Every request to record (made beforehand, or during the meeting), each round of asking everyone present with every answer and its outcome, what the chair must do before going on (`prompts`), who is present, the limits on the recording and the copies of the family’s recording stored. Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: {
          200: z.object({
            requests: z.array(requestSchema),
            prompts: z.array(
              z.object({
                kind: z.enum(['before-discussion', 'new-request', 'joined']),
                requestKey: z.string(),
                text: z.string(),
              }),
            ),
            present: z.array(z.object({ inviteeId: z.uuid(), name: z.string(), joined: z.boolean() })),
            limits: z.array(z.string()),
            copies: z.array(copySchema),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const v = await consent.onTheDay(request.actor!, request.params.id, requestContext(request));
      return {
        requests: v.requests.map(requestOut),
        prompts: v.prompts.map((p) => ({ kind: p.kind, requestKey: p.requestKey, text: p.text })),
        present: v.present,
        limits: [...v.limits],
        copies: v.copies.map(copyOut),
      };
    },
  );
}
