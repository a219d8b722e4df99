/** Your account page: who you are, and your API tokens (created, shown once, revoked). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { bodyOf, idParams, problemsAsErrors, requestContext, zodErrors } from '../../forms/index.ts';

const tokenForm = z.object({
  label: z
    .string()
    .trim()
    .min(1, 'Enter a name for the token, such as the system that will use it')
    .max(100, 'Name must be 100 characters or fewer'),
  expiresInDays: z.enum(['30', '90', '365', 'never'], { error: 'Select when the token expires' }),
});

const SIGNED_IN = { access: 'signed-in' as const };

export function accountPage(app: FastifyInstance, { accounts }: { accounts: AccountsService }): void {
  const page = async (userId: string) => ({
    title: 'Your account',
    user: await accounts.getUser(userId),
    tokens: await accounts.listApiTokens(userId),
    councilAccount: await accounts.signsInWithCouncil(userId),
  });
  const withErrors = async (reply: FastifyReply, userId: string, errors: unknown, values: unknown) => {
    reply.code(400);
    return reply.view('account/account.njk', { ...(await page(userId)), errors, values });
  };

  app.get('/account', { config: SIGNED_IN }, async (request, reply) =>
    reply.view('account/account.njk', { ...(await page(request.actor!.id)), values: {} }),
  );

  app.post('/account/tokens', { config: SIGNED_IN }, async (request, reply) => {
    const body = bodyOf(request);
    const userId = request.actor!.id;
    const parsed = tokenForm.safeParse(body);
    if (!parsed.success) return withErrors(reply, userId, zodErrors(parsed.error), body);
    const days = parsed.data.expiresInDays === 'never' ? null : Number(parsed.data.expiresInDays);
    try {
      const { token, record } = await accounts.createApiToken(userId, parsed.data.label, days, requestContext(request));
      // Shown once, on this response only; it is stored hashed and cannot be shown again.
      return reply.view('account/token-created.njk', { title: 'API token created', token, record });
    } catch (err) {
      return withErrors(reply, userId, problemsAsErrors(err), body);
    }
  });

  app.post('/account/tokens/:id/revoke', { config: SIGNED_IN }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    await accounts.revokeApiToken(id, request.actor!.id, requestContext(request));
    return reply.redirect('/account', 303);
  });
}
