import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bodyOf, domainFormError, formErrors, requestContext } from '../../forms.ts';
import type { FeatureOptions } from '../index.ts';

const tokenForm = z.object({
import { idSchema } from '../../../domain/shared/ids.ts';
  label: z.string().trim().min(1, 'Enter a name for the token, such as the system that will use it').max(100, 'Name must be 100 characters or fewer'),
  expiresInDays: z.enum(['30', '90', '365', 'never'], { error: 'Select when the token expires' }),
});

export async function accountRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { accounts } = services;

  const page = async (userId: string) => ({
    title: 'Your account',
    user: await accounts.getUser(userId),
    tokens: await accounts.listApiTokens(userId),
  });

  app.get('/account', { config: { access: 'signed-in' } }, async (request, reply) =>
    reply.view('account/account.njk', { ...(await page(request.actor!.id)), values: {} }),
  );

  app.post('/account/tokens', { config: { access: 'signed-in' } }, async (request, reply) => {
    const body = bodyOf(request);
    const parsed = tokenForm.safeParse(body);
    if (!parsed.success) {
      reply.code(400);
      return reply.view('account/account.njk', { ...(await page(request.actor!.id)), errors: formErrors(parsed.error), values: body });
    }
    const days = parsed.data.expiresInDays === 'never' ? null : Number(parsed.data.expiresInDays);
    try {
      const { token, record } = await accounts.createApiToken(request.actor!.id, parsed.data.label, days, requestContext(request));
      // Shown once, on this response only; it is stored hashed and cannot be shown again.
      return reply.view('account/token-created.njk', { title: 'API token created', token, record });
    } catch (err) {
      reply.code(400);
      return reply.view('account/account.njk', { ...(await page(request.actor!.id)), errors: domainFormError(err), values: body });
    }
  });

  app.post('/account/tokens/:id/revoke', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { id } = z.object({ id: idSchema }).parse(request.params);
    await accounts.revokeApiToken(id, request.actor!.id, requestContext(request));
    return reply.redirect('/account', 303);
  });
}
