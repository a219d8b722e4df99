import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Security headers with a per-request CSP nonce; nothing authenticated is ever cached. */
/** `formActionOrigins`: other origins a form may lead to (the council's sign-in, where signing out ends). */
export const securityPlugin = fp(
  async (app: FastifyInstance, opts: { hsts: boolean; formActionOrigins?: string[] }) => {
    await app.register(helmet, {
      enableCSPNonces: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'", ...(opts.formActionOrigins ?? [])],
        },
      },
      strictTransportSecurity: opts.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    });
    app.addHook('onSend', async (request, reply) => {
      if (!request.url.startsWith('/assets/') && !request.url.startsWith('/static/')) {
        reply.header('Cache-Control', 'no-store');
        reply.header('Pragma', 'no-cache');
      }
    });
  },
);
