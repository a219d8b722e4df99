import { z } from 'zod';

/**
 * Every record id is a UUID written in lower case, the form PostgreSQL prints. An id arriving in any
 * other case (typed, pasted from an upper-casing tool, a URL rewritten by a proxy) is the same record:
 * it is accepted and lower-cased before use, so access checks, audit rows, cipher bindings and fixity
 * checks all see one spelling. Anything that is not a UUID is refused.
 */
/** An id in any case, as a regular expression's source without anchors, for a pattern that finds one inside a path. */
export const ID_PATTERN_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID_ANY_CASE = new RegExp(`^${ID_PATTERN_SOURCE}$`);

/** The one schema for an id: route params, form fields, API params and bodies, CLI arguments. */
export const idSchema = z.string().regex(UUID_ANY_CASE, 'must be a record id (a UUID)').toLowerCase();

/** The id in canonical (lower-case) form, or null when it is not an id. */
export function parseId(value: unknown): string | null {
  const r = idSchema.safeParse(value);
  return r.success ? r.data : null;
}

/** True when the value is an id in any case (callers then use parseId or idSchema for the canonical form). */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID_ANY_CASE.test(value);
}

/** A whole string that is an id in any case: its canonical form; anything else unchanged. */
export function canonicalIdOr<T>(value: T): T | string {
  return typeof value === 'string' && UUID_ANY_CASE.test(value) ? value.toLowerCase() : value;
}
