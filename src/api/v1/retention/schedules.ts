/** The council’s retention schedules: read, and changed from the version read. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RECORD_KINDS, TRIGGERS } from '../../../domain/retention/schedules.ts';
import type { ApiOptions } from '../index.ts';
import { recordErrors, requestContext, withRules } from '../schemas.ts';
import { OFFICERS, SETTERS, TAGS, readErrors, scheduleSchema, schedulesOut } from './schemas.ts';

export async function retentionSchedulesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { retention } = services;

  api.get(
    '/retention/schedules',
    {
      config: OFFICERS,
      schema: {
        operationId: 'RetentionService.schedules',
        summary: 'The council’s retention schedule for each kind of record (R-4)',
        tags: TAGS,
        response: { 200: z.array(scheduleSchema), ...readErrors },
      },
    },
    async (request) => schedulesOut(await retention.schedules(request.actor!, requestContext(request))),
  );

  api.put(
    '/retention/schedules/:kind',
    {
      config: SETTERS,
      schema: {
        operationId: 'RetentionService.changeSchedule',
        summary: 'Change one retention schedule (R-4)',
        description: 'At the version last read: a schedule changed since is refused (409). Audited before and after.',
        tags: TAGS,
        params: z.object({ kind: z.enum(RECORD_KINDS) }),
        body: z.object({
          version: z.number().int().min(0),
          trigger: z.enum(TRIGGERS),
          years: z.number().int(),
          minimumYearsAfterConference: z.number().int().optional(),
        }),
        response: { 200: z.array(scheduleSchema), ...recordErrors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const { version, ...value } = request.body;
        return schedulesOut(
          await retention.changeSchedule(
            request.actor!,
            request.params.kind,
            { value, version },
            requestContext(request),
          ),
        );
      }),
  );
}
