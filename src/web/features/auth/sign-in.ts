/**
 * Signing in and out. One answer for a wrong password, an unknown email, a locked or a disabled account,
 * with the same status: anything else would tell a stranger which emails have accounts. Only a client
 * address that has failed too often, whatever the account, is told so (429): that says nothing about any account.
 * The right password leads to the second factor (src/web/features/second-factor), not yet to the service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccountsService } from '../../../app/accounts/accounts-service.ts';
import type { UserRecord } from '../../../app/accounts/ports.ts';
import { bodyOf, requestContext, zodErrors } from '../../forms/index.ts';
import { CHANGE_PASSWORD_PATH, SECOND_FACTOR_PATH, safePath } from '../../plugins/auth.ts';

const signInForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password is too long'),
  returnTo: z.string().optional(),
});

const FAILURE_TEXT = 'Enter a correct email address and password';
const THROTTLED_TEXT =
  'There have been too many failed attempts to sign in from your device or network. Wait 15 minutes and try again';

/**
 * Once someone is fully signed in (password and second factor, or a council's single sign-on): their session
 * cookie, then where they go first: choosing their own password if someone else set it, the form kept when
 * their last session ended, or the page they asked for.
 */
export function landSignedIn(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  signedIn: {
    sessionToken: string;
    user: Pick<UserRecord, 'mustChangePassword'>;
    returnTo: string | undefined;
    keptCookie: string;
  },
): FastifyReply {
  app.setSessionCookie(reply, signedIn.sessionToken);
  if (signedIn.user.mustChangePassword) return reply.redirect(CHANGE_PASSWORD_PATH, 303);
  if (request.cookies[signedIn.keptCookie]) return reply.redirect('/kept-answers', 303);
  return reply.redirect(safePath(signedIn.returnTo), 303);
}

export interface SignInDeps {
  accounts: AccountsService;
  /** The name of the cookie holding a form kept when a session ended. */
  keptCookie: string;
}

export function signInPages(app: FastifyInstance, { accounts, keptCookie }: SignInDeps): void {
  const page = (request: FastifyRequest, extra: Record<string, unknown>) => ({
    title: 'Sign in',
    answersKept: Boolean(request.cookies[keptCookie]),
    ...extra,
  });

  app.get('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const q = request.query as { returnTo?: string; reason?: string };
    return reply.view(
      'auth/sign-in.njk',
      page(request, {
        values: { returnTo: safePath(q.returnTo) },
        signedOut: q.reason === 'signed-out',
        timedOut: q.reason === 'timed-out',
        passwordSet: q.reason === 'password-set',
        locked: q.reason === 'locked',
      }),
    );
  });

  const limited = { access: 'public' as const, rateLimit: { max: 30, timeWindow: '15 minutes' } };
  app.post('/sign-in', { config: limited }, async (request, reply) => {
    const parsed = signInForm.safeParse(bodyOf(request));
    if (!parsed.success) {
      reply.code(400);
      const values = { ...bodyOf(request), password: '' };
      return reply.view('auth/sign-in.njk', page(request, { errors: zodErrors(parsed.error), values }));
    }
    const { email, password, returnTo } = parsed.data;
    const result = await accounts.signIn(email, password, { correlationId: request.id, clientAddress: request.ip });
    if (!result.ok) {
      const throttled = result.reason === 'throttled';
      reply.code(throttled ? 429 : 400);
      return reply.view(
        'auth/sign-in.njk',
        page(request, {
          errors: [{ text: throttled ? THROTTLED_TEXT : FAILURE_TEXT, href: '#email' }],
          values: { email, returnTo },
        }),
      );
    }
    // The session waits for the second factor: it is good for nothing else yet.
    app.setSessionCookie(reply, result.sessionToken);
    return reply.redirect(`${SECOND_FACTOR_PATH}?returnTo=${encodeURIComponent(safePath(returnTo))}`, 303);
  });

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.sessionToken) await accounts.signOut(request.sessionToken, requestContext(request));
    app.clearSessionCookie(reply);
    return reply.redirect('/sign-in?reason=signed-out', 303);
  });
}
