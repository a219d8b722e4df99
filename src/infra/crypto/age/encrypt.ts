import { randomBytes } from 'node:crypto';
import { bindingStanza } from './binding.ts';
import { toBuffer, type ByteSource } from './bytes.ts';
import { encodeHeader, type Stanza } from './header.ts';
import { parseRecipient, type AgeRecipient } from './keys.ts';
import { CHUNK_SIZE, FILE_KEY_SIZE, PAYLOAD_NONCE_SIZE, chunkNonce, payloadKey, seal } from './payload.ts';
import { wrapFileKey } from './x25519.ts';

export interface EncryptOptions {
  /**
   * X25519 recipients (`age1…`, or parsed with `parseRecipient`): typically the council's own
   * recipient and, optionally, an offline recovery recipient. Each alone can decrypt the file.
   */
  recipients: readonly (string | AgeRecipient)[];
  /** The context the file belongs to (the recording id); decryption must name the same one. */
  binding: string;
}

/**
 * Encrypts a byte stream into an age v1 file, yielding the header and payload nonce as the first
 * buffer and then one buffer per 64 KiB chunk (65,552 bytes, the last one shorter).
 *
 * Arguments are checked at once (a bad recipient throws `AgeKeyError`, a bad binding `TypeError`),
 * before any plaintext is read. One random 16-byte file key is made per call, wrapped for every
 * recipient with a fresh ephemeral X25519 key, and never reused.
 *
 * Pipe it with `stream.pipeline(source, (src) => encryptStream(src, options), destination)` or
 * `Readable.from(encryptStream(…))`. The output is only a complete file once the generator has
 * finished: a consumer that stops early holds a file with no final chunk, which every age
 * implementation rejects.
 */
export function encryptStream(plaintext: ByteSource, options: EncryptOptions): AsyncGenerator<Buffer, void, undefined> {
  const recipients = parseRecipients(options.recipients);
  const stanzas: Stanza[] = [];
  const fileKey = randomBytes(FILE_KEY_SIZE);
  for (const recipient of recipients) stanzas.push(wrapFileKey(fileKey, recipient));
  stanzas.push(bindingStanza(options.binding));
  const header = encodeHeader(stanzas, fileKey);
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  const key = payloadKey(fileKey, nonce);
  return sealChunks(plaintext, Buffer.concat([header, nonce]), key);
}

/** Encrypts bytes held in memory (small files and tests; use {@link encryptStream} for recordings). */
export async function encrypt(plaintext: Uint8Array, options: EncryptOptions): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of encryptStream([plaintext], options)) out.push(piece);
  return Buffer.concat(out);
}

/** Yields `prologue`, then the STREAM-sealed chunks of `plaintext` under the payload key `key`. */
export async function* sealChunks(
  plaintext: ByteSource,
  prologue: Buffer,
  key: Buffer,
): AsyncGenerator<Buffer, void, undefined> {
  yield prologue;
  // A full chunk is sealed only once more plaintext is seen, so a plaintext that is an exact
  // multiple of 64 KiB ends with a full final chunk, never an empty one (as the spec requires).
  const stage = Buffer.allocUnsafe(CHUNK_SIZE);
  let filled = 0;
  let counter = 0;
  for await (const piece of plaintext as AsyncIterable<unknown>) {
    const bytes = toBuffer(piece);
    let at = 0;
    while (at < bytes.length) {
      if (filled === CHUNK_SIZE) {
        yield seal(key, chunkNonce(counter++, false), stage);
        filled = 0;
      }
      const copied = bytes.copy(stage, filled, at);
      filled += copied;
      at += copied;
    }
  }
  yield seal(key, chunkNonce(counter, true), stage.subarray(0, filled));
}

function parseRecipients(recipients: readonly (string | AgeRecipient)[]): AgeRecipient[] {
  if (!Array.isArray(recipients) || recipients.length === 0)
    throw new TypeError('At least one age recipient is required');
  const parsed = new Map<string, AgeRecipient>();
  for (const recipient of recipients) {
    const value = typeof recipient === 'string' ? parseRecipient(recipient) : recipient;
    parsed.set(value.recipient, value);
  }
  return [...parsed.values()];
}
