import { bindingBytes, checkBinding } from './binding.ts';
import { ByteReader, type ByteSource } from './bytes.ts';
import { AgeHeaderError, AgeHeaderMacError, AgeNoIdentityMatchError, AgePayloadError } from './errors.ts';
import { findHeaderEnd, headerMacValid, parseHeader, type ParsedHeader } from './header.ts';
import { parseIdentity, type AgeIdentity } from './keys.ts';
import { ENCRYPTED_CHUNK_SIZE, PAYLOAD_NONCE_SIZE, openChunk, openFullChunk, payloadKey } from './payload.ts';
import { unwrapFileKey } from './x25519.ts';

export interface DecryptOptions {
  /** X25519 identities (`AGE-SECRET-KEY-1…`, or parsed with `parseIdentity`), tried in order. */
  identities: readonly (string | AgeIdentity)[];
  /**
   * The context the file must be bound to (the recording id). `null` requires a file with no
   * binding, such as one made by `age -e`; it never skips the check on a bound file.
   */
  binding: string | null;
}

/** A header whose file key was unwrapped, MAC verified and binding checked. */
export interface OpenedHeader {
  readonly header: ParsedHeader;
  readonly fileKey: Buffer;
}

/**
 * Decrypts an age v1 file from a byte stream, yielding plaintext one 64 KiB chunk at a time.
 *
 * Order of checks: the header parses (`AgeHeaderError`), an identity unwraps the file key
 * (`AgeNoIdentityMatchError`), the header MAC matches (`AgeHeaderMacError`), the binding is the
 * expected one (`AgeBindingError`); then each chunk's tag is verified before its plaintext is
 * yielded, and the stream must end exactly after a chunk flagged final (`AgePayloadError`).
 *
 * Streaming caveat: chunks are yielded as soon as each one authenticates, so a file damaged or cut
 * short in its middle yields some plaintext before the error; so does a file with data after its
 * final chunk (the final chunk is yielded, then the error). This is the reference implementation's
 * behaviour, which the C2SP vectors pin down byte for byte. A consumer must therefore treat an
 * error at any point as "nothing valid": discard or delete whatever it wrote, and never present a
 * partial result as the recording. Only a generator that finishes without throwing has delivered
 * the complete, authentic plaintext. ({@link decrypt}, which collects in memory, returns only on
 * success.)
 */
export function decryptStream(
  ciphertext: ByteSource,
  options: DecryptOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const identities = parseIdentities(options.identities);
  if (options.binding !== null) bindingBytes(options.binding);
  return openChunks(new ByteReader(ciphertext), identities, options.binding);
}

/** Decrypts a file held in memory (small files and tests; use {@link decryptStream} for recordings). */
export async function decrypt(ciphertext: Uint8Array, options: DecryptOptions): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of decryptStream([ciphertext], options)) out.push(piece);
  return Buffer.concat(out);
}

/**
 * Reads and opens just the header at the start of a stream: its length (where the payload nonce
 * starts) and the verified header. Consumes only the header bytes it needs (up to the first read
 * past it), and releases the source.
 */
export async function readHeader(ciphertext: ByteSource, options: DecryptOptions): Promise<{ headerLength: number }> {
  const identities = parseIdentities(options.identities);
  const reader = new ByteReader(ciphertext);
  try {
    const opened = openHeader(await takeHeader(reader), identities, options.binding);
    return { headerLength: opened.header.length };
  } finally {
    await reader.close();
  }
}

async function* openChunks(
  reader: ByteReader,
  identities: AgeIdentity[],
  binding: string | null,
): AsyncGenerator<Buffer, void, undefined> {
  try {
    const { fileKey } = openHeader(await takeHeader(reader), identities, binding);
    await reader.fill(PAYLOAD_NONCE_SIZE);
    // The C2SP vectors class a missing or short nonce as a header failure.
    if (reader.length < PAYLOAD_NONCE_SIZE) throw new AgeHeaderError('the payload nonce is missing or short');
    const key = payloadKey(fileKey, reader.take(PAYLOAD_NONCE_SIZE));
    for (let index = 0; ; index++) {
      await reader.fill(ENCRYPTED_CHUNK_SIZE);
      if (reader.length < ENCRYPTED_CHUNK_SIZE) {
        // The source has ended: what is left must be a (short or empty) final chunk.
        if (reader.length === 0) {
          throw new AgePayloadError(
            index === 0 ? 'there is no payload chunk' : 'the file is truncated: it ends without a final chunk',
          );
        }
        yield openChunk(key, index, true, reader.take(ENCRYPTED_CHUNK_SIZE));
        return;
      }
      // A full chunk is final if it opens with the last-chunk flag: then the source must end.
      const { plaintext, final } = openFullChunk(key, index, reader.take(ENCRYPTED_CHUNK_SIZE));
      yield plaintext;
      if (final) {
        await reader.fill(1);
        if (reader.length > 0) throw new AgePayloadError('data follows the final chunk');
        return;
      }
    }
  } finally {
    await reader.close();
  }
}

async function takeHeader(reader: ByteReader): Promise<Buffer> {
  for (;;) {
    const end = findHeaderEnd(reader.peek());
    if (end >= 0) return reader.take(end);
    if (!(await reader.pull()))
      throw new AgeHeaderError(reader.length === 0 ? 'the file is empty' : 'the header is truncated');
  }
}

/** Parses a complete header, unwraps the file key, verifies the MAC and checks the binding. */
export function openHeader(bytes: Buffer, identities: readonly AgeIdentity[], binding: string | null): OpenedHeader {
  const header = parseHeader(bytes);
  if (header.stanzas.some((stanza) => stanza.args[0] === 'scrypt') && header.stanzas.length > 1) {
    throw new AgeHeaderError('an scrypt stanza must be the only stanza');
  }
  let fileKey: Buffer | null = null;
  for (const identity of identities) {
    fileKey = unwrapFileKey(header.stanzas, identity);
    if (fileKey !== null) break;
  }
  if (fileKey === null) throw new AgeNoIdentityMatchError();
  if (!headerMacValid(fileKey, header)) throw new AgeHeaderMacError();
  checkBinding(header.stanzas, binding);
  return { header, fileKey };
}

export function parseIdentities(identities: readonly (string | AgeIdentity)[]): AgeIdentity[] {
  if (!Array.isArray(identities) || identities.length === 0)
    throw new TypeError('At least one age identity is required');
  return identities.map((identity) => (typeof identity === 'string' ? parseIdentity(identity) : identity));
}
