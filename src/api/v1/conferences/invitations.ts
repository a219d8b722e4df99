/** Inviting people to a conference, each invitation's text, its copies as issued, and interpreters. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_LANGUAGE_LENGTH } from '../../../app/conferences/convening-service.ts';
import { INVITATION_METHODS } from '../../../domain/conferences/invitations.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { invitationIssuesApi } from './invitation-issues.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { candidatesOut, inviteeOut } from './mapping.ts';
import {
  EDIT,
  VIEW,
  candidatesSchema,
  conferenceParams,
  conferenceSchema,
  errors,
  isoDate,
  inviteeParams,
} from './schemas.ts';

const text = (max: number) => z.string().max(max).nullish();

const sent = z
  .object({ method: z.enum(INVITATION_METHODS), sentOn: isoDate('The day it was sent; today or earlier') })
  .optional()
  .describe('Record an invitation already sent');

const interpreterNeed = {
  interpreterNeeded: z
    .boolean()
    .nullish()
    .describe('Whether they need an interpreter; left out for a family member, their record says'),
  interpreterLanguage: z
    .string()
    .max(MAX_LANGUAGE_LENGTH)
    .nullish()
    .describe('Required when an interpreter is needed: the language, e.g. Polish or British Sign Language'),
};

const inviteeBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z
      .literal('family-member')
      .describe(
        'A family and network member; invited as friend, supporter or advocate when that is all they are to the children',
      ),
    personId: idSchema,
    ...interpreterNeed,
    sent,
  }),
  z.object({
    kind: z.literal('child'),
    childId: idSchema.describe('A born child of this conference; 12 or over is presumed able to attend'),
    ...interpreterNeed,
    sent,
  }),
  z.object({
    kind: z.literal('professional'),
    professionalId: idSchema,
    directContact: z.boolean().describe('Q-1: has their agency had direct contact with the child and family?'),
    sent,
  }),
  z.object({
    kind: z
      .literal('social-worker')
      .describe('Q-1: the allocated social worker of a child in the conference, for children’s social care'),
    userId: idSchema,
    sent,
  }),
  z.object({
    kind: z
      .literal('team-manager')
      .describe('Q-1: a member of staff with the team manager role, for children’s social care'),
    userId: idSchema,
    sent,
  }),
  z.object({
    kind: z.literal('interpreter'),
    interpreter: z.object({
      name: z.string().max(200),
      language: z.string().max(100),
      agencyId: idSchema.describe('The interpreting service (see /agencies)'),
      email: text(320),
    }),
    sent,
  }),
]);

export async function invitationsApi(app: FastifyInstance, { services, audit }: ApiOptions): Promise<void> {
  await app.register(invitationIssuesApi, { services, audit });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.post(
    '/conferences/:id/invitations',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.invite',
        summary: 'Invite people',
        description:
          'All or none. Family members, children and professionals must belong to the conference’s children; nobody is invited twice (422). Give `sent` for one already sent by hand; to email them from the service, see POST /conferences/{id}/invitations/email.',
        tags: ['conferences'],
        params: conferenceParams,
        body: z.object({ invitees: z.array(inviteeBody).min(1).max(100) }),
        response: { 201: z.object({ invitees: conferenceSchema.shape.invitees }), ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        const added = await convening.invite(
          request.actor!,
          request.params.id,
          request.body.invitees,
          requestContext(request),
        );
        return reply.code(201).send({ invitees: added.map(inviteeOut) });
      }),
  );

  api.get(
    '/conferences/:id/invitation-candidates',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.invitationCandidates',
        summary: 'The people who could be invited',
        description:
          'The children’s family and network (with their links, language and whether they need an interpreter), the children with their age on the day (12 or over presumed able to attend), the professionals working with them, and for children’s social care (Q-1) each child’s allocated social worker and the team managers. `invited` marks anyone already invited. Audited.',
        tags: ['conferences'],
        params: conferenceParams,
        response: { 200: candidatesSchema, ...errors },
      },
    },
    async (request) => {
      const { candidates } = await convening.invitationCandidates(
        request.actor!,
        request.params.id,
        requestContext(request),
      );
      return candidatesOut(candidates);
    },
  );

  api.get(
    '/conferences/:id/invitations/:inviteeId/letter',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.invitationContent',
        summary: 'The invitation’s text for one invitee',
        description:
          'Subject and body (plain text) for an email or letter: the children’s names and dates of birth, date, time and venue, and the notice that the conference is audio recorded (R-1). Addresses of the children and other adults are included for professionals only (001). Audited.',
        tags: ['conferences'],
        params: z.object({ id: idSchema, inviteeId: idSchema }),
        response: {
          200: z.object({
            inviteeId: z.uuid(),
            subject: z.string(),
            body: z.string(),
            recipientLines: z.array(z.string()),
            includesAddresses: z.boolean(),
            includesRecordingNotice: z.literal(true),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { invitee, content } = await convening.invitationContent(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        requestContext(request),
      );
      return {
        inviteeId: invitee.id,
        subject: content.subject,
        body: content.body,
        recipientLines: content.recipientLines,
        includesAddresses: content.includesAddresses,
        includesRecordingNotice: true as const,
      };
    },
  );

  api.put(
    '/conferences/:id/invitations/:inviteeId/interpreter',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordInterpreterNeed',
        summary: 'Whether an invitee needs an interpreter, and the language',
        description:
          'For family members and children; the language is required when an interpreter is needed (422). Shown on the invitation list and the register. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        body: z.object({ interpreterNeeded: z.boolean(), interpreterLanguage: interpreterNeed.interpreterLanguage }),
        response: { 200: conferenceSchema.shape.invitees.element, ...errors, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        inviteeOut(
          await convening.recordInterpreterNeed(
            request.actor!,
            request.params.id,
            request.params.inviteeId,
            request.body,
            requestContext(request),
          ),
        ),
      ),
  );
}
