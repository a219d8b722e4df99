/** An invitation's copies as issued (each kept exactly, with its SHA-256), and recording one sent by hand. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INVITATION_METHODS } from '../../../domain/conferences/invitations.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import type { ApiOptions } from '../index.ts';
import { errorResponse, requestContext, withRules } from '../schemas.ts';
import { issueOut } from './mapping.ts';
import { EDIT, VIEW, errors, inviteeParams, isoDate, issueSchema } from './schemas.ts';

export async function invitationIssuesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { convening } = services;

  api.get(
    '/conferences/:id/invitations/:inviteeId/issues',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.invitationIssues',
        summary: 'An invitation as issued, every time',
        description:
          'Each copy exactly as it was sent (subject, body, channel, SHA-256 of the body, when and by whom), oldest first. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        response: {
          200: z.object({
            issues: z.array(issueSchema),
            changedSinceIssued: z.boolean().describe('The record has changed since the latest issue: issue it again'),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { issues, changedSinceIssued } = await convening.invitationIssues(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        requestContext(request),
      );
      return { issues: issues.map(issueOut), changedSinceIssued };
    },
  );

  api.get(
    '/conferences/:id/invitations/:inviteeId/issues/:issueId',
    {
      config: VIEW,
      schema: {
        operationId: 'ConveningService.invitationIssue',
        summary: 'One copy of an invitation, exactly as issued',
        description: 'Its subject, body, channel, SHA-256 of the body, and when and by whom it was sent. Audited.',
        tags: ['conferences'],
        params: inviteeParams.extend({ issueId: idSchema.describe('The issued copy’s id') }),
        response: { 200: issueSchema, ...errors },
      },
    },
    async (request) => {
      const { issue } = await convening.invitationIssue(
        request.actor!,
        request.params.id,
        request.params.inviteeId,
        request.params.issueId,
        requestContext(request),
      );
      return issueOut(issue);
    },
  );

  api.post(
    '/conferences/:id/invitations/:inviteeId/issues',
    {
      config: EDIT,
      schema: {
        operationId: 'ConveningService.recordInvitationSent',
        summary: 'Record an invitation as sent, storing what was sent',
        description:
          'For an invitation sent by hand (to email them from the service, see POST /conferences/{id}/invitations/email): call this when one has gone. The text as it is now, dated `sentOn`, is stored exactly with its SHA-256 and who sent it; sending again after a change adds a new issue and never overwrites one. Audited.',
        tags: ['conferences'],
        params: inviteeParams,
        body: z.object({
          method: z.enum(INVITATION_METHODS),
          sentOn: isoDate('The day it was sent; today or earlier'),
        }),
        response: { 201: issueSchema, ...errors, 422: errorResponse },
      },
    },
    async (request, reply) =>
      withRules(reply, async () =>
        reply
          .code(201)
          .send(
            issueOut(
              await convening.recordInvitationSent(
                request.actor!,
                request.params.id,
                request.params.inviteeId,
                request.body,
                requestContext(request),
              ),
            ),
          ),
      ),
  );
}
