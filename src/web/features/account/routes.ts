import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { CHANGE_PASSWORD_PATH } from '../../plugins/auth.ts';
import { bodyOf, problemsAsErrors, zodErrors, requestContext } from '../../forms/index.ts';
import type { FeatureOptions } from '../index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const tokenForm = z.object({
  label: z
    .string()
    .trim()
    .min(1, 'Enter a name for the token, such as the system that will use it')
    .max(100, 'Name must be 100 characters or fewer'),
  expiresInDays: z.enum(['30', '90', '365', 'never'], { error: 'Select when the token expires' }),
});

const changePasswordForm = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password').max(1024, 'Password is too long'),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
      .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
    confirmPassword: z.string(),
  })
  .refine((f) => f.newPassword === f.confirmPassword, {
    message: 'The passwords do not match',
    path: ['confirmPassword'],
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

  // Also where someone whose password was set by an administrator is sent until they choose their own.
  app.get(CHANGE_PASSWORD_PATH, { config: { access: 'signed-in' } }, async (request, reply) =>
    reply.view('account/change-password.njk', {
      title: 'Change your password',
      mustChange: request.mustChangePassword,
    }),
  );

  app.post(CHANGE_PASSWORD_PATH, { config: { access: 'signed-in' } }, async (request, reply) => {
    const render = (errors: unknown) => {
      reply.code(400);
      return reply.view('account/change-password.njk', {
        title: 'Change your password',
        mustChange: request.mustChangePassword,
        errors,
      });
    };
    const parsed = changePasswordForm.safeParse(bodyOf(request));
    if (!parsed.success) return render(zodErrors(parsed.error));
    try {
      await accounts.changePassword(request.actor!.id, request.sessionToken!, parsed.data, requestContext(request));
    } catch (err) {
      return render(problemsAsErrors(err));
    }
    reply.flash('password-changed');
    return reply.redirect(request.mustChangePassword ? '/' : '/account', 303);
  });

  app.post('/account/tokens', { config: { access: 'signed-in' } }, async (request, reply) => {
    const body = bodyOf(request);
    const parsed = tokenForm.safeParse(body);
    if (!parsed.success) {
      reply.code(400);
      return reply.view('account/account.njk', {
        ...(await page(request.actor!.id)),
        errors: zodErrors(parsed.error),
        values: body,
      });
    }
    const days = parsed.data.expiresInDays === 'never' ? null : Number(parsed.data.expiresInDays);
    try {
      const { token, record } = await accounts.createApiToken(
        request.actor!.id,
        parsed.data.label,
        days,
        requestContext(request),
      );
      // Shown once, on this response only; it is stored hashed and cannot be shown again.
      return reply.view('account/token-created.njk', { title: 'API token created', token, record });
    } catch (err) {
      reply.code(400);
      return reply.view('account/account.njk', {
        ...(await page(request.actor!.id)),
        errors: problemsAsErrors(err),
        values: body,
      });
    }
  });

  app.post('/account/tokens/:id/revoke', { config: { access: 'signed-in' } }, async (request, reply) => {
    const { id } = z.object({ id: idSchema }).parse(request.params);
    await accounts.revokeApiToken(id, request.actor!.id, requestContext(request));
    return reply.redirect('/account', 303);
  });
}
