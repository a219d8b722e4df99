import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../app/audit/audit-log.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';

const callerOf = (request: FastifyRequest): RequestContext => ({
  actor: request.actor ? { id: request.actor.id, label: request.actor.name } : { id: null, label: 'anonymous' },
  correlationId: request.id,
});

/**
 * Who is asking, for the use case and its audit entries. Every use case a page runs takes one, so
 * this is where a form carrying control characters stops: its fields come back as field errors
 * (the route re-renders with everything typed) and nothing is saved.
 */
export function requestContext(request: FastifyRequest): RequestContext {
  // Raised once: the route's catch then re-renders its form (reading the record again) with the errors.
  if (request.textProblems?.length && !request.textProblemsRaised) {
    request.textProblemsRaised = true;
    throw new InvalidDetailsError(request.textProblems);
  }
  return callerOf(request);
}

/**
 * Who is asking, for reading the record a form belongs to before the form is handled, so its access
 * check (and the audit of a denial) comes first. It does not stop at control characters: the use case
 * that acts on the answers takes `requestContext`, inside the route's try, which does.
 */
export function readingContext(request: FastifyRequest): RequestContext {
  return callerOf(request);
}
