import { createHmac } from 'node:crypto';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF tokens on every state-changing form. The secret lives in a signed cookie and each token is
 * bound to the session, so a token from before sign-in is useless afterwards. The JSON API takes
 * bearer tokens only (no cookies), so it needs no CSRF token.
 */
export const csrfPlugin = fp(async (app: FastifyInstance, opts: { cookieSecure: boolean; secret: string }) => {
  await app.register(csrf, {
    cookieKey: opts.cookieSecure ? '__Host-cpcr_csrf' : 'cpcr_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.cookieSecure, signed: true },
    csrfOpts: { userInfo: true, hmacKey: createHmac('sha256', opts.secret).update('csrf-user-binding').digest('base64') },
    getUserInfo: (request) => request.sessionToken ?? 'anonymous',
  });
  app.addHook('preValidation', (request, reply, done) => {
    if (!UNSAFE.has(request.method) || request.url.startsWith('/api/')) return done();
    app.csrfProtection(request, reply, done);
  });
});
