import pino, { type Logger } from 'pino';

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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
