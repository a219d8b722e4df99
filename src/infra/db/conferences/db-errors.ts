/**
 * The unique index that refused a write (PostgreSQL 23505), whichever driver raised it, or null when
 * the error is something else. The name comes from the error's `constraint`, or from its message.
 */
export function uniqueViolation(err: unknown): string | null {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code !== '23505') continue;
    if (typeof x.constraint === 'string' && x.constraint) return x.constraint;
    const m = typeof x.message === 'string' ? /unique constraint "([^"]+)"/.exec(x.message) : null;
    return m?.[1] ?? '';
  }
  return null;
}
