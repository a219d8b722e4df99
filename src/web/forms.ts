import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RequestContext } from '../app/audit/audit-log.ts';
import { DomainError, InvalidDetailsError } from '../domain/shared/errors.ts';
import type { FormError } from './types.ts';

/** Zod issues as GOV.UK error summary items (`{ text, href }`), first problem per field. */
export function formErrors(error: z.ZodError, fieldIds: Record<string, string> = {}): FormError[] {
  const seen = new Set<string>();
  const out: FormError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ text: issue.message, href: `#${fieldIds[field] ?? field}` });
  }
  return out;
}

/** The message for one field, for the component's `errorMessage`. */
export function errorFor(errors: FormError[], id: string): { text: string } | undefined {
  const e = errors.find((x) => x.href === `#${id}`);
  return e ? { text: e.text } : undefined;
}

/** A domain error that names a field becomes a form error on that field; anything else is rethrown. */
export function domainFormError(err: unknown, fieldIds: Record<string, string> = {}): FormError[] {
  if (err instanceof DomainError && err.code !== 'NOT_FOUND' && err.code !== 'ACCESS_DENIED') {
    const field = err.field ?? '';
    return [{ text: err.message, href: `#${fieldIds[field] ?? (field || 'main-content')}` }];
  }
  throw err;
}

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
  return {
    actor: request.actor ? { id: request.actor.id, label: request.actor.name } : { id: null, label: 'anonymous' },
    correlationId: request.id,
  };
}

/**
 * Who is asking, for reading the record a form belongs to before the form is handled, so its access
 * check (and the audit of a denial) comes first. It does not stop at control characters: the use case
 * that acts on the answers takes `requestContext`, inside the route's try, which does.
 */
export function readingContext(request: FastifyRequest): RequestContext {
  return {
    actor: request.actor ? { id: request.actor.id, label: request.actor.name } : { id: null, label: 'anonymous' },
    correlationId: request.id,
  };
}

/** Form bodies arrive as strings or arrays of strings; checkboxes with one tick arrive as a string. */
export function asArray(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
}
