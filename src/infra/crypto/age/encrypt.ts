import { type KeyObject, createSecretKey, randomBytes } from 'node:crypto';
import { bindingStanza } from './binding.ts';
import { toBuffer, type ByteSource } from './bytes.ts';
import { encodeHeader, type Stanza } from './header.ts';
import { parseRecipient, type AgeRecipient } from './keys.ts';
import { CHUNK_SIZE, FILE_KEY_SIZE, PAYLOAD_NONCE_SIZE, chunkNonce, payloadKey, seal, sealInto } from './payload.ts';
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
  const { prologue, key } = newFile(options);
  return sealChunks(plaintext, prologue, key);
}

/**
 * The lower-level form of {@link encryptStream}, for a writer that reuses its own buffers (a 2-hour recording is
 * some 10,000 chunks): the file's first bytes (header and payload nonce), and a sealer that writes each 64 KiB chunk,
 * sealed, into a buffer the caller gives. Arguments are checked, and the file key made, as by `encryptStream`.
 */
export function beginEncryption(options: EncryptOptions): { prologue: Buffer; payload: PayloadSealer } {
  const { prologue, key } = newFile(options);
  return { prologue, payload: new PayloadSealer(key) };
}

/**
 * Seals an age payload chunk by chunk, in order, into the caller's buffers: every chunk but the final one is exactly
 * 64 KiB of plaintext; the final one is 0 to 64 KiB (empty only when it is the only one, i.e. the file is empty).
 * The caller says which chunk is final, so it must know whether more plaintext follows (as `sealChunks` does by
 * holding a full chunk back until it sees more). Nothing can be sealed after the final chunk.
 */
export class PayloadSealer {
  /** Made into a key object once, not for each of the file's chunks. */
  private readonly key: KeyObject;
  private counter = 0;
  private finished = false;

  constructor(key: Buffer) {
    this.key = createSecretKey(key);
  }

  /** Writes the next chunk, sealed (its plaintext's length + 16 bytes), into `out` at `offset`; returns that length. */
  sealInto(plaintext: Uint8Array, final: boolean, out: Buffer, offset: number): number {
    if (this.finished) throw new RangeError('the final chunk has been sealed already');
    if (plaintext.byteLength > CHUNK_SIZE || (!final && plaintext.byteLength !== CHUNK_SIZE))
      throw new RangeError('only the final chunk may be shorter than 64 KiB, and no chunk longer');
    if (final && plaintext.byteLength === 0 && this.counter > 0)
      throw new RangeError('the final chunk is empty, which only an empty file may have');
    const written = sealInto(this.key, chunkNonce(this.counter, final), plaintext, out, offset);
    this.counter++;
    this.finished = final;
    return written;
  }

  /** Whether the final chunk has been sealed (the payload is complete). */
  get done(): boolean {
    return this.finished;
  }
}

/** A new file key, wrapped for every recipient, with the binding: the encoded header and nonce, and the payload key. */
function newFile(options: EncryptOptions): { prologue: Buffer; key: Buffer } {
  const recipients = parseRecipients(options.recipients);
  const stanzas: Stanza[] = [];
  const fileKey = randomBytes(FILE_KEY_SIZE);
  for (const recipient of recipients) stanzas.push(wrapFileKey(fileKey, recipient));
  stanzas.push(bindingStanza(options.binding));
  const header = encodeHeader(stanzas, fileKey);
  const nonce = randomBytes(PAYLOAD_NONCE_SIZE);
  return { prologue: Buffer.concat([header, nonce]), key: payloadKey(fileKey, nonce) };
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
