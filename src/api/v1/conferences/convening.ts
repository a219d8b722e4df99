/** Convening and reading conferences: a conference, and a child's conferences. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { BROUGHT_FORWARD_REASONS, PRE_BIRTH_GROUNDS } from '../../../domain/conferences/convening-grounds.ts';
import { VENUE_KINDS } from '../../../domain/conferences/invitations.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { conferenceOut } from './mapping.ts';
import { EDIT, VIEW, conferenceParams, conferenceSchema, errors, isoDate } from './schemas.ts';

const text = (max: number) => z.string().max(max).nullish();

const conveneBody = z.object({
  childIds: z
    .array(idSchema)
    .min(1)
    .max(12)
    .describe('The child, or the sibling group; the caller must be able to change every child’s record'),
  type: z.enum(CONFERENCE_TYPES),
  strategyDiscussionDate: isoDate(
    'Initial: the strategy discussion at which the section 47 enquiry began (T-1)',
  ).nullish(),
  expectedDeliveryDate: isoDate('Pre-birth: the expected date of delivery (T-2)').nullish(),
  preBirthGrounds: z
    .array(z.enum(PRE_BIRTH_GROUNDS))
    .max(PRE_BIRTH_GROUNDS.length)
    .nullish()
    .describe('Pre-birth (002 §1.3): the grounds for holding it, at least one'),
  prematureBirthLikely: z
    .boolean()
    .nullish()
    .describe('Pre-birth (002 §1.3): a premature birth is likely, so the T-2 window ends earlier'),
  broughtForwardReason: z
    .enum(BROUGHT_FORWARD_REASONS)
    .nullish()
    .describe('Review (002 §2.2): required when it is brought forward well before its due date (T-3)'),
  broughtForwardOther: text(1000).describe('With broughtForwardReason `other`: the reason'),
  previousConferenceId: idSchema.nullish().describe('Review: a held conference of these children (T-3)'),
  noticeOfMoveDate: isoDate('Transfer-in: when notice of the move was received (T-4)').nullish(),
  scheduledDate: isoDate('The day of the conference: a working day, today or later'),
  startTime: z.string().max(5).describe('HH:MM, 24-hour clock, England'),
  durationMinutes: z.number().int().describe('Expected length, 15 to 480 minutes'),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: text(500).describe('In person or hybrid: address and room'),
  onlineLink: text(2000).describe('Online or hybrid: the Microsoft Teams link (https)'),
  chairUserId: idSchema.describe('An active user with the chair role'),
  chairIndependenceReason: z
    .string()
    .max(2000)
    .nullish()
    .describe(
      'Why the chair should chair although they are a child’s allocated social worker or that social worker’s line manager (002 §4.1); required then (422 with the warning otherwise)',
    ),
  minuteTakerUserId: idSchema.describe('An active business support user'),
  lateAgreedBy: text(200).describe(
    'Required when the date is outside the timescale: the senior manager who agreed it (T-1)',
  ),
  lateReason: text(1000).describe('Required when the date is outside the timescale: why'),
  reconvenesConferenceId: idSchema
    .nullish()
    .describe(
      'Q-1 / D-1: the earlier conference of these children this one reconvenes (see /children/{id}/reconvene-choices): same type, still waiting, not already reconvened',
    ),
  conferenceRequestId: idSchema
    .nullish()
    .describe(
      '002 §1.1: the agreed request for a conference about one of these children that this conference answers; a request is answered by one conference only (422 otherwise). The professional who asked is emailed the date when they have an address',
    ),
});

export async function conveningApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.post(
    '/conferences',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.conveneAndView',
        summary: 'Convene a conference',
        description:
          'For one child or a sibling group. What the type needs: `strategyDiscussionDate` (initial), `expectedDeliveryDate` (pre-birth, with an unborn child), `previousConferenceId` (review), `noticeOfMoveDate` (transfer-in). A pre-birth conference needs `preBirthGrounds` (002 §1.3); a review brought forward needs `broughtForwardReason` (002 §2.2). A date outside the timescale needs `lateAgreedBy` and `lateReason` (422 otherwise). The caller must be able to change every child’s record (403, audited). One part, "Whole conference", is created.',
        tags: ['conferences'],
        body: conveneBody,
        response: { 201: conferenceSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const overview = await convening.conveneAndView(request.actor!, request.body, requestContext(request));
        return reply.code(201).send(conferenceOut(overview));
      }),
  );

  api.get(
    '/conferences/:id',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.getConference',
        summary: 'A conference',
        description:
          'With its children, parts, invitees (kind, agency, direct contact) and reports (T-5 status). Only for someone who may see every child in it; every read is audited.',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: conferenceSchema, ...errors },
      },
    },
    async (request) =>
      conferenceOut(await convening.getConference(request.actor!, request.params.id, requestContext(request))),
  );

  api.get(
    '/children/:id/conferences',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.listChildConferences',
        summary: 'A child’s conferences, newest first',
        description: '`canOpen` is false for a conference that includes a child whose record the caller may not see.',
        tags: ['conferences'],
        params: z.object({ id: idSchema.describe('The child’s id') }),
        response: {
          200: z.object({
            child: z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() }),
            conferences: z.array(
              z.object({
                id: z.uuid(),
                type: z.enum(CONFERENCE_TYPES),
                typeLabel: z.string(),
                status: z.enum(CONFERENCE_STATUSES),
                scheduledDate: isoDate('The day'),
                startTime: z.string(),
                childIds: z.array(z.uuid()),
                canOpen: z.boolean(),
                broughtForward: z
                  .string()
                  .nullable()
                  .describe('002 §2.2: why a review was brought forward (null otherwise, or when canOpen is false)'),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { child, conferences } = await convening.listChildConferences(
        request.actor!,
        request.params.id,
        requestContext(request),
      );
      return {
        child: { id: child.id, givenNames: child.givenNames, familyName: child.familyName },
        conferences: conferences.map((c) => ({
          id: c.id,
          type: c.type,
          typeLabel: c.typeLabel,
          status: c.status,
          scheduledDate: c.scheduledDate,
          startTime: c.startTime,
          childIds: c.canOpen ? c.childIds : [],
          canOpen: c.canOpen,
          broughtForward: c.broughtForward,
        })),
      };
    },
  );
}
