/**
 * Setting a new password with a reset link (sent by an administrator or printed by `cpcr user reset-link`):
 * like the set-up link, the token is only in the path.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { bodyOf, problemsAsErrors, zodErrors } from '../../forms/index.ts';
import { PASSWORDS_DIFFER, newPasswordFields, passwordsMatch } from './password-form.ts';

const setPasswordForm = z.object(newPasswordFields).refine(passwordsMatch, PASSWORDS_DIFFER);

const TITLE = 'Set a new password';

const linkGone = (reply: FastifyReply) =>
  reply.code(410).view('auth/set-password-expired.njk', { title: 'This link cannot be used' });

export function setPasswordPage(app: FastifyInstance, { accounts }: { accounts: AccountsService }): void {
  app.get('/set-password/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const user = await accounts.passwordLinkFor(token);
    if (!user) return linkGone(reply);
    return reply.view('auth/set-password.njk', { title: TITLE, email: user.email, token });
  });

  const limited = { access: 'public' as const, rateLimit: { max: 20, timeWindow: '15 minutes' } };
  app.post('/set-password/:token', { config: limited }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const user = await accounts.passwordLinkFor(token);
    if (!user) return linkGone(reply);
    const page = { title: TITLE, email: user.email, token };
    const parsed = setPasswordForm.safeParse(bodyOf(request));
    if (!parsed.success)
      return reply.code(400).view('auth/set-password.njk', { ...page, errors: zodErrors(parsed.error) });
    try {
      await accounts.completePasswordReset(token, parsed.data.password, { correlationId: request.id });
    } catch (err) {
      const errors = problemsAsErrors(err);
      if (err instanceof DomainError && err.code === 'PASSWORD_LINK_INVALID') return linkGone(reply);
      return reply.code(400).view('auth/set-password.njk', { ...page, errors });
    }
    // Any session in this browser belonged to the old password: it has ended; sign in with the new one.
    app.clearSessionCookie(reply);
    return reply.redirect('/sign-in?reason=password-set', 303);
  });
}
