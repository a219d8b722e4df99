/**
 * Account administration for integrations: an administrator resetting someone's sign-in security (a lost
 * phone, or recovery codes gone), the same use case as the administrators' page and `cpcr user
 * reset-second-factor`. Their authenticator app, recovery codes and passkeys are removed and their sessions
 * end; they set up an authenticator app again at their next sign-in. Only an administrator may (a refusal is
 * audited); the reset is audited with its reason.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RESET_REASON_MAX } from '../../app/second-factor/second-factor-service.ts';
import { idSchema } from '../../domain/shared/ids.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse, requestContext, withRules } from './schemas.ts';

const ADMIN = { access: ['admin'] as const };

export async function accountsApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { secondFactor } = services;

  api.post(
    '/users/:id/second-factor/reset',
    {
      config: ADMIN,
      schema: {
        operationId: 'SecondFactorService.resetFactors',
        summary: 'Reset someone’s sign-in security',
        description:
          'Administrators only; a refusal is audited. Removes the account’s authenticator app, recovery codes and passkeys and ends its sessions: the person sets up an authenticator app again at their next sign-in. A `reason` is required (422 without it) and kept in the audit trail. 404: no such account.',
        tags: ['accounts'],
        params: z.object({ id: idSchema.describe('The account’s id') }),
        body: z.object({
          reason: z.string().max(RESET_REASON_MAX).describe('Why the sign-in security is being reset'),
        }),
        response: {
          204: z.null().describe('Reset'),
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          404: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) =>
      withRules(reply, async () => {
        await secondFactor.resetFactors(request.params.id, request.body.reason, requestContext(request));
        return reply.code(204).send(null);
      }),
  );
}
