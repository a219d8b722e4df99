import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';
import { CHANGE_PASSWORD_PATH, keptFormCookieName, safePath } from '../../plugins/auth.ts';
import { bodyOf, problemsAsErrors, zodErrors, requestContext } from '../../forms/index.ts';
import type { FeatureOptions } from '../index.ts';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password is too long'),
  returnTo: z.string().optional(),
});

const newPasswordFields = {
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
  confirmPassword: z.string(),
};

const setupForm = z
  .object({
    name: z.string().trim().min(1, 'Enter your full name').max(200, 'Name must be 200 characters or fewer'),
    email: z.email('Enter an email address in the correct format, like name@example.gov.uk').max(320),
    ...newPasswordFields,
  })
  .refine((f) => f.password === f.confirmPassword, {
    message: 'The passwords do not match',
    path: ['confirmPassword'],
  });

const setPasswordForm = z.object(newPasswordFields).refine((f) => f.password === f.confirmPassword, {
  message: 'The passwords do not match',
  path: ['confirmPassword'],
});

/**
 * One answer for a wrong password, an unknown email, a locked or a disabled account, with the same status:
 * anything else would tell a stranger which emails have accounts. Only a client address that has failed
 * too often, whatever the account, is told so (429): that says nothing about any account.
 */
const FAILURE_TEXT = 'Enter a correct email address and password';
const THROTTLED_TEXT =
  'There have been too many failed attempts to sign in from your device or network. Wait 15 minutes and try again';

export async function authRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { accounts, config } = services;
  const keptCookie = keptFormCookieName(config.cookieSecure);
  const keptCookieOpts = { path: '/', httpOnly: true, secure: config.cookieSecure, sameSite: 'lax' as const };

  const signInPage = (request: { cookies: Record<string, string | undefined> }, extra: Record<string, unknown>) => ({
    title: 'Sign in',
    answersKept: Boolean(request.cookies[keptCookie]),
    ...extra,
  });

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const q = request.query as { returnTo?: string; reason?: string };
    return reply.view(
      'auth/sign-in.njk',
      signInPage(request, {
        values: { returnTo: safePath(q.returnTo) },
        signedOut: q.reason === 'signed-out',
        timedOut: q.reason === 'timed-out',
        passwordSet: q.reason === 'password-set',
      }),
    );
  });

  app.post(
    '/sign-in',
    { config: { access: 'public', rateLimit: { max: 30, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const parsed = signInForm.safeParse(bodyOf(request));
      if (!parsed.success) {
        reply.code(400);
        return reply.view(
          'auth/sign-in.njk',
          signInPage(request, { errors: zodErrors(parsed.error), values: { ...bodyOf(request), password: '' } }),
        );
      }
      const result = await accounts.signIn(parsed.data.email, parsed.data.password, {
        correlationId: request.id,
        clientAddress: request.ip,
      });
      if (!result.ok) {
        reply.code(result.reason === 'throttled' ? 429 : 400);
        return reply.view(
          'auth/sign-in.njk',
          signInPage(request, {
            errors: [{ text: result.reason === 'throttled' ? THROTTLED_TEXT : FAILURE_TEXT, href: '#email' }],
            values: { email: parsed.data.email, returnTo: parsed.data.returnTo },
          }),
        );
      }
      app.setSessionCookie(reply, result.sessionToken);
      if (result.user.mustChangePassword) return reply.redirect(CHANGE_PASSWORD_PATH, 303);
      if (request.cookies[keptCookie]) return reply.redirect('/kept-answers', 303);
      return reply.redirect(safePath(parsed.data.returnTo), 303);
    },
  );

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.sessionToken) await accounts.signOut(request.sessionToken, requestContext(request));
    app.clearSessionCookie(reply);
    return reply.redirect('/sign-in?reason=signed-out', 303);
  });

  // "Stay signed in" from the time-out warning: any signed-in request extends the session; this one does nothing else.
  app.post('/session/extend', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (request.headers.accept?.includes('application/json'))
      return reply.send({ idleSeconds: Math.floor(accounts.sessionIdleMs / 1000) });
    return reply.redirect(safePath(String(bodyOf(request)['returnTo'] ?? '/')), 303);
  });

  // After signing in again: the form the person sent when their session had ended, ready to send again.
  app.get('/kept-answers', { config: { access: 'signed-in' } }, async (request, reply) => {
    const key = request.cookies[keptCookie];
    reply.clearCookie(keptCookie, keptCookieOpts);
    const kept = key ? await accounts.takeKeptForm(key, request.actor!, requestContext(request)) : null;
    if (!kept) return reply.redirect('/', 303);
    const fields = Object.entries(kept.fields).flatMap(([name, v]) =>
      (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
    );
    return reply.view('auth/kept-answers.njk', { title: 'You were signed out', action: kept.path, fields });
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

  app.post(
    '/setup/:token',
    { config: { access: 'public', rateLimit: { max: 20, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const body = bodyOf(request);
      const parsed = setupForm.safeParse(body);
      const values = { name: body['name'], email: body['email'] };
      if (!parsed.success) {
        reply.code(400);
        return reply.view('auth/setup.njk', {
          title: 'Create the first administrator account',
          errors: zodErrors(parsed.error),
          values,
          token,
        });
      }
      try {
        await accounts.completeSetup(token, parsed.data, { correlationId: request.id });
      } catch (err) {
        const errors = problemsAsErrors(err);
        if (errors[0]?.text.includes('set-up link')) {
          reply.code(410);
          return reply.view('auth/setup-expired.njk', { title: 'This set-up link cannot be used' });
        }
        reply.code(400);
        return reply.view('auth/setup.njk', { title: 'Create the first administrator account', errors, values, token });
      }
      return reply.view('auth/setup-done.njk', { title: 'Administrator account created' });
    },
  );

  // A password reset link (sent by an administrator or printed by `cpcr user reset-link`): like the set-up link, the token is only in the path.
  const linkGone = (reply: FastifyReply) => {
    reply.code(410);
    return reply.view('auth/set-password-expired.njk', { title: 'This link cannot be used' });
  };

  app.get('/set-password/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const user = await accounts.passwordLinkFor(token);
    if (!user) return linkGone(reply);
    return reply.view('auth/set-password.njk', { title: 'Set a new password', email: user.email, token });
  });

  app.post(
    '/set-password/:token',
    { config: { access: 'public', rateLimit: { max: 20, timeWindow: '15 minutes' } } },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const user = await accounts.passwordLinkFor(token);
      if (!user) return linkGone(reply);
      const parsed = setPasswordForm.safeParse(bodyOf(request));
      if (!parsed.success) {
        reply.code(400);
        return reply.view('auth/set-password.njk', {
          title: 'Set a new password',
          email: user.email,
          token,
          errors: zodErrors(parsed.error),
        });
      }
      try {
        await accounts.completePasswordReset(token, parsed.data.password, { correlationId: request.id });
      } catch (err) {
        const errors = problemsAsErrors(err);
        if (errors[0]?.text.includes('link has expired')) return linkGone(reply);
        reply.code(400);
        return reply.view('auth/set-password.njk', { title: 'Set a new password', email: user.email, token, errors });
      }
      // Any session in this browser belonged to the old password: it has ended; sign in with the new one.
      app.clearSessionCookie(reply);
      return reply.redirect('/sign-in?reason=password-set', 303);
    },
  );
}
