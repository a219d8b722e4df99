/** The chair’s actions on a covert recording incident, and its closure with the outcome (P-9). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COVERT_DECIDER_ROLES } from '../../../domain/recording-incidents/incidents.ts';
import { requestContext, withRules } from '../schemas.ts';
import { incidentOut } from './mapping.ts';
import { TAGS, errors, incidentParams, incidentSchema, long, short } from './schemas.ts';
import type { RecordingIncidentUseCases } from '../../../app/recording-incidents/recording-incident-service.ts';

export function covertActionRoutes(app: FastifyInstance, incidents: RecordingIncidentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

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
