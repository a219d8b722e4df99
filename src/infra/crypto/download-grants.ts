/**
 * Signed download windows: 52 bytes in base64url (70 characters, short enough for one segment of an address):
 * the file's id (16 bytes), the window's id (8), the first 64 bits of the file's SHA-256 (8), the expiry in whole
 * seconds (4), then an HMAC-SHA256 of those and of the delivery's id, cut to its first 128 bits. The key is derived from the server's delivery code key (DELIVERY_CODE_KEY_FILE) for this
 * purpose only, so a window cannot be forged, altered (another file, version or expiry), used on another link (the
 * delivery's id is signed, not sent) or confused with any other signed value. Nothing in it is personal data.
 * Checking one needs no database; what it allows is decided by the delivery service
 * (src/app/requests/delivery-service.ts), which checks the link is still live on every use.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DownloadWindowClaims, DownloadWindowSigner } from '../../app/requests/delivery-ports.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX16 = /^[0-9a-f]{16}$/;
/** A MAC of 128 bits: HMAC truncated to half its length, as NIST SP 800-107 allows. */
const MAC_BYTES = 16;
const BODY_BYTES = 16 + 8 + 8 + 4;

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function hmacDownloadWindows(codeKey: Uint8Array): DownloadWindowSigner {
  const key = createHmac('sha256', codeKey).update('cpcr download window v1').digest();
  const mac = (deliveryId: string, body: Buffer) =>
    createHmac('sha256', key).update(uuidBytes(deliveryId)).update(body).digest().subarray(0, MAC_BYTES);
  return {
    sign(claims: DownloadWindowClaims) {
      const { deliveryId, fileId, attempt, version, expiresAt } = claims;
      if (!UUID.test(deliveryId) || !UUID.test(fileId) || !HEX16.test(attempt) || !HEX16.test(version))
        throw new Error('A download window is for one file of one delivery, by their ids');
      const expiry = Buffer.alloc(4);
      expiry.writeUInt32BE(Math.floor(expiresAt / 1000));
      const body = Buffer.concat([uuidBytes(fileId), Buffer.from(attempt, 'hex'), Buffer.from(version, 'hex'), expiry]);
      return Buffer.concat([body, mac(deliveryId, body)]).toString('base64url');
    },
    verify(token, deliveryId) {
      if (!/^[A-Za-z0-9_-]{70}$/.test(token) || !UUID.test(deliveryId)) return null;
      const raw = Buffer.from(token, 'base64url');
      if (raw.length !== BODY_BYTES + MAC_BYTES) return null;
      const body = raw.subarray(0, BODY_BYTES);
      if (!timingSafeEqual(raw.subarray(BODY_BYTES), mac(deliveryId, body))) return null;
      return {
        deliveryId,
        fileId: uuidOf(body.subarray(0, 16)),
        attempt: body.subarray(16, 24).toString('hex'),
        version: body.subarray(24, 32).toString('hex'),
        expiresAt: body.readUInt32BE(32) * 1000,
      };
    },
  };
}
