/**
 * Autosave of a draft (progressive enhancement): the draft page's script sends one changed section after a few
 * seconds of idleness or when the person leaves the box, with the version it last saw and the page's CSRF token
 * in a header. The answer is JSON: the new version and the time it was saved, or why not: 409 when someone
 * else saved the draft first (nothing is overwritten; the script keeps the typed text), 400 for text the rules
 * refuse. Without JavaScript the form's Save button does the same for every section (draft.ts).
 *
 * When the session lapsed before a save arrived, the sign-in keeps its fields and, once the person signs in again,
 * sends them here as an ordinary form ("Your answers have been kept"): that save answers as a page does, back to
 * the draft with what was typed saved, or the service's error page, never with JSON.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { englandClockTime } from '../../../domain/calendar/index.ts';
import { DomainError, InvalidDetailsError, StaleRecordError } from '../../../domain/shared/errors.ts';
import { MAX_TEXT, bodyOf, requestContext, text } from '../../forms/index.ts';
import { type DocumentPagesOptions, WRITE, draftBase, draftParams, versionOf } from './shared.ts';

interface AutosaveProblem {
  status: number;
  body: { code: string; message: string; problems?: Array<{ field: string; message: string }> };
}

/** Every failure as `{ code, message }` with the status the script acts on. */
export function autosaveProblem(error: unknown): AutosaveProblem {
  if (error instanceof ZodError)
    return { status: 404, body: { code: 'NOT_FOUND', message: 'The draft was not found' } };
  if (error instanceof StaleRecordError)
    return {
      status: 409,
      body: {
        code: 'STALE',
        message: 'Someone else has changed this draft since you opened it. Your text has not been saved.',
      },
    };
  if (error instanceof DomainError) {
    const body: AutosaveProblem['body'] = { code: error.code, message: error.message };
    if (error instanceof InvalidDetailsError)
      body.problems = error.problems.map((p) => ({ field: p.field, message: p.message }));
    if (error.code === 'NOT_FOUND') return { status: 404, body };
    if (error.code === 'ACCESS_DENIED') return { status: 403, body };
    // The draft was sent on, approved or issued meanwhile: it can no longer be changed from this page.
    if (error.code === 'DRAFT_STATE' || error.code === 'CONFLICT') return { status: 409, body };
    return { status: 400, body };
  }
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET')
    return { status: 403, body: { code: 'CSRF', message: 'The page’s security token has expired: reload the page' } };
  if (e.statusCode === 429)
    return { status: 429, body: { code: 'RATE_LIMITED', message: 'Too many saves: the text will be saved shortly' } };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, body: { code: 'BAD_REQUEST', message: e.message ?? 'The request is not valid' } };
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Something went wrong: the text was not saved' } };
}

/** The script asks for JSON; a form sent again after signing in (kept answers) asks for a page. */
const fromScript = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

function jsonErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // A page's request: the site's own error pages (a stale draft, a refusal) answer it.
  if (!fromScript(request)) throw error;
  const problem = autosaveProblem(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'autosave failed');
  else if (problem.body.code === 'CSRF') request.log.warn({ code: 'csrf' }, 'csrf check failed');
  return reply.code(problem.status).header('cache-control', 'no-store').send(problem.body);
}

const SECTION_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

export function autosaveRoutes(app: FastifyInstance, { documents }: DocumentPagesOptions): void {
  app.post(
    '/conferences/:id/documents/:draftId/autosave',
    {
      config: {
        ...WRITE,
        rateLimit: { max: 120, timeWindow: '1 minute', keyGenerator: (r: FastifyRequest) => r.actor?.id ?? r.ip },
      },
      errorHandler: jsonErrors,
    },
    async (request, reply) => {
      const { id, draftId } = draftParams.parse(request.params);
      const body = bodyOf(request);
      const sectionId = text(body, 'sectionId', 101);
      const version = versionOf(body);
      if (!SECTION_ID.test(sectionId) || Number.isNaN(version) || typeof body['text'] !== 'string')
        return reply
          .code(400)
          .header('cache-control', 'no-store')
          .send({ code: 'BAD_REQUEST', message: 'Send the section, its text and the version of the draft' });
      const saved = await documents.saveSections(
        request.actor!,
        id,
        draftId,
        // Cut one past the longest any text may be, so the rule names the limit rather than losing the end.
        { version, sections: { [sectionId]: text(body, 'text', MAX_TEXT + 1) } },
        requestContext(request),
      );
      if (!fromScript(request)) return reply.redirect(`${draftBase(id, draftId)}?done=saved#block-${sectionId}`, 303);
      return reply.header('cache-control', 'no-store').send({
        version: saved.version,
        status: saved.status,
        savedAt: englandClockTime(saved.updatedAt),
        updatedAt: saved.updatedAt.toISOString(),
      });
    },
  );
}
