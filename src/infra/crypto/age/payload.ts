import { type KeyObject, createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { AgePayloadError } from './errors.ts';

/**
 * The age payload (c2sp.org/age, "Payload"): a 16-byte random nonce, then the plaintext in 64 KiB
 * chunks, each sealed with ChaCha20-Poly1305 (node:crypto, i.e. OpenSSL) under
 *
 *     payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload")
 *
 * with the 12-byte AEAD nonce `11-byte big-endian chunk counter || last-chunk flag` (0x01 on the
 * final chunk only). The final chunk may be full; it is empty only when the whole payload is.
 *
 * Layout, for a header of `headerLength` bytes:
 *
 *     offset headerLength            16-byte payload nonce
 *     offset headerLength + 16 + i × 65552   chunk i: up to 65536 bytes of ciphertext, then a 16-byte tag
 *
 * so the ciphertext size alone fixes the number of chunks and the plaintext size, which is what
 * makes random access (HTTP Range requests over a long recording) possible.
 */

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const PAYLOAD_NONCE_SIZE = 16;
export const FILE_KEY_SIZE = 16;

/** Chunk counters are written in 6 of the 11 counter bytes: 2^48 chunks is 16 EiB of plaintext. */
const MAX_CHUNKS = 2 ** 48;

export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));
}

export function chunkNonce(counter: number, last: boolean): Buffer {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter >= MAX_CHUNKS) {
    throw new AgePayloadError('too many chunks');
  }
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** ChaCha20-Poly1305 seal: ciphertext || 16-byte tag. */
export function seal(key: Buffer, nonce: Buffer, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/**
 * ChaCha20-Poly1305 seal written into `out` at `offset` (ciphertext, then the 16-byte tag) instead of a new buffer,
 * for a writer that reuses its output buffers; returns the bytes written (the plaintext's length + 16).
 */
export function sealInto(
  key: Buffer | KeyObject,
  nonce: Buffer,
  plaintext: Uint8Array,
  out: Buffer,
  offset: number,
): number {
  if (offset < 0 || offset + plaintext.byteLength + TAG_SIZE > out.length)
    throw new RangeError('the sealed chunk does not fit in the output buffer');
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  let at = offset + cipher.update(plaintext).copy(out, offset);
  at += cipher.final().copy(out, at);
  at += cipher.getAuthTag().copy(out, at);
  return at - offset;
}

/** ChaCha20-Poly1305 open of ciphertext || tag; null when the tag does not verify. */
export function open(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < TAG_SIZE) return null;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_SIZE });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    decipher.final();
  } catch {
    return null;
  }
  return plaintext;
}

/**
 * Opens payload chunk `index` of a file of `chunkCount` chunks: the last-chunk flag is set on the
 * final one only. Throws {@link AgePayloadError}, naming a truncation when a chunk expected to be
 * final opens as a non-final one, and trailing data when a non-final one opens as final.
 */
export function openChunk(key: Buffer, index: number, final: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG_SIZE) throw new AgePayloadError(`chunk ${index} is shorter than its tag`);
  if (final && sealed.length === TAG_SIZE && index > 0) {
    throw new AgePayloadError('the final chunk is empty, which only an empty file may have');
  }
  const plaintext = open(key, chunkNonce(index, final), sealed);
  if (plaintext !== null) return plaintext;
  if (open(key, chunkNonce(index, !final), sealed) !== null) {
    throw new AgePayloadError(
      final ? 'the file is truncated: it ends without a final chunk' : 'data follows the final chunk',
    );
  }
  throw new AgePayloadError(`chunk ${index} fails authentication: the file was altered or damaged`);
}

/**
 * Opens a full-size chunk met while streaming, when it is not yet known whether more follows: it
 * is final exactly when it opens with the last-chunk flag (the reference implementation's rule,
 * which the C2SP vectors pin down, down to which plaintext is released before an error).
 */
export function openFullChunk(key: Buffer, index: number, sealed: Buffer): { plaintext: Buffer; final: boolean } {
  const plaintext = open(key, chunkNonce(index, false), sealed);
  if (plaintext !== null) return { plaintext, final: false };
  const finalPlaintext = open(key, chunkNonce(index, true), sealed);
  if (finalPlaintext !== null) return { plaintext: finalPlaintext, final: true };
  throw new AgePayloadError(`chunk ${index} fails authentication: the file was altered or damaged`);
}

/** Number of payload chunks for a plaintext of `size` bytes (at least one, even when empty). */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_SIZE));
}

/** The size of the age file holding `size` bytes of plaintext behind a header of `headerLength` bytes. */
export function ciphertextSize(size: number, headerLength: number): number {
  assertSize(size, 'plaintext size');
  assertSize(headerLength, 'header length');
  return headerLength + PAYLOAD_NONCE_SIZE + size + chunkCount(size) * TAG_SIZE;
}

/**
 * The plaintext size of an age file of `size` bytes whose header is `headerLength` bytes long.
 * Throws {@link AgePayloadError} when no valid file has that size (it was truncated or extended
 * by a number of bytes that leaves a partial or empty final chunk).
 */
export function plaintextSize(size: number, headerLength: number): number {
  assertSize(size, 'ciphertext size');
  assertSize(headerLength, 'header length');
  const payload = size - headerLength - PAYLOAD_NONCE_SIZE;
  if (payload < TAG_SIZE) throw new AgePayloadError('the file is too short to hold a payload');
  const chunks = Math.ceil(payload / ENCRYPTED_CHUNK_SIZE);
  const last = payload - (chunks - 1) * ENCRYPTED_CHUNK_SIZE;
  if (last < TAG_SIZE || (last === TAG_SIZE && chunks > 1)) {
    throw new AgePayloadError('the file size is impossible for an age file: it was truncated or extended');
  }
  return payload - chunks * TAG_SIZE;
}

function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer`);
}
