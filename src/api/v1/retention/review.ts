/** Records that have reached their retention date, a page at a time, with why one cannot be proposed yet. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAGE_SIZE } from '../../../app/retention/retention-service.ts';
import { DISPOSABLE_KINDS } from '../../../domain/retention/schedules.ts';
import type { ApiOptions } from '../index.ts';
import { isoDateOf, requestContext } from '../schemas.ts';
import { OFFICERS, TAGS, readErrors } from './schemas.ts';

export async function retentionReviewApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/review',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.review',
        summary: 'Records that have reached their retention date, oldest first, a page at a time',
        description: `${PAGE_SIZE} a page. Held records are listed with their hold and are never proposable. Audited with the ids shown.`,
        tags: TAGS,
        querystring: z.object({
          kind: z.enum(DISPOSABLE_KINDS).optional(),
          page: z.coerce.number().int().min(1).optional(),
        }),
        response: {
          200: z.object({
            today: isoDateOf('Today in England'),
            page: z.number().int(),
            pages: z.number().int(),
            total: z.number().int(),
            items: z.array(
              z.object({
                kind: z.enum(DISPOSABLE_KINDS),
                id: z.string(),
                context: z.string().describe('Conference type and date, children’s local references: no names'),
                conferenceId: z.string(),
                dueOn: isoDateOf('When it reached its retention date'),
                holdId: z.string().nullable(),
                proposalId: z.string().nullable(),
                copiesKept: z
                  .number()
                  .int()
                  .describe('Copies still kept of a recording, or sent for a request: destroy them first'),
                recordingsKept: z
                  .number()
                  .int()
                  .describe('Recordings still kept of a conference whose written record is due: destroy them first'),
                keptFirst: z.string().nullable().describe('Why it cannot be proposed yet, in words; null when it can'),
                proposable: z.boolean(),
              }),
            ),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const r = await retention.review(request.actor!, request.query, requestContext(request));
      return {
        today: r.today,
        page: r.page,
        pages: r.pages,
        total: r.total,
        items: r.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          context: i.context,
          conferenceId: i.conferenceId,
          dueOn: i.dueOn,
          holdId: i.hold?.id ?? null,
          proposalId: i.proposal?.id ?? null,
          copiesKept: i.copiesKept,
          recordingsKept: i.recordingsKept,
          keptFirst: i.keptFirst,
          proposable: i.proposable,
        })),
      };
    },
  );
}
