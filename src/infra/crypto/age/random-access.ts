import { bindingBytes } from './binding.ts';
import { toBuffer } from './bytes.ts';
import { openHeader, parseIdentities, type DecryptOptions } from './decrypt.ts';
import { AgeHeaderError, AgePayloadError } from './errors.ts';
import { MAX_HEADER_BYTES, findHeaderEnd } from './header.ts';
import {
  CHUNK_SIZE,
  ENCRYPTED_CHUNK_SIZE,
  PAYLOAD_NONCE_SIZE,
  chunkCount,
  openChunk,
  payloadKey,
  plaintextSize,
} from './payload.ts';

/**
 * Reads bytes `start` to `endInclusive` of the stored ciphertext (both offsets inclusive, like an
 * HTTP Range), as bytes or as a stream of them (a `Readable`, so `BlobStore.getRange` fits as it
 * is). It must give exactly that many bytes.
 */
export type ReadRange = (start: number, endInclusive: number) => Promise<Uint8Array | AsyncIterable<Uint8Array>>;

export interface RandomAccessOptions extends DecryptOptions {
  /** Size of the whole stored ciphertext in bytes. */
  size: number;
  readRange: ReadRange;
  /**
   * The header length, when the caller stored it (it is the length of the first buffer
   * `encryptStream` yields, less the 16-byte nonce): header and nonce are then fetched in one read.
   * It is checked against the header found, never trusted.
   */
  headerLength?: number;
}

/** An opened age file whose plaintext can be read at any offset. */
export interface AgeRandomAccessFile {
  /** Header length in bytes; the payload nonce follows it. */
  readonly headerLength: number;
  readonly ciphertextSize: number;
  readonly plaintextSize: number;
  /** Plaintext bytes `start` to `endInclusive`, in memory (use {@link stream} for large ranges). */
  read(start: number, endInclusive: number): Promise<Buffer>;
  /** Plaintext bytes `start` to `endInclusive`, a few chunks at a time. */
  stream(start: number, endInclusive: number): AsyncGenerator<Buffer, void, undefined>;
  /** The opened payload, to read the same file again later without its header or final chunk (see {@link AgeOpenedPayload}). */
  readonly payload: AgeOpenedPayload;
}

/**
 * What opening a file established, and nothing else: its size, header length, plaintext size and payload key
 * (no plaintext, no reader). {@link AgeOpenedPayload.file} reads the same file again through another `readRange`
 * without reading its header, unwrapping its key or decrypting its final chunk again: the final chunk was verified
 * (truncation refused) when it was opened, and every chunk a range needs is still authenticated before any of its
 * bytes are returned; a file whose bytes have since changed fails there. Whoever keeps it holds the payload key, as
 * the file's reader does: keep it no longer than the file key may be held.
 */
export class AgeOpenedPayload {
  readonly #key: Buffer;
  readonly ciphertextSize: number;
  readonly headerLength: number;
  readonly plaintextSize: number;

  /** @internal made by {@link openRandomAccess} only, after the header and the final chunk are verified. */
  constructor(key: Buffer, ciphertextSize: number, headerLength: number) {
    this.#key = key;
    this.ciphertextSize = ciphertextSize;
    this.headerLength = headerLength;
    this.plaintextSize = plaintextSize(ciphertextSize, headerLength);
  }

  /** The file again, read through `readRange` (which must read the same stored file). */
  file(readRange: ReadRange): AgeRandomAccessFile {
    return rangeFile(this, this.#key, exactReader(readRange), null);
  }
}

const HEADER_PROBE_BYTES = 4096;
/** Chunks fetched per `readRange` call when streaming a range: 1 MiB of ciphertext. */
const CHUNKS_PER_READ = 16;

/**
 * Opens an age file for random access, for serving HTTP Range requests over a long recording
 * without decrypting it from the start.
 *
 * Reads and verifies the header exactly as streaming decryption does (identity, MAC, binding),
 * derives the plaintext size from the ciphertext size, and then, because that size is a seek
 * relative to the end of the file, decrypts and verifies the final chunk with the last-chunk flag
 * set, as the specification requires: a file truncated or extended at a chunk boundary is refused
 * here even when the requested range lies before the damage.
 *
 * Each range then reads and decrypts only the chunks it overlaps: chunk `i` is at ciphertext offset
 * `headerLength + 16 + i × 65552`, and every chunk's tag is verified before any of its bytes are
 * returned. Plaintext of an authentic chunk is authentic wherever it lies in the file.
 *
 * The file's `payload` reads it again later through another `readRange` without any of the opening's work.
 */
export async function openRandomAccess(options: RandomAccessOptions): Promise<AgeRandomAccessFile> {
  const identities = parseIdentities(options.identities);
  if (options.binding !== null) bindingBytes(options.binding);
  const { size } = options;
  if (!Number.isSafeInteger(size) || size < 0)
    throw new RangeError('The ciphertext size must be a non-negative integer');
  const read = exactReader(options.readRange);

  if (size === 0) throw new AgeHeaderError('the file is empty');
  const hint = options.headerLength;
  let probe = Math.min(size, hint !== undefined && hint > 0 ? hint + PAYLOAD_NONCE_SIZE : HEADER_PROBE_BYTES);
  let head: Buffer;
  let headerLength: number;
  for (;;) {
    head = await read(0, probe - 1);
    headerLength = findHeaderEnd(head);
    if (headerLength >= 0) {
      if (hint !== undefined && hint !== headerLength) {
        throw new AgeHeaderError(
          `the header is ${headerLength} bytes long, not the ${hint} bytes recorded for this file`,
        );
      }
      break;
    }
    if (probe === size) throw new AgeHeaderError('the header is truncated');
    probe = Math.min(size, probe * 4, MAX_HEADER_BYTES);
  }
  const { fileKey } = openHeader(head.subarray(0, headerLength), identities, options.binding);
  if (size < headerLength + PAYLOAD_NONCE_SIZE) throw new AgeHeaderError('the payload nonce is missing or short');
  const nonce =
    head.length >= headerLength + PAYLOAD_NONCE_SIZE
      ? head.subarray(headerLength, headerLength + PAYLOAD_NONCE_SIZE)
      : await read(headerLength, headerLength + PAYLOAD_NONCE_SIZE - 1);
  const key = payloadKey(fileKey, nonce);
  const payload = new AgeOpenedPayload(key, size, headerLength);
  const last = chunkCount(payload.plaintextSize) - 1;
  // The final chunk is verified now (a seek relative to the end) and kept, by this reader only: players often ask
  // for it.
  const [finalChunk] = await decryptChunks(payload, key, read, last, last);
  return rangeFile(payload, key, read, finalChunk!);
}

type ExactRead = ReturnType<typeof exactReader>;

/** Chunks `first` to `last` (inclusive) read in one call, each authenticated before it is returned. */
async function decryptChunks(
  payload: AgeOpenedPayload,
  key: Buffer,
  read: ExactRead,
  first: number,
  last: number,
): Promise<Buffer[]> {
  const { ciphertextSize: size, headerLength } = payload;
  const chunks = chunkCount(payload.plaintextSize);
  const payloadStart = headerLength + PAYLOAD_NONCE_SIZE;
  const start = payloadStart + first * ENCRYPTED_CHUNK_SIZE;
  const end = Math.min(size, payloadStart + (last + 1) * ENCRYPTED_CHUNK_SIZE) - 1;
  const sealed = await read(start, end);
  const out: Buffer[] = [];
  for (let index = first; index <= last; index++) {
    const at = (index - first) * ENCRYPTED_CHUNK_SIZE;
    out.push(openChunk(key, index, index === chunks - 1, sealed.subarray(at, at + ENCRYPTED_CHUNK_SIZE)));
  }
  return out;
}

/**
 * A reader of the opened file's plaintext through `read`. `finalChunk` is the final chunk's plaintext when this
 * reader verified it itself (it is then served from memory), or null: it is then read and authenticated, with the
 * last-chunk flag, like any other chunk when a range needs it.
 */
function rangeFile(
  payload: AgeOpenedPayload,
  key: Buffer,
  read: ExactRead,
  finalChunk: Buffer | null,
): AgeRandomAccessFile {
  const total = payload.plaintextSize;
  const chunks = chunkCount(total);
  const checkRange = (start: number, endInclusive: number): void => {
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(endInclusive) ||
      start < 0 ||
      endInclusive < start ||
      endInclusive >= total
    ) {
      throw new RangeError(`The range ${start}-${endInclusive} is outside the plaintext (0-${total - 1})`);
    }
  };

  async function* stream(start: number, endInclusive: number): AsyncGenerator<Buffer, void, undefined> {
    checkRange(start, endInclusive);
    const firstChunk = Math.floor(start / CHUNK_SIZE);
    const lastChunk = Math.floor(endInclusive / CHUNK_SIZE);
    for (let batch = firstChunk; batch <= lastChunk; batch += CHUNKS_PER_READ) {
      const batchLast = Math.min(lastChunk, batch + CHUNKS_PER_READ - 1);
      // The kept final chunk is copied so a consumer writing into what it got cannot change it.
      const plaintexts =
        batch === chunks - 1 && finalChunk
          ? [Buffer.from(finalChunk)]
          : await decryptChunks(payload, key, read, batch, batchLast);
      for (const [offset, plaintext] of plaintexts.entries()) {
        const chunkStart = (batch + offset) * CHUNK_SIZE;
        const from = Math.max(start, chunkStart) - chunkStart;
        const to = Math.min(endInclusive + 1, chunkStart + plaintext.length) - chunkStart;
        yield plaintext.subarray(from, to);
      }
    }
  }

  return {
    headerLength: payload.headerLength,
    ciphertextSize: payload.ciphertextSize,
    plaintextSize: total,
    payload,
    stream,
    async read(start, endInclusive) {
      checkRange(start, endInclusive);
      const out: Buffer[] = [];
      for await (const piece of stream(start, endInclusive)) out.push(piece);
      return Buffer.concat(out);
    },
  };
}

/** Reads exactly the bytes asked for, or throws: a file of another size than it was opened with is refused. */
function exactReader(readRange: ReadRange) {
  return async (start: number, endInclusive: number): Promise<Buffer> => {
    const wanted = endInclusive - start + 1;
    const result = await readRange(start, endInclusive);
    let bytes: Buffer;
    if (result instanceof Uint8Array) {
      bytes = toBuffer(result);
    } else {
      const parts: Buffer[] = [];
      let length = 0;
      for await (const part of result) {
        parts.push(toBuffer(part));
        length += part.length;
        if (length > wanted) break;
      }
      bytes = Buffer.concat(parts, length);
    }
    if (bytes.length !== wanted) {
      throw new AgePayloadError(`read ${bytes.length} bytes where ${wanted} were asked: the file changed size`);
    }
    return bytes;
  };
}

/** Opens the file and returns plaintext bytes `start` to `endInclusive` in one call. */
export async function decryptRange(options: RandomAccessOptions & { start: number; end: number }): Promise<Buffer> {
  const file = await openRandomAccess(options);
  return file.read(options.start, options.end);
}
