import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { canonicalIdOr } from '../../domain/shared/ids.ts';
import { controlCharacterProblems } from '../../domain/shared/text.ts';
import { type FieldProblem } from '../../domain/shared/errors.ts';

/** Strings in params, query and body that are whole ids, lower-cased in place (the id schema is the rule; this is the net). */
function canonicaliseIds(value: unknown, depth = 0): unknown {
  if (depth > 20) return value;
  if (typeof value === 'string') return canonicalIdOr(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = canonicaliseIds(value[i], depth + 1);
    return value;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = canonicaliseIds(o[k], depth + 1);
  }
  return value;
}

const isApi = (request: FastifyRequest) => request.url === '/api/v1' || request.url.startsWith('/api/v1/');

/**
 * Input as the rest of the service expects it, before any route sees it:
 * - ids in one form: an id in any case becomes lower case, in params, query and body alike;
 * - no control characters in text: the API answers 400 naming each field; a page's form keeps its
 *   answers and the route shows the problems as field errors, because no use case runs while
 *   `request.textProblems` holds any (see `requestContext` in ../forms/context.ts).
 */
export const inputPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('textProblems', null);
  app.decorateRequest('textProblemsRaised', false);
  app.addHook('preValidation', async (request, reply) => {
    if (request.params && typeof request.params === 'object') canonicaliseIds(request.params);
    if (request.query && typeof request.query === 'object') canonicaliseIds(request.query);
    const body = request.body;
    if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    canonicaliseIds(body);
    const problems = controlCharacterProblems(body).filter((p) => p.field !== '_csrf');
    if (!problems.length) return;
    if (isApi(request)) {
      return reply.code(400).send({
        error: 'invalid_request',
        message: problems[0]!.message,
        field: problems[0]!.field,
        issues: problems.map((p) => ({ path: p.field, message: p.message })),
      });
    }
    request.textProblems = problems;
  });
});

declare module 'fastify' {
  interface FastifyRequest {
    /** Form fields holding control characters (a page's POST): no use case may run with them. */
    textProblems: FieldProblem[] | null;
    /** Set once requestContext has refused to start a use case because of them. */
    textProblemsRaised: boolean;
  }
}
