import pino, { type Logger } from 'pino';
import { isDatabaseError, scrubDatabaseError, serializeDatabaseError } from './db/safe-errors.ts';

/**
 * Structured logs without personal data: request bodies and queries are never logged, URLs carry
 * only opaque ids (no names or dates of birth), and secrets are redacted wherever they appear.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.sessionToken',
  '*.email',
];

/**
 * Errors as pino writes them, except database errors: only their SQLSTATE code, constraint and table,
 * never the query, its values or the row's detail, which hold what people typed.
 */
export function serializeError(err: unknown): { [key: string]: unknown; type: string; message: string; stack: string } {
  if (err instanceof Error && isDatabaseError(err)) return serializeDatabaseError(err);
  if (err instanceof Error) return pino.stdSerializers.err(err);
  return { type: typeof err, message: String(err), stack: '' };
}

export const LOG_SERIALIZERS = { err: serializeError, error: serializeError };

/**
 * pino takes an error logged on its own (`log.error(err)`) as the line's message too: a database
 * error is scrubbed first, so its message is the safe one.
 */
export function scrubLogArguments(
  this: Logger,
  args: Parameters<Logger['info']>,
  method: (...a: unknown[]) => void,
): void {
  for (const a of args as unknown[]) {
    if (a instanceof Error) scrubDatabaseError(a);
    else if (a && typeof a === 'object')
      for (const k of ['err', 'error']) scrubDatabaseError((a as Record<string, unknown>)[k]);
  }
  method.apply(this, args as unknown[]);
}

export function createLogger(level: string, stream?: { write(line: string): void }): Logger {
  const opts = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: LOG_SERIALIZERS,
    hooks: { logMethod: scrubLogArguments },
  };
  return stream ? pino(opts, stream) : pino(opts);
}
