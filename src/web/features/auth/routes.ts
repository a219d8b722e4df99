import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { safePath } from '../../plugins/auth.ts';
import { bodyOf, domainFormError, formErrors, requestContext } from '../../forms.ts';
import type { FeatureOptions } from '../index.ts';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password is too long'),
  returnTo: z.string().optional(),
});

const setupForm = z
  .object({
    name: z.string().trim().min(1, 'Enter your full name').max(200, 'Name must be 200 characters or fewer'),
    email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
    password: z.string().min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`).max(256, 'Password must be 256 characters or fewer'),
    confirmPassword: z.string(),
  })
  .refine((f) => f.password === f.confirmPassword, { message: 'The passwords do not match', path: ['confirmPassword'] });

const FAILURE_TEXT = {
  invalid: 'Enter a correct email address and password',
  disabled: 'Enter a correct email address and password',
  locked: 'There have been too many failed attempts to sign in to this account. Wait 15 minutes and try again',
} as const;

export async function authRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { accounts } = services;

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const q = request.query as { returnTo?: string; reason?: string };
    return reply.view('auth/sign-in.njk', { title: 'Sign in', values: { returnTo: safePath(q.returnTo) }, signedOut: q.reason === 'signed-out' });
  });

  app.post(
    '/sign-in',
    { config: { access: 'public', rateLimit: { max: 30, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const parsed = signInForm.safeParse(bodyOf(request));
      if (!parsed.success) {
        reply.code(400);
        return reply.view('auth/sign-in.njk', { title: 'Sign in', errors: formErrors(parsed.error), values: { ...bodyOf(request), password: '' } });
      }
      const result = await accounts.signIn(parsed.data.email, parsed.data.password, { requestId: request.id });
      if (!result.ok) {
        reply.code(result.reason === 'locked' ? 429 : 400);
        return reply.view('auth/sign-in.njk', {
          title: 'Sign in',
          errors: [{ text: FAILURE_TEXT[result.reason], href: '#email' }],
          values: { email: parsed.data.email, returnTo: parsed.data.returnTo },
        });
      }
      app.setSessionCookie(reply, result.sessionToken);
      return reply.redirect(safePath(parsed.data.returnTo), 303);
    },
  );

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.sessionToken) await accounts.signOut(request.sessionToken, requestContext(request));
    app.clearSessionCookie(reply);
    return reply.redirect('/sign-in?reason=signed-out', 303);
  });

  // The set-up token travels in the path because it is a one-time link printed to the operator;
  // the request log records only the route pattern, never the token.
  app.get('/setup/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!(await accounts.setupTokenUsable(token))) {
      reply.code(410);
      return reply.view('auth/setup-expired.njk', { title: 'This set-up link cannot be used' });
    }
    return reply.view('auth/setup.njk', { title: 'Create the first administrator account', values: {}, token });
  });

  app.post('/setup/:token', { config: { access: 'public', rateLimit: { max: 20, timeWindow: '15 minutes' } } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const body = bodyOf(request);
    const parsed = setupForm.safeParse(body);
    const values = { name: body['name'], email: body['email'] };
    if (!parsed.success) {
      reply.code(400);
      return reply.view('auth/setup.njk', { title: 'Create the first administrator account', errors: formErrors(parsed.error), values, token });
    }
    try {
      await accounts.completeSetup(token, parsed.data, { requestId: request.id });
    } catch (err) {
      const errors = domainFormError(err);
      if (errors[0]?.text.includes('set-up link')) {
        reply.code(410);
        return reply.view('auth/setup-expired.njk', { title: 'This set-up link cannot be used' });
      }
      reply.code(400);
      return reply.view('auth/setup.njk', { title: 'Create the first administrator account', errors, values, token });
    }
    return reply.view('auth/setup-done.njk', { title: 'Administrator account created' });
  });
}
