/** Changing your own password; also where someone whose password was set by an administrator is sent until they choose their own. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { bodyOf, problemsAsErrors, requestContext, zodErrors } from '../../forms/index.ts';
import { CHANGE_PASSWORD_PATH } from '../../plugins/auth.ts';

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

const SIGNED_IN = { access: 'signed-in' as const };

export function changePasswordPage(app: FastifyInstance, { accounts }: { accounts: AccountsService }): void {
  app.get(CHANGE_PASSWORD_PATH, { config: SIGNED_IN }, async (request, reply) =>
    reply.view('account/change-password.njk', {
      title: 'Change your password',
      mustChange: request.mustChangePassword,
      // Someone signing in with their council account has no password here: the page says where to change it.
      councilAccount: await accounts.signsInWithCouncil(request.actor!.id),
    }),
  );

  app.post(CHANGE_PASSWORD_PATH, { config: SIGNED_IN }, async (request, reply) => {
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
}
