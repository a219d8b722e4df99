import { createHmac } from 'node:crypto';
import csrf from '@fastify/csrf-protection';
import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The multipart form field that carries the token: the first field of the form, before any file. */
export const CSRF_FIELD = '_csrf';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes a multipart form (a file upload). Its CSRF token is the form's first field, read
     * and checked before any of the rest of the body; the handler reads the rest from `request.checkedParts`.
     */
    multipartCsrf?: boolean;
  }
  interface FastifyRequest {
    /** On a `multipartCsrf` route, the form's parts after the CSRF token, once the token is accepted. */
    checkedParts: AsyncIterator<Multipart> | null;
    /** The token read from a multipart form's first field (see `multipartCsrf`). */
    multipartCsrfToken: string | null;
  }
}

/** @fastify/csrf-protection's own places for the token (a urlencoded body, or a header), and the multipart field. */
function tokenOf(request: FastifyRequest): string | undefined {
  if (request.multipartCsrfToken !== null) return request.multipartCsrfToken;
  const body = request.body as { _csrf?: unknown } | undefined;
  if (typeof body?._csrf === 'string' && body._csrf) return body._csrf;
  for (const header of ['csrf-token', 'xsrf-token', 'x-csrf-token', 'x-xsrf-token']) {
    const v = request.headers[header];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/**
 * Reads a multipart form up to its first part: the token when that part is the `_csrf` field, else ''
 * (refused). Nothing after it, a file above all, is read until the token has been checked.
 */
async function firstFieldToken(request: FastifyRequest): Promise<string> {
  const parts = request.parts()[Symbol.asyncIterator]();
  request.checkedParts = parts;
  const first = await parts.next();
  if (first.done || first.value.type !== 'field' || first.value.fieldname !== CSRF_FIELD) return '';
  return typeof first.value.value === 'string' ? first.value.value : '';
}

/**
 * CSRF tokens on every state-changing form. The secret lives in a signed cookie and each token is
 * bound to the session, so a token from before sign-in is useless afterwards. The JSON API takes
 * bearer tokens only (no cookies), so it needs no CSRF token. A multipart form (an upload) sends its
 * token as its first field, never in the URL: see `multipartCsrf`.
 */
export const csrfPlugin = fp(async (app: FastifyInstance, opts: { cookieSecure: boolean; secret: string }) => {
  app.decorateRequest('checkedParts', null);
  app.decorateRequest('multipartCsrfToken', null);
  await app.register(csrf, {
    cookieKey: opts.cookieSecure ? '__Host-cpcr_csrf' : 'cpcr_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.cookieSecure, signed: true },
    csrfOpts: {
      userInfo: true,
      hmacKey: createHmac('sha256', opts.secret).update('csrf-user-binding').digest('base64'),
    },
    getUserInfo: (request) => request.sessionToken ?? 'anonymous',
    getToken: tokenOf,
  });
  app.addHook('preValidation', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || request.url.startsWith('/api/')) return done();
    if (
      request.routeOptions.config.multipartCsrf &&
      typeof request.isMultipart === 'function' &&
      request.isMultipart()
    ) {
      firstFieldToken(request).then(
        (token) => {
          request.multipartCsrfToken = token;
          app.csrfProtection(request, reply, done);
        },
        (err: Error) => done(err),
      );
      return;
    }
    app.csrfProtection(request, reply, done);
  });
});
