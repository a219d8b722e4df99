/** The register per part (002 §3.2): attendance, exclusions, and someone who arrived without an invitation. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CSC_STAFF_ROLES } from '../../../domain/conferences/invitees.ts';
import type { MeetingService } from '../../../app/conferences/meeting-service.ts';
import { EXCLUSION_EXTENTS } from '../../../domain/conferences/meeting.ts';
import { EXCLUDED_VIEWS_ROUTES, EXCLUSION_CRITERIA } from '../../../domain/participation/exclusion.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { attendanceOut } from './mapping.ts';
import {
  TAGS,
  WRITE,
  attendanceSchema,
  errors,
  lineParams,
  longText,
  params,
  partParams,
  quoracySchema,
} from './schemas.ts';

const registerBody = z.object({
  entries: z
    .array(
      z.object({
        inviteeId: z.uuid(),
        status: z
          .enum(['invited', 'attended', 'apologies', 'absent'])
          .describe('Exclusions are recorded with PUT …/exclusions/{inviteeId}'),
        joinedAtMinutes: z.number().int().nullable().default(null),
        leftAtMinutes: z.number().int().nullable().default(null),
        interpreterUsed: z.boolean().default(false),
        directContact: z.boolean().optional().describe('Professionals only; left out, unchanged'),
      }),
    )
    .min(1)
    .max(300),
});

const partIds = z.array(idSchema).max(50).describe('The parts they are present for');
const arrivalBody = z.discriminatedUnion('source', [
  z.object({ source: z.literal('network'), personId: idSchema, partIds }),
  z.object({ source: z.literal('child'), childId: idSchema, partIds }),
  z.object({ source: z.literal('professional'), professionalId: idSchema, directContact: z.boolean(), partIds }),
  z.object({
    source: z.literal('new-professional'),
    kind: z.enum(['professional', 'interpreter']),
    name: z.string().max(200),
    roleTitle: z.string().max(200),
    agencyId: idSchema,
    directContact: z.boolean().default(false),
    partIds,
  }),
  z.object({
    source: z.literal('new-supporter'),
    kind: z.enum(['friend', 'supporter', 'advocate']),
    givenNames: z.string().max(100),
    familyName: z.string().max(100),
    partIds,
  }),
]);

export function registerApi(app: FastifyInstance, meeting: MeetingService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.put(
    '/conferences/:id/meeting/parts/:partId/attendance',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordAttendance',
        summary: 'Record the register for a part',
        description:
          'Chair or business support. Each problem is reported on its person (`status-{inviteeId}`, `joinedAt-{inviteeId}` …), including a person present in two overlapping parts. Returns the part’s register and quoracy (Q-1).',
        tags: TAGS,
        params: partParams,
        body: registerBody,
        response: { 200: z.object({ attendance: z.array(attendanceSchema), quoracy: quoracySchema }), ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const lines = request.body.entries.map((e) => ({
          inviteeId: e.inviteeId,
          status: e.status,
          joinedAt: e.joinedAtMinutes,
          leftAt: e.leftAtMinutes,
          interpreterUsed: e.interpreterUsed,
          directContact: e.directContact,
        }));
        const r = await meeting.recordAttendance(
          request.actor!,
          request.params.id,
          request.params.partId,
          lines,
          requestContext(request),
        );
        return { attendance: r.attendance.map(attendanceOut), quoracy: r.quoracy };
      }),
  );

  api.put(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.recordExclusion',
        summary: 'Exclude a parent or carer from a part (002 §3.2)',
        description:
          'Chair only. The criteria come from the list for the extent (full: violence-or-intimidation, disruption; partial: criminal-proceedings, child-request) or "other" with otherReason. The day and who told them the reasons orally is required; in writing once given (both or neither). How they may send their views: viewsRoutes, with viewsNote for "other".',
        tags: TAGS,
        params: lineParams,
        body: z.object({
          extent: z.enum(EXCLUSION_EXTENTS),
          criteria: z.array(z.enum(EXCLUSION_CRITERIA)).min(1).max(EXCLUSION_CRITERIA.length),
          otherReason: longText.nullable().optional(),
          toldOrallyOn: z.iso.date(),
          toldOrallyBy: z.string().max(200),
          toldInWritingOn: z.iso.date().nullable().optional(),
          toldInWritingBy: z.string().max(200).nullable().optional(),
          viewsRoutes: z.array(z.enum(EXCLUDED_VIEWS_ROUTES)).min(1).max(EXCLUDED_VIEWS_ROUTES.length),
          viewsNote: longText.nullable().optional(),
        }),
        response: { 200: attendanceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return attendanceOut(
          await meeting.recordExclusion(
            request.actor!,
            p.id,
            p.partId,
            p.inviteeId,
            request.body,
            requestContext(request),
          ),
        );
      }),
  );

  api.delete(
    '/conferences/:id/meeting/parts/:partId/exclusions/:inviteeId',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.clearExclusion',
        summary: 'Remove an exclusion recorded in error',
        tags: TAGS,
        params: lineParams,
        response: { 200: attendanceSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const p = request.params;
        return attendanceOut(
          await meeting.clearExclusion(request.actor!, p.id, p.partId, p.inviteeId, requestContext(request)),
        );
      }),
  );

  api.get(
    '/conferences/:id/meeting/arrival-choices',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.arrivalChoices',
        summary: 'Who could be added when they arrive without an invitation',
        description:
          'The children’s network, the children, professionals already linked and children’s social care staff not yet on the register, and the agencies a new professional may come from. Chair or business support; audited.',
        tags: TAGS,
        params,
        response: {
          200: z.object({
            network: z.array(
              z.object({
                personId: z.uuid(),
                name: z.string(),
                relationships: z.array(z.object({ childId: z.uuid(), relationship: z.string() })),
              }),
            ),
            children: z.array(z.object({ childId: z.uuid(), name: z.string() })),
            professionals: z.array(
              z.object({ professionalId: z.uuid(), name: z.string(), roleTitle: z.string(), agencyName: z.string() }),
            ),
            staff: z.array(z.object({ userId: z.uuid(), name: z.string(), role: z.enum(CSC_STAFF_ROLES) })),
            agencies: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => meeting.arrivalChoices(request.actor!, request.params.id, requestContext(request)),
  );

  api.post(
    '/conferences/:id/meeting/arrivals',
    {
      config: WRITE,
      schema: {
        operationId: 'MeetingService.addArrival',
        summary: 'Add someone who arrived without an invitation',
        description:
          'They join the register as an invitee of the right kind, present in the parts given. A new friend, supporter or advocate joins each child’s network without PR.',
        tags: TAGS,
        params,
        body: arrivalBody,
        response: { 201: z.object({ inviteeId: z.uuid() }), ...errors, 409: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(await meeting.addArrival(request.actor!, request.params.id, request.body, requestContext(request))),
      ),
  );
}
