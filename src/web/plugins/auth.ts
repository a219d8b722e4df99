import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccountsService } from '../../app/accounts/accounts-service.ts';
import type { AuditLog } from '../../app/audit/audit-log.ts';
import { hasAnyRole } from '../../domain/access/roles.ts';
import type { RouteAccess } from '../types.ts';

export interface AuthOptions {
  accounts: AccountsService;
  audit: AuditLog;
  cookieSecure: boolean;
  sessionAbsoluteMs: number;
}

export function sessionCookieName(secure: boolean): string {
  // __Host- binds the cookie to this origin over HTTPS, with no Domain and Path=/.
  return secure ? '__Host-cpcr_session' : 'cpcr_session';
}

/** Holds the key of a form kept after its session ended (the form itself stays on the server). */
export function keptFormCookieName(secure: boolean): string {
  return secure ? '__Host-cpcr_kept' : 'cpcr_kept';
}

/** Where someone who has given their password is sent until they give (or set up) their second factor. */
export const SECOND_FACTOR_PATH = '/sign-in/second-factor';

/** Where someone whose password was set by somebody else is sent until they choose their own. */
export const CHANGE_PASSWORD_PATH = '/account/password';
/** The only routes such a person may use before that (public routes aside). */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([CHANGE_PASSWORD_PATH, '/sign-out', '/session/extend']);

/** Forms never kept after a time-out: keeping them would mean nothing, or would store a password. */
const NEVER_KEPT = new Set(['/session/extend', CHANGE_PASSWORD_PATH]);

/** A plain form post (not a file upload): the kind whose fields can be kept when its session has ended. */
function isKeepableForm(request: FastifyRequest): boolean {
  return (
    (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') &&
    !NEVER_KEPT.has(request.routeOptions.url ?? '')
  );
}

/** The fields of a parsed form, without its CSRF token (a fresh one is added when it is sent again) or any password. */
function formFields(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf' || /password/i.test(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
  }
  return out;
}

/** Routes that plugins register themselves (static assets) and that are public by nature. */
const PLUGIN_PUBLIC_PREFIXES = ['/assets/', '/static/'];

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/**
 * Authentication (session cookie for pages, bearer token for the API) and route-level access.
 * Every route must declare `config.access`; a route without one fails at start-up (default deny).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  const cookieName = sessionCookieName(opts.cookieSecure);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('mustChangePassword', false);
  app.decorateRequest('secondFactorUserId', null);
  app.decorateRequest('lapsedSessionUserId', null);
  app.decorateRequest('sessionIdleSeconds', null);
  const keptCookie = keptFormCookieName(opts.cookieSecure);

  app.addHook('onRoute', (route) => {
    if (route.config?.access !== undefined) return;
    if (PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p))) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    throw new Error(`Route ${route.method} ${route.url} declares no access rule (config.access)`);
  });

  app.decorate('setSessionCookie', function setSessionCookie(reply: FastifyReply, token: string) {
    reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      secure: opts.cookieSecure,
      sameSite: 'lax',
      maxAge: Math.floor(opts.sessionAbsoluteMs / 1000),
    });
  });
  app.decorate('clearSessionCookie', function clearSessionCookie(reply: FastifyReply) {
    reply.clearCookie(cookieName, { path: '/', httpOnly: true, secure: opts.cookieSecure, sameSite: 'lax' });
  });

  /** An API request's bearer token: its actor, or a failed sign-in audited (never the token). Returns the token's id. */
  const identifyByToken = async (request: FastifyRequest): Promise<string | null> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return null;
    const r = await opts.accounts.resolveApiToken(match[1]);
    if (r.ok) {
      request.actor = r.actor;
      request.authMethod = 'token';
      request.mustChangePassword = r.user.mustChangePassword;
      return r.tokenId;
    }
    // A presented but unknown, expired or revoked token is a failed sign-in: audit it (never the token).
    await opts.audit.record({
      action: 'api-token.use',
      actor: { id: null, label: 'unknown token' },
      correlationId: request.id,
      outcome: 'failure',
      details: { route: `${request.method} ${request.routeOptions.url ?? '(no route)'}` },
    });
    return null;
  };

  /**
   * A page request's session cookie: its actor. True when the session has lapsed and the form it carries is to
   * be kept for its author (the preHandler keeps it once the CSRF check has passed): nothing else is checked then.
   */
  const identifyBySession = async (request: FastifyRequest, reply: FastifyReply, access: RouteAccess | undefined) => {
    const token = request.cookies[cookieName];
    if (!token) return false;
    const r = await opts.accounts.resolveSession(token);
    if (r.ok && r.secondFactorDue) {
      // Only the password so far: no actor, so every page but the second factor's (and signing out) is refused.
      request.sessionToken = token;
      request.secondFactorUserId = r.user.id;
      return false;
    }
    if (r.ok) {
      request.actor = r.actor;
      request.sessionToken = token;
      request.authMethod = 'session';
      request.mustChangePassword = r.user.mustChangePassword;
      request.sessionIdleSeconds = Math.floor(opts.accounts.sessionIdleMs / 1000);
      return false;
    }
    // A session that timed out a short while ago keeps its cookie, so a form still open in any tab can be kept.
    if (!r.userId) app.clearSessionCookie(reply);
    // A form sent after the session timed out: checked against the old session's CSRF token, then kept (preHandler).
    if (
      r.userId &&
      request.method === 'POST' &&
      access !== 'public' &&
      access !== undefined &&
      isKeepableForm(request)
    ) {
      request.lapsedSessionUserId = r.userId;
      request.sessionToken = token;
      return true;
    }
    return false;
  };

  /** Someone whose password was set by somebody else: the API refuses them (audited), pages send them to change it. */
  const passwordChangeFirst = async (request: FastifyRequest, reply: FastifyReply, apiTokenId: string | null) => {
    if (isApi(request)) {
      // A token must not let someone act on a password that somebody else chose (and so knows): the API is
      // refused, like every page, until they have chosen their own. The token stays, and works afterwards.
      await opts.audit.record({
        action: 'api-token.use',
        actor: { id: request.actor!.id, label: request.actor!.name },
        correlationId: request.id,
        outcome: 'denied',
        details: {
          route: `${request.method} ${request.routeOptions.url}`,
          reason: 'password-change-required',
          tokenId: apiTokenId,
        },
      });
      return reply.code(403).send({
        error: 'password_change_required',
        message:
          'The password of this account was set by someone else: sign in to the website and choose a new one before using the API',
      });
    }
    if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(request.routeOptions.url ?? '')) {
      return reply.redirect(CHANGE_PASSWORD_PATH, 303);
    }
    return undefined;
  };

  /** The route's access rule for whoever is asking: sign-in first, then the roles it needs (a denial is audited). */
  const authorise = async (
    request: FastifyRequest,
    reply: FastifyReply,
    access: RouteAccess | undefined,
    apiTokenId: string | null,
  ) => {
    if (access === 'public' || access === undefined) return undefined;
    if (!request.actor) {
      if (isApi(request)) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer')
          .send({ error: 'unauthorized', message: 'A valid API token is required' });
      }
      if (request.secondFactorUserId) {
        return reply.redirect(
          request.method === 'GET'
            ? `${SECOND_FACTOR_PATH}?returnTo=${encodeURIComponent(safePath(request.url))}`
            : SECOND_FACTOR_PATH,
          303,
        );
      }
      return reply.redirect(
        request.method === 'GET' ? `/sign-in?returnTo=${encodeURIComponent(safePath(request.url))}` : '/sign-in',
        303,
      );
    }
    if (request.mustChangePassword) {
      const answered = await passwordChangeFirst(request, reply, apiTokenId);
      if (answered) return answered;
    }
    if (access === 'signed-in') return undefined;
    if (!hasAnyRole(request.actor, access)) {
      await opts.audit.record({
        action: 'route.access',
        actor: { id: request.actor.id, label: request.actor.name },
        correlationId: request.id,
        outcome: 'denied',
        details: { route: `${request.method} ${request.routeOptions.url}`, needs: access },
      });
      if (isApi(request)) return reply.code(403).send({ error: 'forbidden', message: 'Your roles do not allow this' });
      reply.code(403);
      const message = request.routeOptions.config.deniedMessage;
      return reply.send(await reply.view('errors/forbidden.njk', message ? { message } : {}));
    }
    return undefined;
  };

  app.addHook('onRequest', async (request, reply) => {
    const access: RouteAccess | undefined = request.routeOptions.config.access;
    if (isApi(request)) {
      const apiTokenId = await identifyByToken(request);
      return authorise(request, reply, access, apiTokenId);
    }
    if (await identifyBySession(request, reply, access)) return;
    return authorise(request, reply, access, null);
  });

  // After the CSRF check (preValidation) passed for the old session: keep the fields, then ask for sign-in.
  app.addHook('preHandler', async (request, reply) => {
    const userId = request.lapsedSessionUserId;
    if (!userId) return;
    const key = await opts.accounts.keepForm(userId, safePath(request.url), formFields(request.body), {
      correlationId: request.id,
    });
    request.sessionToken = null;
    app.clearSessionCookie(reply);
    reply.setCookie(keptCookie, key, {
      path: '/',
      httpOnly: true,
      secure: opts.cookieSecure,
      sameSite: 'lax',
      maxAge: Math.floor(opts.accounts.keptFormTtlMs / 1000),
    });
    return reply.redirect('/sign-in?reason=timed-out', 303);
  });
});

/** Only same-site paths may be used as a return address after sign-in. */
export function safePath(p: string | undefined): string {
  if (!p || !p.startsWith('/') || p.startsWith('//') || p.startsWith('/\\')) return '/';
  return p;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The password was set by someone else: every page but the change-password page sends them there; the API refuses with 403. */
    mustChangePassword: boolean;
    /** Who has given their password on this session and must now give their second factor (no actor until then). */
    secondFactorUserId: string | null;
    /** Whose session ended before this form arrived, so its fields can be kept for them alone. */
    lapsedSessionUserId: string | null;
    /** The idle time-out in seconds, when signed in with a session (for the time-out warning). */
    sessionIdleSeconds: number | null;
  }
  interface FastifyInstance {
    setSessionCookie(reply: FastifyReply, token: string): void;
    clearSessionCookie(reply: FastifyReply): void;
  }
}
