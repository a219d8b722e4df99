/**
 * Signed playback grants: `<claims>.<HMAC-SHA256>` in base64url, keyed by a key derived from the
 * session secret for this purpose only, so a grant cannot be forged, altered (another user, recording, purpose or
 * expiry) or confused with any other signed value. Checking one needs no database; what it grants is decided by
 * the use case (src/app/recordings/recording-playback.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PlaybackGrantSigner } from '../../app/recordings/ports.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function hmacPlaybackGrants(secret: string): PlaybackGrantSigner {
  const key = createHmac('sha256', secret).update('cpcr playback grant v1').digest();
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    sign(claims) {
      const body = Buffer.from(
        JSON.stringify({ u: claims.userId, r: claims.recordingId, p: claims.purpose, e: claims.expiresAt }),
      ).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      const [body, sig, extra] = token.split('.');
      if (!body || !sig || extra !== undefined) return null;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (typeof parsed !== 'object' || parsed === null) return null;
      const { u, r, p, e } = parsed as Record<string, unknown>;
      if (typeof u !== 'string' || typeof r !== 'string' || p !== 'play' || !Number.isSafeInteger(e)) return null;
      if (!UUID.test(u) || !UUID.test(r)) return null;
      return { userId: u, recordingId: r, purpose: p, expiresAt: e as number };
    },
  };
}
