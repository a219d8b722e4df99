import { DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../app/audit/audit-log.ts';

/** The one error shape of the API. */
export const errorResponse = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string().optional() })).optional(),
});

/** The refusals a route that reads or changes one record answers with, each in the one error shape. */
export const recordErrors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
};

/** A calendar date (YYYY-MM-DD), described for the OpenAPI document. */
export const isoDateOf = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });

/** Every problem of a use case's input, in the error shape: one `issues` entry per field. */
export function invalidDetailsBody(err: InvalidDetailsError): z.infer<typeof errorResponse> {
  return {
    error: 'invalid_details',
    message: err.message,
    ...(err.field ? { field: err.field } : {}),
    issues: err.problems.map((p) => ({ path: p.field, message: p.message })),
  };
}

/**
 * Runs a use case and answers its input problems as one 422 listing every field; any other error
 * goes to the app's error handler (404, 403, 409 by code). Every route that takes input uses it.
 */
export async function withRules<T>(
  reply: FastifyReply,
  run: () => Promise<T>,
  conflictCodes?: ReadonlySet<string>,
): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return reply.code(422).send(invalidDetailsBody(err));
    // Sound input, but the record is not in a state that allows it: 409, with the rule's code.
    if (conflictCodes && err instanceof DomainError && conflictCodes.has(err.code)) {
      return reply
        .code(409)
        .send({ error: err.code.toLowerCase(), message: err.message, ...(err.field ? { field: err.field } : {}) });
    }
    throw err;
  }
}

/** Who is asking and the request id, for the audit trail. */
export function requestContext(
  request: Pick<FastifyRequest, 'id'> & { actor?: { id: string; name: string } | null | undefined },
): RequestContext {
  return { actor: { id: request.actor!.id, label: request.actor!.name }, correlationId: request.id };
}
