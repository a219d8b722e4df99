import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ZodError } from 'zod';
import { AccessDeniedError, DomainError, NotFoundError } from '../../domain/shared/errors.ts';
import { ID_PATTERN_SOURCE } from '../../domain/shared/ids.ts';
import { NotTheChairError, mayRecordCover } from '../../domain/conferences/chair-cover.ts';

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

const RECORD_PATH = new RegExp(`^/(children|conferences|requests|recordings)/(${ID_PATTERN_SOURCE})(?=[/?#]|$)`);

/** The page of the record a path is about (`/conferences/<id>/reports/new` → `/conferences/<id>`), else the start. */
export function recordPathOf(url: string): string {
  const m = RECORD_PATH.exec(url);
  return m ? `/${m[1]}/${m[2]!.toLowerCase()}` : '/';
}

/** One error shape for the API (`{ error, message, fields? }`) and GOV.UK error pages for people. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    reply.code(404);
    if (wantsJson(request)) return { error: 'not_found', message: 'No such resource' };
    return reply.view('errors/not-found.njk');
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A form carrying control characters that reached a route with no form of its own to show them:
    // a 400 naming the fields, never a 500 (nothing was saved; see plugins/input.ts).
    if (
      request.textProblems?.length &&
      !wantsJson(request) &&
      !(error instanceof NotFoundError) &&
      !(error instanceof AccessDeniedError)
    ) {
      reply.code(400);
      return reply.view('errors/invalid-text.njk', {
        errors: request.textProblems.map((p) => ({ text: p.message, href: '#main-content' })),
      });
    }
    // A malformed id in a path is, to the person, a page that does not exist.
    if (error instanceof NotFoundError || (error as Error) instanceof ZodError) {
      reply.code(404);
      return wantsJson(request) ? { error: 'not_found', message: error.message } : reply.view('errors/not-found.njk');
    }
    if (error instanceof NotTheChairError && !wantsJson(request)) {
      // 002 §4.1: who the chair is, and how a chair covering for them is recorded.
      reply.code(403);
      return reply.view('errors/not-the-chair.njk', {
        chairName: error.chairName,
        // The form only for those who may record cover (never this person as the chair: they were refused as not it).
        coverHref:
          request.actor && mayRecordCover(request.actor, { chairUserId: null })
            ? `/conferences/${error.conferenceId}/chair/cover`
            : null,
        conferenceHref: `/conferences/${error.conferenceId}`,
      });
    }
    if (error instanceof AccessDeniedError) {
      reply.code(403);
      return wantsJson(request) ? { error: 'forbidden', message: error.message } : reply.view('errors/forbidden.njk');
    }
    if (error instanceof DomainError) {
      reply.code(error.code === 'CONFLICT' ? 409 : 422);
      if (wantsJson(request))
        return {
          error: error.code.toLowerCase(),
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        };
      // A rule a page's own form did not catch: say what it was (its message is written for people), and the way back.
      return reply.view('errors/rule.njk', { message: error.message, backHref: recordPathOf(request.url) });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      request.log.warn({ code: error.code }, 'csrf check failed');
      reply.code(403);
      return reply.view('errors/csrf.njk');
    }
    if (error.validation) {
      reply.code(400);
      // A page's own schema (none today) refusing a request: a page, never the API's JSON.
      if (!wantsJson(request)) return reply.view('errors/bad-request.njk');
      return {
        error: 'invalid_request',
        message: 'The request is not valid',
        issues: error.validation.map(
          (v: { instancePath?: string; params?: Record<string, unknown>; message?: string }) => ({
            path: v.instancePath || String(v.params?.['missingProperty'] ?? ''),
            message: v.message,
          }),
        ),
      };
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    reply.code(status);
    if (wantsJson(request))
      return {
        error: status === 500 ? 'internal_error' : 'bad_request',
        message: status === 500 ? 'Something went wrong' : error.message,
      };
    if (status === 429) return reply.view('errors/too-many.njk');
    return reply.view(status === 500 ? 'errors/problem.njk' : 'errors/bad-request.njk');
  });
});
