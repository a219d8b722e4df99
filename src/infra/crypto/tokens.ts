import { createHash, randomBytes } from 'node:crypto';

/** A secret of 256 bits, URL-safe, with an optional readable prefix (e.g. `cpcr_` for API tokens). */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Secrets are stored only as SHA-256 digests: a stolen database cannot be replayed as sessions or tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
