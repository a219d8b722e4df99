import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FormValues } from './forms/index.ts';

const DRAFT_TTL_MS = 60 * 60_000;
const MAX_COOKIE_BYTES = 3800;

/**
 * A multi-step journey's answers until "check your answers", held in the browser in a cookie
 * encrypted and authenticated with AES-256-GCM under a key derived from the session secret, bound
 * to the person who typed them and living an hour: nothing about a child is in a URL and nothing
 * is stored before the last step. Each journey has its own key, cookie name and path.
 */
export class DraftStore {
  private readonly key: Buffer;
  private readonly cookieName: string;
  private readonly secure: boolean;
  private readonly path: string;

  constructor(opts: { secret: string; cookieSecure: boolean; name: string; path: string }) {
    this.key = Buffer.from(hkdfSync('sha256', opts.secret, 'cpcr', `${opts.name}-draft-v1`, 32));
    this.secure = opts.cookieSecure;
    this.path = opts.path;
    this.cookieName = opts.cookieSecure ? `__Secure-cpcr_${opts.name}_draft` : `cpcr_${opts.name}_draft`;
  }
  /** False when the answers are too long to hold. */
  save(reply: FastifyReply, userId: string, values: FormValues, now: Date): boolean {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId));
    const plain = Buffer.from(JSON.stringify({ at: now.getTime(), values }));
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url');
    if (sealed.length > MAX_COOKIE_BYTES) return false;
    reply.setCookie(this.cookieName, sealed, {
      path: this.path,
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      maxAge: DRAFT_TTL_MS / 1000,
    });
    return true;
  }

  /** The answers, or null when there are none, they expired, or they are someone else's. */
  load(request: FastifyRequest, userId: string, now: Date): FormValues | null {
    const sealed = request.cookies[this.cookieName];
    if (!sealed) return null;
    try {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 12 + 16) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
        'utf8',
      );
      const parsed = JSON.parse(plain) as { at: number; values: FormValues };
      if (now.getTime() - parsed.at > DRAFT_TTL_MS) return null;
      return parsed.values;
    } catch {
      return null;
    }
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(this.cookieName, { path: this.path, httpOnly: true, sameSite: 'strict', secure: this.secure });
  }
}
