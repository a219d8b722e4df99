/**
 * What a conference can be convened with: the chairs and minute takers, a child's sibling group, the
 * held conferences a review can follow, those waiting to be reconvened, and the same choices together
 * for the type step and for a conference recorded afterwards.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConferenceChild, PreviousConferenceChoice } from '../../../app/conferences/convening-service.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext } from '../schemas.ts';
import { choiceOut } from './mapping.ts';
import { EDIT, errors, isoDate, reconveneGroundSchema, staffRef } from './schemas.ts';

const groupChild = z.object({
  id: z.uuid(),
  givenNames: z.string(),
  familyName: z.string(),
  dateOfBirth: isoDate('Null for an unborn child').nullable(),
  expectedDeliveryDate: isoDate('For an unborn child').nullable(),
});
const groupChildOut = (c: ConferenceChild): z.infer<typeof groupChild> => ({
  id: c.id,
  givenNames: c.givenNames,
  familyName: c.familyName,
  dateOfBirth: c.dateOfBirth,
  expectedDeliveryDate: c.expectedDeliveryDate,
});
const staffOut = (s: { id: string; name: string }) => ({ id: s.id, name: s.name });
const previousSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  typeLabel: z.string(),
  scheduledDate: isoDate('The day it met'),
  childIds: z.array(z.uuid()),
});
const previousOut = (c: PreviousConferenceChoice): z.infer<typeof previousSchema> => ({
  id: c.id,
  type: c.type,
  typeLabel: c.typeLabel,
  scheduledDate: c.scheduledDate,
  childIds: c.childIds,
});
const reconveneSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  scheduledDate: isoDate('The day it met'),
  childIds: z.array(z.uuid()),
  ground: reconveneGroundSchema,
  label: z.string(),
  reason: z.string(),
});
const childParams = z.object({ id: idSchema.describe('The child’s id') });

export async function choicesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.get(
    '/children/:id/reconvene-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.reconveneChoices',
        summary: 'Conferences of a child waiting to be reconvened',
        description:
          'Adjourned as not quorate with a new date set (Q-1), or held with a senior manager’s review that decided to reconvene (D-1), and not yet linked to a conference reconvening them. Give one as `reconvenesConferenceId` when convening.',
        tags: ['conferences'],
        params: childParams,
        response: {
          200: z.object({
            conferences: z.array(
              z.object({
                id: z.uuid(),
                type: z.enum(CONFERENCE_TYPES),
                scheduledDate: isoDate('The day it met'),
                childIds: z.array(z.uuid()),
                ground: reconveneGroundSchema,
                label: z.string(),
                reason: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      conferences: (await convening.reconveneChoices(request.actor!, [request.params.id], requestContext(request))).map(
        choiceOut,
      ),
    }),
  );

  api.get(
    '/conferences/staff-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.staffChoices',
        summary: 'The chairs and minute takers a conference may be convened with',
        description:
          'Active users with the chair role, and active business support users: `chairUserId` and `minuteTakerUserId` when convening.',
        tags: ['conferences'],
        response: {
          200: z.object({ chairs: z.array(staffRef), minuteTakers: z.array(staffRef) }),
          401: errorResponse,
          403: errorResponse,
        },
      },
    },
    async () => {
      const { chairs, minuteTakers } = await convening.staffChoices();
      return { chairs: chairs.map(staffOut), minuteTakers: minuteTakers.map(staffOut) };
    },
  );

  api.get(
    '/children/:id/sibling-group',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.siblingGroupChoices',
        summary: 'The children a conference could cover, starting from one child',
        description:
          'The child and their siblings (sharing a parent or carer with parental responsibility) whose records the caller may change: the `childIds` a conference can be convened for. Refused (403, audited) unless the caller may change the child’s record.',
        tags: ['conferences'],
        params: childParams,
        response: { 200: z.object({ child: groupChild, siblings: z.array(groupChild) }), ...errors },
      },
    },
    async (request) => {
      const { start, siblings } = await convening.siblingGroupChoices(
        request.actor!,
        request.params.id,
        [],
        requestContext(request),
      );
      return { child: groupChildOut(start), siblings: siblings.map(groupChildOut) };
    },
  );

  api.get(
    '/children/:id/previous-conferences',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.previousConferenceChoices',
        summary: 'The held conferences of a child a review can follow',
        description: 'Newest first; give one as `previousConferenceId` when convening a review (T-3).',
        tags: ['conferences'],
        params: childParams,
        response: {
          200: z.object({ conferences: z.array(previousSchema) }),
          ...errors,
        },
      },
    },
    async (request) => ({
      conferences: (
        await convening.previousConferenceChoices(request.actor!, [request.params.id], requestContext(request))
      ).map(previousOut),
    }),
  );

  api.get(
    '/conferences/type-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.typeChoices',
        summary: 'The choices for a conference’s type, for the children it is about',
        description:
          'The held conferences of these children a review can follow (T-3), and their conferences waiting to be reconvened (Q-1, D-1): `previousConferenceId` and `reconvenesConferenceId` when convening. Repeat `childIds` for a sibling group.',
        tags: ['conferences'],
        querystring: z.object({
          childIds: z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(idSchema).min(1).max(12)),
        }),
        response: {
          200: z.object({ previous: z.array(previousSchema), reconvene: z.array(reconveneSchema) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { previous, reconvene } = await convening.typeChoices(
        request.actor!,
        request.query.childIds,
        requestContext(request),
      );
      return { previous: previous.map(previousOut), reconvene: reconvene.map(choiceOut) };
    },
  );

  api.get(
    '/children/:id/afterwards-choices',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.afterwardsChoices',
        summary: 'The choices for recording a conference held without being booked',
        description:
          'The child and the siblings the caller may change, the held conferences a review can follow, and the chairs and minute takers: what POST /conferences/recorded-afterwards takes.',
        tags: ['conferences'],
        params: childParams,
        response: {
          200: z.object({
            children: z.array(groupChild),
            previous: z.array(previousSchema),
            chairs: z.array(staffRef),
            minuteTakers: z.array(staffRef),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { children, previous, staff } = await convening.afterwardsChoices(
        request.actor!,
        request.params.id,
        requestContext(request),
      );
      return {
        children: children.map(groupChildOut),
        previous: previous.map(previousOut),
        chairs: staff.chairs.map(staffOut),
        minuteTakers: staff.minuteTakers.map(staffOut),
      };
    },
  );
}
