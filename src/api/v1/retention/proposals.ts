/** Disposal proposals: the list, proposing records, one proposal, its approval by a second person or decline. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { proposalReference } from '../../../app/retention/retention-service.ts';
import { REASON_MAX } from '../../../domain/retention/disposal.ts';
import { DISPOSABLE_KINDS } from '../../../domain/retention/schedules.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { isoDateOf, recordErrors, requestContext, withRules } from '../schemas.ts';
import { OFFICERS, TAGS, readErrors, RULE_CODES, proposalSchema, proposalOut, itemRef } from './schemas.ts';

export async function retentionProposalsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/proposals',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.proposals',
        summary: 'Disposal proposals, newest first',
        tags: TAGS,
        response: { 200: z.array(proposalSchema), ...readErrors },
      },
    },
    async (request) => (await retention.proposals(request.actor!, requestContext(request))).map(proposalOut),
  );

  api.post(
    '/retention/proposals',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.propose',
        summary: 'Propose records for destruction',
        description:
          'Each must have reached its date, not be on legal hold, not be in another live proposal, and have nothing made from it still kept (a recording’s or a request’s copies, a conference’s recordings); every problem at once (422). A second, different person must approve.',
        tags: TAGS,
        body: z.object({ items: z.array(itemRef).min(1).max(500), note: z.string().max(REASON_MAX).optional() }),
        response: { 201: z.object({ id: z.string(), reference: z.string() }), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = await retention.propose(request.actor!, request.body, requestContext(request));
        return reply.code(201).send({ id: p.id, reference: proposalReference(p.number) });
      }),
  );

  api.get(
    '/retention/proposals/:id',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.proposal',
        summary: 'One proposal with its records and how far their destruction has gone',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        response: {
          200: proposalSchema.extend({
            items: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                itemId: z.string(),
                dueOn: isoDateOf('Its retention date'),
                state: z.enum(['pending', 'destroyed', 'held']),
                destroyedAt: z.string().nullable(),
              }),
            ),
          }),
          ...recordErrors,
        },
      },
    },
    async (request) => {
      const p = await retention.proposal(request.actor!, request.params.id, requestContext(request));
      return {
        ...proposalOut(p),
        items: p.items.map((i) => ({
          kind: i.kind,
          itemId: i.itemId,
          dueOn: i.dueOn,
          state: i.state,
          destroyedAt: i.destroyedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  api.post(
    '/retention/proposals/:id/approval',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.approve',
        summary: 'Approve a proposal: a second, different person (four eyes)',
        description:
          'The proposer is refused (409 four_eyes, audited). Destruction then runs as a background job; read the proposal until its state is destroyed.',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ version: z.number().int() }),
        response: { 202: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await retention.approve(request.actor!, request.params.id, request.body, requestContext(request));
          return reply.code(202).send(null);
        },
        RULE_CODES,
      ),
  );

  api.post(
    '/retention/proposals/:id/decline',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.decline',
        summary: 'Decline (or, by the proposer, withdraw) a proposal, with the reason the records should be kept',
        tags: TAGS,
        params: z.object({ id: idSchema }),
        body: z.object({ version: z.number().int(), reason: z.string().max(REASON_MAX + 1000) }),
        response: { 204: z.null(), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(
        reply,
        async () => {
          await retention.decline(request.actor!, request.params.id, request.body, requestContext(request));
          return reply.code(204).send(null);
        },
        RULE_CODES,
      ),
  );
}
