import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { trustProxyOption } from '../infra/config.ts';
import { LOG_SERIALIZERS, REDACT_PATHS, scrubLogArguments } from '../infra/logger.ts';
import type { Services } from '../composition.ts';
import { apiV1 } from '../api/v1/index.ts';
import { authPlugin } from './plugins/auth.ts';
import { csrfPlugin } from './plugins/csrf.ts';
import { denialsPlugin } from './plugins/denials.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { flashPlugin } from './plugins/flash.ts';
import { inputPlugin } from './plugins/input.ts';
import { securityPlugin } from './plugins/security.ts';
import { viewsPlugin } from './plugins/views.ts';
import { probesPlugin } from './probes.ts';
import { features } from './features/index.ts';
import { redactDownloadTokens } from './features/download/redact.ts';
import { redactOneTimeLinks } from './features/auth/redact.ts';
import './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const govukDist = path.resolve(here, '../../node_modules/govuk-frontend/dist/govuk');

export const SERVICE_NAME = 'Child protection conference records';

/** The JSON API's paths: the only ones in the OpenAPI document. */
export const isApiPath = (url: string): boolean => url === '/api/v1' || url.startsWith('/api/v1/');

/** The web app's logger: route patterns, never raw URLs; secrets redacted. `stream` lets a test read the lines. */
export function appLoggerOptions(
  level: string,
  stream?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      ...LOG_SERIALIZERS,
      // Log the route pattern, never the raw URL: paths and queries may carry ids or one-time tokens.
      req: (req) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)', id: req.id }),
    },
    // Belt and braces for the requester's download link and one-time password links: no token ever reaches a log line.
    hooks: { streamWrite: (line) => redactOneTimeLinks(redactDownloadTokens(line)), logMethod: scrubLogArguments },
    ...(stream ? { stream } : {}),
  };
}

/**
 * buildApp(services): external plugins → own plugins → features → API.
 * Tests build it with their own services (in-memory database, fixed clock) in one line.
 */
export async function buildApp(
  services: Services,
  opts: { logger?: FastifyServerOptions['logger']; onRoute?: ((route: RouteOptions) => void) | undefined } = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: opts.logger ?? appLoggerOptions(config.logLevel),
    // Only the configured proxies (TRUST_PROXY), never every hop: X-Forwarded-For is otherwise the client's to choose.
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // Fastify's default (10 s) is there to catch a plugin that never calls `done`; registering the API's routes
    // is CPU work that has taken longer than that on a busy 2-core host, failing a start that was only slow.
    pluginTimeout: 60_000,
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const { audit } = services;

  // External plugins
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${SERVICE_NAME} API`,
        version: '1.0.0',
        description: 'JSON API for integrations. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only the JSON API is documented: pages (and anything else outside /api/v1) are left out.
    transform: (input) =>
      isApiPath(input.url) ? jsonSchemaTransform(input) : { schema: { ...input.schema, hide: true }, url: input.url },
  });

  // Own plugins
  await app.register(securityPlugin, {
    hsts: config.cookieSecure,
    // Signing out of the service goes on to sign out of the council's provider too (a redirect after the form).
    formActionOrigins: config.oidc ? [new URL(config.oidc.issuer).origin] : [],
  });
  await app.register(authPlugin, {
    accounts: services.accounts,
    audit,
    cookieSecure: config.cookieSecure,
    sessionAbsoluteMs: config.sessionAbsoluteMs,
  });
  await app.register(csrfPlugin, { cookieSecure: config.cookieSecure, secret: config.sessionSecret });
  await app.register(denialsPlugin, { audit });
  await app.register(inputPlugin);
  await app.register(flashPlugin, { cookieSecure: config.cookieSecure });
  await app.register(viewsPlugin, {
    serviceName: SERVICE_NAME,
    councilName: config.councilName,
    councilSignIn: config.oidc ? { displayName: config.oidc.displayName, only: config.oidc.only } : undefined,
  });
  await app.register(errorsPlugin);

  await app.register(fastifyStatic, {
    root: [path.join(govukDist, 'assets'), govukDist],
    prefix: '/assets/',
    allowedPath: (p) => !p.endsWith('.scss') && !p.endsWith('.map'),
    cacheControl: false,
  });
  // Own scripts, and the stylesheet compiled by `npm run build:css` (run before start and test).
  await app.register(fastifyStatic, {
    root: [path.join(here, 'static'), path.resolve(here, '../../.build')],
    prefix: '/static/',
    decorateReply: false,
  });

  // 200 `ok`, or 503 `degraded` with the reasons (facts about the server only, never about people): free disk
  // space under DATA_DIR below the reserve (DISK_RESERVE_MB) means uploads and live recordings are refused.
  app.get('/health', { config: { access: 'public' } }, async (_request, reply) => {
    await services.database.execute('select 1');
    const { disk } = services.uploads;
    const free = await disk.freeBytes();
    if (free < disk.reserveBytes) {
      const mb = (n: number) => Math.floor(n / (1024 * 1024));
      return reply.code(503).send({
        status: 'degraded',
        problems: [
          {
            code: 'disk-space-low',
            message: `Free disk space under the data folder (${mb(free)} MB) is below the reserve (${mb(disk.reserveBytes)} MB): uploads and live recordings are refused until space is freed`,
          },
        ],
      });
    }
    return reply.send({ status: 'ok' });
  });
  // Liveness (GET /livez) and readiness (GET /readyz) for load balancers and Kubernetes: see probes.ts.
  await app.register(probesPlugin, { readiness: services.readiness });

  await app.register(features, { services, audit });
  await app.register(apiV1, { prefix: '/api/v1', services, audit });
  return app;
}
