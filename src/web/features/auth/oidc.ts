/**
 * Signing in with the council's identity provider: the button sends the person there (the state, nonce and PKCE
 * verifier kept on the server under a random key in a short-lived HttpOnly cookie), the callback is checked by
 * openid-client and used once, and the person is signed in, or told plainly why not. Signing out of the service
 * goes on to the provider's sign-out when it has one. Nothing from the provider is ever logged or put in an address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  CouncilFlowRefusal,
  CouncilSignInRefusal,
  CouncilSignInService,
} from '../../../app/accounts/council-sign-in.ts';
import {
  CALLBACK_PATH,
  type CouncilIdentityProvider,
  OidcError,
  SIGNED_OUT_PATH,
} from '../../../app/accounts/council-sign-in-ports.ts';
import { safePath } from '../../plugins/auth.ts';

export interface CouncilSignInDeps {
  service: CouncilSignInService;
  provider: CouncilIdentityProvider;
  /** OIDC_REDIRECT_URI: the callback's address as registered with the provider. */
  config: { redirectUri: string };
  keptCookie: string;
  cookieSecure: boolean;
}

export const COUNCIL_SIGN_IN_PATH = '/sign-in/council';

/** Holds the random key of a sign-in on its way through the provider (the secrets stay on the server). */
export function flowCookieName(secure: boolean): string {
  return secure ? '__Host-cpcr_council_sign_in' : 'cpcr_council_sign_in';
}

/** Each refusal's page: its title, what happened and what to do, in plain words; never a claim or a token. */
const REFUSALS: Record<CouncilSignInRefusal | CouncilFlowRefusal, { status: number; title: string; body: string[] }> = {
  'waiting-for-roles': {
    status: 403,
    title: 'Your account is waiting for an administrator',
    body: [
      'You signed in with your council account, but this service does not yet know what you do.',
      'An administrator of this service has to give your account its roles before you can use it. Ask your service administrator, then sign in again.',
    ],
  },
  disabled: {
    status: 403,
    title: 'Your account has been disabled',
    body: [
      'An administrator of this service has disabled your account. Ask your service administrator if you need to use it.',
    ],
  },
  'mfa-required': {
    status: 403,
    title: 'Sign in again with a second factor',
    body: [
      'This service needs you to prove who you are with a second factor, such as an authenticator app, when you sign in to your council account.',
      'Sign in again and use your second factor. If you are not asked for one, contact your council’s IT service desk.',
    ],
  },
  'no-email': {
    status: 403,
    title: 'Your council account has no email address',
    body: [
      'Your council account did not give this service an email address, so an account cannot be made for you.',
      'Contact your council’s IT service desk.',
    ],
  },
  'email-in-use': {
    status: 403,
    title: 'An account already uses your email address',
    body: [
      'This service already has an account with your email address, which was not made with your council account. The two are never joined automatically.',
      'Ask your service administrator for help.',
    ],
  },
  unavailable: {
    status: 503,
    title: 'Sorry, signing in with your council account is not working',
    body: ['The council’s sign-in service could not be reached. Try again in a few minutes.'],
  },
  'provider-refused': {
    status: 403,
    title: 'You were not signed in',
    body: [
      'Signing in with your council account was cancelled, or your council account is not allowed to use this service.',
      'Try again. If it happens again, contact your council’s IT service desk.',
    ],
  },
  state: {
    status: 400,
    title: 'You were not signed in',
    body: ['The answer from your council’s sign-in was not for the sign-in started in this browser. Start again.'],
  },
  nonce: {
    status: 400,
    title: 'You were not signed in',
    body: ['The answer from your council’s sign-in was not for the sign-in started in this browser. Start again.'],
  },
  'invalid-response': {
    status: 400,
    title: 'You were not signed in',
    body: ['The answer from your council’s sign-in could not be checked. Start again.'],
  },
  'no-flow': {
    status: 400,
    title: 'You were not signed in',
    body: ['This sign-in has already been used, has expired or was started in another browser. Start again.'],
  },
};

export function councilSignInPages(app: FastifyInstance, deps: CouncilSignInDeps): void {
  const { service, provider, config, keptCookie } = deps;
  const flowCookie = flowCookieName(deps.cookieSecure);
  const cookieOpts = { path: '/', httpOnly: true, secure: deps.cookieSecure, sameSite: 'lax' as const };

  const refusedPage = (reply: FastifyReply, reason: CouncilSignInRefusal | CouncilFlowRefusal) => {
    const page = REFUSALS[reason];
    reply.code(page.status);
    return reply.view('auth/oidc-refused.njk', {
      title: page.title,
      body: page.body,
      // Someone waiting or disabled gains nothing from trying again at once; everyone else may.
      startAgain: !['waiting-for-roles', 'disabled', 'email-in-use'].includes(reason),
    });
  };

  const ctx = (request: FastifyRequest) => ({ correlationId: request.id });

  // The button: to the provider, with a new state, nonce and PKCE verifier for this browser. Limited per client
  // address to bound the flows kept, but well above a password's limit: a whole office behind one address signs
  // in here at nine in the morning, and nothing can be guessed through these routes.
  const limited = { access: 'public' as const, rateLimit: { max: 300, timeWindow: '15 minutes' } };
  app.get(COUNCIL_SIGN_IN_PATH, { config: limited }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const returnTo = safePath((request.query as { returnTo?: string }).returnTo);
    let started;
    try {
      started = await provider.start();
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      await service.refused(err.reason, ctx(request));
      return refusedPage(reply, err.reason);
    }
    const key = await service.keepFlow({ ...started.secrets, returnTo });
    reply.setCookie(flowCookie, key, { ...cookieOpts, maxAge: 600 });
    return reply.redirect(started.url.href, 303);
  });

  // Back from the provider: the flow is taken (once), the answer checked, then the person signed in or refused.
  app.get(CALLBACK_PATH, { config: limited }, async (request, reply) => {
    const key = request.cookies[flowCookie];
    reply.clearCookie(flowCookie, cookieOpts);
    const flow = key ? await service.takeFlow(key) : null;
    if (!flow) {
      await service.refused('no-flow', ctx(request));
      return refusedPage(reply, 'no-flow');
    }
    // The address the provider sent the person to, as registered: never the Host header the request claims.
    const callbackUrl = new URL(config.redirectUri);
    callbackUrl.search = new URL(request.url, 'http://callback.invalid').search;
    let claims;
    try {
      claims = await provider.finish(callbackUrl, flow);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      await service.refused(err.reason, ctx(request), err.providerError);
      return refusedPage(reply, err.reason);
    }
    const outcome = await service.signIn(claims, ctx(request));
    if (!outcome.ok) return refusedPage(reply, outcome.reason);
    // From here on, exactly as after a password sign-in.
    app.setSessionCookie(reply, outcome.sessionToken);
    if (request.cookies[keptCookie]) return reply.redirect('/kept-answers', 303);
    return reply.redirect(safePath(flow.returnTo), 303);
  });

  // Where the provider sends the person after signing them out there.
  app.get(SIGNED_OUT_PATH, { config: { access: 'public' } }, async (_request, reply) =>
    reply.redirect('/sign-in?reason=signed-out', 303),
  );
}

/**
 * Signing out of the service (POST /sign-out, in sign-in.ts) goes on to the provider's sign-out for someone
 * who has a council identity, so a shared computer is not left signed in to the council account. The service's
 * session has ended by then; the provider sends the person back to SIGNED_OUT_PATH. Register before the route.
 */
export function councilSignOut(app: FastifyInstance, deps: Pick<CouncilSignInDeps, 'service' | 'provider'>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/sign-out') return payload;
    if (reply.statusCode !== 303 || !request.actor) return payload;
    if (!(await deps.service.identityOf(request.actor.id))) return payload;
    const url = await deps.provider.endSessionUrl().catch(() => null);
    if (url) reply.header('location', url.href);
    return payload;
  });
}
