/** Starting the conference and concluding it. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LiveRecorder, MeetingService } from '../../../app/conferences/meeting-service.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { REMINDER_POINT_IDS } from '../../../domain/conferences/meeting.ts';
import { requestContext, withRules } from '../schemas.ts';
import { TAGS, WRITE, clockTime, errors, params, statusSchema } from './schemas.ts';

export function openingApi(app: FastifyInstance, meeting: MeetingService, recordings: LiveRecorder): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/conferences/:id/meeting/open',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.openConference',
        summary: 'Start the conference (R-1)',
        description:
          'The chair confirms each point about the recording was told to those present, and notes the actual start time. Chair only.',
        tags: TAGS,
        params,
        body: z.object({
          pointsGiven: z.array(z.enum(REMINDER_POINT_IDS as [string, ...string[]])).max(20),
          actualStartTime: clockTime('When the conference started'),
        }),
        response: { 200: z.object({ status: statusSchema, actualStartTime: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.openConference(request.actor!, request.params.id, request.body, requestContext(request)),
      ),
  );

  api.post(
    '/conferences/:id/meeting/start',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.startConference',
        summary: 'Start the conference and record it in the browser (R-1)',
        description:
          'As the chair’s start page: the conference is opened as with …/open and, with `record`, a live recording of the meeting is started for the chair or business support (for anyone else `record` is ignored). A split conference’s recording belongs to one part: `partId` is then required, and checked before anything opens. A recording its rules refuse leaves the conference open (`recordingRefused`). Chair only.',
        tags: TAGS,
        params,
        body: z.object({
          pointsGiven: z.array(z.enum(REMINDER_POINT_IDS as [string, ...string[]])).max(20),
          actualStartTime: clockTime('When the conference started'),
          record: z.boolean().default(false).describe('Start a live recording of the meeting'),
          partId: idSchema.nullish().describe('The part being recorded (a split conference)'),
        }),
        response: {
          200: z.object({
            recordingId: z.uuid().nullable().describe('The live recording started, to send its audio to'),
            recordingRefused: z.boolean().describe('The conference is open, but the recording could not start'),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const started = await meeting.startConference(
          request.actor!,
          request.params.id,
          request.body,
          requestContext(request),
          recordings,
        );
        return started.recordingId !== null
          ? { recordingId: started.recordingId, recordingRefused: false }
          : { recordingId: null, recordingRefused: started.recordingRefused };
      }),
  );

  api.post(
    '/conferences/:id/meeting/conclude',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.conclude',
        summary: 'Conclude the conference',
        description:
          'Held only when quorate (or going ahead with the chair’s reason) and every child has a decision. R-1: the end time is noted.',
        tags: TAGS,
        params,
        body: z.object({ actualEndTime: clockTime('When the conference ended') }),
        response: { 200: z.object({ status: statusSchema, actualEndTime: z.string() }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, () =>
        meeting.conclude(request.actor!, request.params.id, request.body, requestContext(request)),
      ),
  );
}
