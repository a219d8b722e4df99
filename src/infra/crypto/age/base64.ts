/**
 * The base64 of the age header: RFC 4648 §4 standard alphabet, no `=` padding, canonical
 * (RFC 4648 §3.5: unused trailing bits are zero). Node's decoder is lenient (it skips invalid
 * characters and accepts padding and non-canonical tails), so decoding re-encodes and compares.
 */

const RAW_BASE64 = /^[A-Za-z0-9+/]*$/;

export function encodeRawBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/** Decodes canonical unpadded base64, or returns null when `text` is anything else. */
export function decodeRawBase64(text: string): Buffer | null {
  if (!RAW_BASE64.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return encodeRawBase64(bytes) === text ? bytes : null;
}

/** True when every character of `text` is in the base64 alphabet (no padding). */
export function isRawBase64Alphabet(text: string): boolean {
  return RAW_BASE64.test(text);
}
