/** A covert recording of a conference found: reported, listed while open council-wide, and read one by one (P-9). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COVERT_REPORTER_ROLES, COVERT_VIEWER_ROLES } from '../../../domain/recording-incidents/incidents.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { incidentOut } from './mapping.ts';
import {
  TAGS,
  conferenceParams,
  errors,
  incidentParams,
  incidentSchema,
  isoDate,
  long,
  readErrors,
  short,
} from './schemas.ts';
import type { RecordingIncidentUseCases } from '../../../app/recording-incidents/recording-incident-service.ts';

export function covertRoutes(app: FastifyInstance, incidents: RecordingIncidentUseCases): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/conferences/:id/recording-incidents/covert',
    {
      config: { access: COVERT_REPORTER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.reportCovert',
        summary: 'Record a covert recording of the conference found (P-9)',
        description:
          'A chair, business support or the social worker: the children it is about, when it was found (from the conference’s date to today), by whom and how, and whether it has been published or shared (where, when, taken down). A case note goes on each child’s record and the conference’s chair is emailed in the same transaction. `mayView` says whether the caller may read the incident.',
        tags: TAGS,
        params: conferenceParams,
        body: z.object({
          childIds: z.array(idSchema).max(20),
          foundOn: z.string().max(20),
          foundBy: short,
          howFound: long,
          published: z.string().max(40),
          publishedWhere: long.default(''),
          publishedOn: z.string().max(20).default(''),
          takenDown: z.string().max(40).default(''),
          takenDownOn: z.string().max(20).default(''),
        }),
        response: {
          201: z.object({ id: z.uuid(), chairTold: z.boolean(), mayView: z.boolean() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const saved = await incidents.reportCovert(
          request.actor!,
          request.params.id,
          request.body,
          requestContext(request),
        );
        return reply.code(201).send({ id: saved.id, chairTold: saved.chairTold, mayView: saved.mayView });
      }),
  );

  api.get(
    '/recording-incidents',
    {
      config: { access: COVERT_VIEWER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.openIncidents',
        summary: 'Open covert recording incidents, council-wide (P-9)',
        description:
          'Every open incident the person may see: for chairs, team managers and legal advisers (never one about a restricted child unless named on its record). Ids, the conference and dates only. Audited.',
        tags: TAGS,
        response: {
          200: z.object({
            incidents: z.array(
              z.object({
                id: z.uuid(),
                conferenceId: z.uuid(),
                conferenceTitle: z.string(),
                scheduledDate: isoDate,
                foundOn: isoDate,
                actionCount: z.number().int(),
              }),
            ),
          }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async (request) => {
      const open = await incidents.openIncidents(request.actor!, requestContext(request));
      return {
        incidents: open.map((i) => ({
          id: i.id,
          conferenceId: i.conference.id,
          conferenceTitle: i.conference.title,
          scheduledDate: i.conference.scheduledDate,
          foundOn: i.foundOn,
          actionCount: i.actionCount,
        })),
      };
    },
  );

  api.get(
    '/conferences/:id/recording-incidents/covert/:incidentId',
    {
      config: { access: COVERT_VIEWER_ROLES },
      schema: {
        operationId: 'RecordingIncidentService.covertDetail',
        summary: 'One covert recording incident (P-9)',
        description:
          'For chairs, team managers and legal advisers (council-wide, never a restricted child’s unless named on it): what was found, the actions considered, what must still be considered before closing, and the outcome. Audited.',
        tags: TAGS,
        params: incidentParams,
        response: { 200: z.object({ incident: incidentSchema, canDecide: z.boolean() }), ...readErrors },
      },
    },
    async (request) => {
      const p = request.params;
      const v = await incidents.covertDetail(request.actor!, p.id, p.incidentId, requestContext(request));
      return { incident: incidentOut(v.incident), canDecide: v.can.decide };
    },
  );
}
