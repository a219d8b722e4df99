/** Recording a request to record a meeting and reading one (P-1, P-6, T-11). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordingPermissionUseCases } from '../../../app/recording-permission/service.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { requestContext, withRules } from '../schemas.ts';
import { decode, detailOut, toApi } from './mapping.ts';
import {
  EDIT,
  READ,
  TAGS,
  detailSchema,
  errors,
  fileBase64,
  readErrors,
  requestParams,
  requestSchema,
} from './schemas.ts';

export function requestRoutes(app: FastifyInstance, service: RecordingPermissionUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/recording-permission',
    {
      config: EDIT,
      schema: {
        operationId: 'RecordingPermissionService.record',
        summary: 'Record a request to record a meeting (P-1, T-11)',
        description: [
          'The meeting is a conference (`conferenceId`) or another meeting about a child (`childId` with its kind, date, time and organiser). The requester is a child the meeting is about, a family member, or someone else by name: anyone but a child or a parent with parental responsibility for a child discussed is recorded and refused at once, with the reason and a case note on each child (P-1).',
          'A request made less than the council’s notice (48 hours) before the meeting is accepted and flagged, and the decision-maker emailed (T-11). With `undertaking: "upload"` the signed notice is `file` (base64). Every problem is answered at once (422).',
        ].join('\n\n'),
        tags: TAGS,
        body: z.object({
          meeting: z.union([
            z.object({ conferenceId: idSchema }),
            z.object({
              childId: idSchema,
              kind: z.string().max(40),
              date: z.string().max(20),
              time: z.string().max(10),
              organiser: z.string().max(1_000),
            }),
          ]),
          requester: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('child'), childId: idSchema }),
            z.object({ kind: z.literal('family'), personId: idSchema }),
            z.object({ kind: z.literal('someone-else'), name: z.string().max(1_000) }),
          ]),
          askedOn: z.string().max(20),
          askedAtTime: z.string().max(10),
          method: z.string().max(40),
          purpose: z.string().max(20_000),
          undertaking: z.string().max(40),
          file: fileBase64.nullable().default(null),
        }),
        response: { 201: requestSchema, ...errors },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const b = request.body;
        const saved = await service.record(
          request.actor!,
          b.meeting,
          { ...b, file: decode(b.file) },
          requestContext(request),
        );
        return reply.code(201).send(toApi(saved));
      }),
  );

  api.get(
    '/recording-permission/:requestId',
    {
      config: READ,
      schema: {
        operationId: 'RecordingPermissionService.detail',
        summary: 'One request to record a meeting, with professionals’ views and the letter once decided',
        description: 'Audited.',
        tags: TAGS,
        params: requestParams,
        response: { 200: detailSchema, ...readErrors },
      },
    },
    async (request) =>
      detailOut(await service.detail(request.actor!, request.params.requestId, requestContext(request))),
  );
}
