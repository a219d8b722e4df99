/**
 * The recorder's errors as JSON: one shape, `{ code, message }` (plus `expected` for a gap in the
 * chunks and `problems` for a form), with the status the script acts on.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { ChunkGapError } from '../../../../app/recordings/recording-service.ts';
import { MAX_CHUNK_BYTES } from '../../../../domain/recordings/recording.ts';
import { DomainError, InvalidDetailsError } from '../../../../domain/shared/errors.ts';
import { DISK_FULL_MESSAGE, isNoSpace } from '../../../../app/recordings/disk-space.ts';

interface JsonProblem {
  status: number;
  body: {
    code: string;
    message: string;
    field?: string;
    expected?: number;
    problems?: Array<{ field: string; message: string }>;
  };
}

export const CONFLICT_CODES = new Set([
  'CHUNK_GAP',
  'CHUNK_CONFLICT',
  'NOT_RECEIVING',
  'RECORDING_STATE',
  'CONFLICT',
  'CONFERENCE_CANCELLED',
  'NOT_HELD',
]);
const BAD_REQUEST_CODES = new Set(['CHUNK_CORRUPT', 'BAD_CHUNK', 'INVALID_DETAILS']);

/** One error shape for the recorder's script: `{ code, message }`, plus `expected` for a gap and `field` for a form. */
export function jsonProblem(error: unknown): JsonProblem {
  if (error instanceof ZodError)
    return { status: 404, body: { code: 'NOT_FOUND', message: 'The recording was not found' } };
  if (error instanceof DomainError) {
    const body: JsonProblem['body'] = {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
    if (error instanceof ChunkGapError) body.expected = error.expected;
    if (error instanceof InvalidDetailsError)
      body.problems = error.problems.map((p) => ({ field: p.field, message: p.message }));
    if (error.code === 'NOT_FOUND') return { status: 404, body };
    if (error.code === 'ACCESS_DENIED') return { status: 403, body };
    if (error.code === 'TOO_LARGE') return { status: 413, body };
    if (error.code === 'DISK_FULL') return { status: 507, body };
    if (CONFLICT_CODES.has(error.code)) return { status: 409, body };
    if (BAD_REQUEST_CODES.has(error.code)) return { status: 400, body };
    return { status: 422, body };
  }
  // The chunk could not be written: the disk is full. 507, never a 500 the script retries for ever.
  if (isNoSpace(error)) return { status: 507, body: { code: 'DISK_FULL', message: DISK_FULL_MESSAGE } };
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, body: { code: 'CSRF', message: 'The page’s security token has expired: reload the page' } };
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return {
      status: 413,
      body: { code: 'TOO_LARGE', message: `A chunk may be at most ${MAX_CHUNK_BYTES / (1024 * 1024)} MB` },
    };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
    return {
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the chunk as application/octet-stream' },
    };
  }
  if (e.statusCode === 429)
    return {
      status: 429,
      body: { code: 'RATE_LIMITED', message: 'Too many requests: the chunk will be sent again shortly' },
    };
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, body: { code: 'BAD_REQUEST', message: e.message ?? 'The request is not valid' } };
  return {
    status: 500,
    body: { code: 'INTERNAL_ERROR', message: 'Something went wrong: the chunk will be sent again' },
  };
}

export function wantsJson(request: FastifyRequest): boolean {
  return /\bapplication\/json\b/.test(String(request.headers.accept ?? ''));
}

/** For the chunk route every error is JSON; for the controls only when the script asked for JSON. */
export function jsonErrorHandler(always: boolean) {
  return function handler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    if (!always && !wantsJson(request)) throw error; // the errors plugin renders a page
    const problem = jsonProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'live recording request failed');
    else if (problem.body.code === 'CSRF') request.log.warn({ code: 'csrf' }, 'csrf check failed');
    return reply.code(problem.status).send(problem.body);
  };
}
