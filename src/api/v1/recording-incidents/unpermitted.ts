/** What went wrong at a conference, and someone recording against the parents’ wishes recorded by the chair (P-8). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { UNPERMITTED_RECORDING_ROLES } from '../../../domain/recording-incidents/incidents.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { incidentOut, unpermittedOut } from './mapping.ts';
import {
  TAGS,
  conferenceParams,
  errors,
  incidentSchema,
  long,
  readErrors,
  short,
  unpermittedSchema,
} from './schemas.ts';
import type { RecordingIncidentUseCases } from '../../../app/recording-incidents/recording-incident-service.ts';

export function unpermittedRoutes(app: FastifyInstance, incidents: RecordingIncidentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/conferences/:id/recording-incidents',
    {
      config: { access: CHILD_RECORD_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.overview',
        summary: 'Recording gone wrong at a conference (P-8, P-9)',
        description:
          'Everyone asked to stop recording against the parents’ wishes, in the order it happened; covert recording incidents only for chairs and team managers (`covert` is null for anyone else; legal advisers read incidents one by one). Audited.',
        tags: TAGS,
        params: conferenceParams,
        response: {
          200: z.object({
            unpermitted: z.array(unpermittedSchema),
            covert: z.array(incidentSchema).nullable(),
            people: z.array(z.object({ inviteeId: z.uuid(), name: z.string() })),
          }),
          ...readErrors,
        },
      },
    },
    async (request) => {
      const v = await incidents.overview(request.actor!, request.params.id, requestContext(request));
      return {
        unpermitted: v.unpermitted.map(unpermittedOut),
        covert: v.covert ? v.covert.map(incidentOut) : null,
        people: v.people,
      };
    },
  );

  api.post(
    '/conferences/:id/recording-incidents/unpermitted',
    {
      config: { access: UNPERMITTED_RECORDING_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.recordUnpermitted',
        summary: 'Record someone recording against the parents’ wishes (P-8)',
        description:
          'The conference’s chair, or the cover chair recorded for them (another chair: 403 naming the chair): who (a family member or friend on the register who attended without parental responsibility, or a description), the time they were asked to stop, the meeting halted and they were asked to leave (both optional, halting first), and how it ended (stopped, left, adjourned) with its time. Times are "HH:MM" or as typed ("2pm"), in order, on the conference’s date and never later than now. Every problem is answered at once (422).',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          personInviteeId: idSchema.nullable().default(null),
          personDescription: short.nullable().default(null),
          askedToStopAt: z.string().max(20),
          meetingHaltedAt: z.string().max(20).default(''),
          askedToLeaveAt: z.string().max(20).default(''),
          outcome: z.string().max(40),
          outcomeAt: z.string().max(20),
          notes: long.default(''),
        }),
        response: { 201: unpermittedSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const saved = await incidents.recordUnpermitted(
          request.actor!,
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send(unpermittedOut(saved));
      }),
  );
}
