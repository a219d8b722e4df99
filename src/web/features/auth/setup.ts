/**
 * Creating the first administrator account with the one-time set-up link. The token travels in the path
 * because it is a link printed to the operator; the request log records only the route pattern, never the token.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { bodyOf, problemsAsErrors, zodErrors } from '../../forms/index.ts';
import { PASSWORDS_DIFFER, newPasswordFields, passwordsMatch } from './password-form.ts';

const setupForm = z
  .object({
    name: z.string().trim().min(1, 'Enter your full name').max(200, 'Name must be 200 characters or fewer'),
    email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, PASSWORDS_DIFFER);

const TITLE = 'Create the first administrator account';
const GONE = { title: 'This set-up link cannot be used' };

export function setupPage(app: FastifyInstance, { accounts }: { accounts: AccountsService }): void {
  app.get('/setup/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!(await accounts.setupTokenUsable(token))) return reply.code(410).view('auth/setup-expired.njk', GONE);
    return reply.view('auth/setup.njk', { title: TITLE, values: {}, token });
  });

  const limited = { access: 'public' as const, rateLimit: { max: 20, timeWindow: '15 minutes' } };
  app.post('/setup/:token', { config: limited }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const body = bodyOf(request);
    const parsed = setupForm.safeParse(body);
    const values = { name: body['name'], email: body['email'] };
    if (!parsed.success) {
      reply.code(400);
      return reply.view('auth/setup.njk', { title: TITLE, errors: zodErrors(parsed.error), values, token });
    }
    try {
      await accounts.completeSetup(token, parsed.data, { correlationId: request.id });
    } catch (err) {
      const errors = problemsAsErrors(err);
      if (err instanceof DomainError && err.code === 'SETUP_LINK_INVALID')
        return reply.code(410).view('auth/setup-expired.njk', GONE);
      reply.code(400);
      return reply.view('auth/setup.njk', { title: TITLE, errors, values, token });
    }
    return reply.view('auth/setup-done.njk', { title: 'Administrator account created' });
  });
}
