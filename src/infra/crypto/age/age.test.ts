// Encryption at rest of audio recordings in age v1: round trips, the binding of a file to its
// recording, detection of any alteration, and random access for HTTP Range requests.
// recordings are kept bit for bit, so any altered byte must be detected, never played.
// recordings are stored securely on the child's record.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AgeBindingError,
  AgeHeaderError,
  AgeHeaderMacError,
  AgeIntegrityError,
  AgeKeyError,
  AgeNoIdentityMatchError,
  AgePayloadError,
  CHUNK_SIZE,
  ENCRYPTED_CHUNK_SIZE,
  PAYLOAD_NONCE_SIZE,
  beginEncryption,
  ciphertextSize,
  decrypt,
  decryptRange,
  decryptStream,
  encrypt,
  encryptStream,
  generateIdentity,
  openRandomAccess,
  plaintextSize,
  readHeader,
  type AgeError,
  type ByteSource,
  type DecryptOptions,
} from './index.ts';

const council = generateIdentity();
const recovery = generateIdentity();
const stranger = generateIdentity();
const RECORDING = '0b0e3f8a-6a44-4c38-9a47-2f1f3c0d9e11';
const OTHER_RECORDING = '5d2c9b1e-0f7a-4e55-8d3b-7c6a1e2f4b90';

const opts = (binding: string | null = RECORDING, identities: string[] = [council.identity]): DecryptOptions => ({
  identities,
  binding,
});

function headerLengthOf(file: Buffer): number {
  return file.indexOf('\n', file.indexOf('\n--- ') + 1) + 1;
}

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Streams a decryption to the end, returning the plaintext released before any error. */
async function drain(source: ByteSource, options: DecryptOptions): Promise<{ released: Buffer; error: unknown }> {
  const released: Buffer[] = [];
  try {
    for await (const piece of decryptStream(source, options)) released.push(piece);
    return { released: Buffer.concat(released), error: undefined };
  } catch (error) {
    return { released: Buffer.concat(released), error };
  }
}

function flipBit(file: Buffer, offset: number, bit = 0): Buffer {
  const copy = Buffer.from(file);
  copy[offset]! ^= 1 << bit;
  return copy;
}

describe('encryptStream and decryptStream', () => {
  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 1, 3 * 1024 * 1024 + 5])(
    'round-trips %i bytes streamed in odd pieces, with the size the format predicts',
    async (size) => {
      const plaintext = randomBytes(size);
      const out: Buffer[] = [];
      for await (const piece of encryptStream(pieces(plaintext, 1000), {
        recipients: [council.recipient],
        binding: RECORDING,
      }))
        out.push(piece);
      const file = Buffer.concat(out);
      const headerLength = headerLengthOf(file);
      expect(file.length).toBe(ciphertextSize(size, headerLength));
      expect(plaintextSize(file.length, headerLength)).toBe(size);
      // The first buffer is the header and payload nonce; then one per chunk, 65,552 bytes but the last.
      expect(out[0]!.length).toBe(headerLength + PAYLOAD_NONCE_SIZE);
      expect(out.slice(1, -1).every((chunk) => chunk.length === ENCRYPTED_CHUNK_SIZE)).toBe(true);
      expect(out.length - 1).toBe(Math.max(1, Math.ceil(size / CHUNK_SIZE)));
      const { released, error } = await drain(pieces(file, 7777), opts());
      expect(error).toBeUndefined();
      expect(released.equals(plaintext)).toBe(true);
    },
  );

  it('ends a plaintext of exactly 64 KiB with one full final chunk, and an empty one with one empty chunk', async () => {
    const full = await encrypt(randomBytes(CHUNK_SIZE), { recipients: [council.recipient], binding: RECORDING });
    expect(full.length - headerLengthOf(full) - PAYLOAD_NONCE_SIZE).toBe(ENCRYPTED_CHUNK_SIZE);
    const empty = await encrypt(Buffer.alloc(0), { recipients: [council.recipient], binding: RECORDING });
    expect(empty.length - headerLengthOf(empty) - PAYLOAD_NONCE_SIZE).toBe(16);
    expect((await decrypt(empty, opts())).length).toBe(0);
  });

  it('writes a standard header: one X25519 stanza per recipient, the binding stanza, the MAC', async () => {
    const file = await encrypt(Buffer.from('x'), {
      recipients: [council.recipient, recovery.recipient],
      binding: RECORDING,
    });
    const header = file.subarray(0, headerLengthOf(file)).toString('latin1');
    const b64 = '[A-Za-z0-9+/]';
    const x25519 = `-> X25519 ${b64}{43}\n${b64}{43}\n`;
    expect(header).toMatch(
      new RegExp(
        `^age-encryption\\.org/v1\n${x25519}${x25519}-> cp-conference-records/binding ${b64}+\n\n--- ${b64}{43}\n$`,
      ),
    );
    expect(header).toContain(
      `-> cp-conference-records/binding ${Buffer.from(RECORDING).toString('base64').replace(/=+$/, '')}\n`,
    );
  });

  it('uses a new file key, ephemeral keys and nonce for every file', async () => {
    const plaintext = Buffer.alloc(100);
    const a = await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING });
    const b = await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING });
    const lines = (f: Buffer) => f.subarray(0, headerLengthOf(f)).toString('latin1').split('\n');
    expect(lines(a)[1]).not.toBe(lines(b)[1]);
    expect(a.subarray(-132).equals(b.subarray(-132))).toBe(false);
  });

  it('lets each of two recipients decrypt alone, and nobody else', async () => {
    const plaintext = randomBytes(CHUNK_SIZE + 10);
    const file = await encrypt(plaintext, { recipients: [council.recipient, recovery.recipient], binding: RECORDING });
    expect((await decrypt(file, opts(RECORDING, [council.identity]))).equals(plaintext)).toBe(true);
    expect((await decrypt(file, opts(RECORDING, [recovery.identity]))).equals(plaintext)).toBe(true);
    expect((await decrypt(file, opts(RECORDING, [stranger.identity, recovery.identity]))).equals(plaintext)).toBe(true);
    await expect(decrypt(file, opts(RECORDING, [stranger.identity]))).rejects.toBeInstanceOf(AgeNoIdentityMatchError);
  });

  it('reads from a file stream and pipes to a file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-age-'));
    try {
      const plaintext = randomBytes(5 * CHUNK_SIZE + 123);
      await writeFile(path.join(dir, 'in'), plaintext);
      await pipeline(
        createReadStream(path.join(dir, 'in'), { highWaterMark: 10_000 }),
        (source: AsyncIterable<Buffer>) =>
          encryptStream(source, { recipients: [council.recipient], binding: RECORDING }),
        createWriteStream(path.join(dir, 'in.age')),
      );
      await pipeline(
        createReadStream(path.join(dir, 'in.age')),
        (source: AsyncIterable<Buffer>) => decryptStream(source, opts()),
        createWriteStream(path.join(dir, 'out')),
      );
      expect((await readFile(path.join(dir, 'out'))).equals(plaintext)).toBe(true);
      const { headerLength } = await readHeader(createReadStream(path.join(dir, 'in.age')), opts());
      expect(headerLength).toBe(headerLengthOf(await readFile(path.join(dir, 'in.age'))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('releases its source when the consumer stops early', async () => {
    const file = await encrypt(randomBytes(4 * CHUNK_SIZE), { recipients: [council.recipient], binding: RECORDING });
    const source = Readable.from(pieces(file, 1000));
    for await (const _chunk of decryptStream(source, opts())) break;
    expect(source.destroyed).toBe(true);
  });

  it('checks its arguments before reading anything', async () => {
    let pulled = false;
    const source = (async function* () {
      pulled = true;
      yield Buffer.from('x');
    })();
    expect(() => encryptStream(source, { recipients: [], binding: RECORDING })).toThrow(/At least one age recipient/);
    expect(() => encryptStream(source, { recipients: ['age1nope'], binding: RECORDING })).toThrow(AgeKeyError);
    expect(() => encryptStream(source, { recipients: [council.recipient], binding: '' })).toThrow(/non-empty string/);
    expect(() => encryptStream(source, { recipients: [council.recipient], binding: 'x'.repeat(513) })).toThrow(
      /at most 512/,
    );
    expect(() => encryptStream(source, { recipients: [council.recipient], binding: '\ud800' })).toThrow(/well-formed/);
    expect(() => decryptStream(source, { identities: [], binding: RECORDING })).toThrow(/At least one age identity/);
    expect(() => decryptStream(source, { identities: ['AGE-SECRET-KEY-1NOPE'], binding: RECORDING })).toThrow(
      AgeKeyError,
    );
    expect(pulled).toBe(false);
  });

  it('refuses text chunks, which would be re-encoded', async () => {
    // Text where bytes belong, as a caller without types could pass it (JSON.parse gives it no type).
    const text: Uint8Array = JSON.parse('"not bytes"');
    const gen = encryptStream([text], {
      recipients: [council.recipient],
      binding: RECORDING,
    });
    await expect(gen.next().then(() => gen.next())).rejects.toThrow(/Expected bytes .* do not set an encoding/);
  });
});

describe('beginEncryption: chunks sealed into the caller’s buffers', () => {
  /** A file made as the ingest worker makes one: the prologue, then every chunk sealed into one reused buffer. */
  function sealedThroughOneBuffer(plaintext: Buffer): Buffer {
    const { prologue, payload } = beginEncryption({ recipients: [council.recipient], binding: RECORDING });
    const out: Buffer[] = [prologue];
    const reused = Buffer.alloc(ENCRYPTED_CHUNK_SIZE);
    const chunks = Math.max(1, Math.ceil(plaintext.length / CHUNK_SIZE));
    for (let i = 0; i < chunks; i++) {
      const n = payload.sealInto(plaintext.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), i === chunks - 1, reused, 0);
      out.push(Buffer.from(reused.subarray(0, n)));
    }
    expect(payload.done).toBe(true);
    return Buffer.concat(out);
  }

  it.each([0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])(
    'makes a file of %i bytes that decrypts, with the size the format predicts',
    async (size) => {
      const plaintext = randomBytes(size);
      const file = sealedThroughOneBuffer(plaintext);
      expect(file.length).toBe(ciphertextSize(size, headerLengthOf(file)));
      expect((await decrypt(file, opts())).equals(plaintext)).toBe(true);
    },
  );

  it('refuses what would make an invalid file: a short chunk before the end, an empty final chunk after others, a chunk after the final one, or no room', () => {
    const begin = () => beginEncryption({ recipients: [council.recipient], binding: RECORDING }).payload;
    const out = Buffer.alloc(2 * ENCRYPTED_CHUNK_SIZE);
    expect(() => begin().sealInto(Buffer.alloc(CHUNK_SIZE - 1), false, out, 0)).toThrow(RangeError);
    expect(() => begin().sealInto(Buffer.alloc(CHUNK_SIZE + 1), true, out, 0)).toThrow(RangeError);
    const afterOne = begin();
    afterOne.sealInto(Buffer.alloc(CHUNK_SIZE), false, out, 0);
    expect(() => afterOne.sealInto(Buffer.alloc(0), true, out, 0)).toThrow(/only an empty file/);
    const finished = begin();
    finished.sealInto(Buffer.alloc(10), true, out, 0);
    expect(() => finished.sealInto(Buffer.alloc(10), true, out, 0)).toThrow(/sealed already/);
    expect(() => begin().sealInto(Buffer.alloc(CHUNK_SIZE), true, out, ENCRYPTED_CHUNK_SIZE + 1)).toThrow(
      /does not fit/,
    );
  });

  it('checks its arguments as encryptStream does', () => {
    expect(() => beginEncryption({ recipients: ['age1notarecipient'], binding: RECORDING })).toThrow(AgeKeyError);
    expect(() => beginEncryption({ recipients: [], binding: RECORDING })).toThrow(TypeError);
  });
});

describe('binding to the recording', () => {
  it('detects two recordings whose files were swapped', async () => {
    const a = await encrypt(Buffer.from('conference A'), { recipients: [council.recipient], binding: RECORDING });
    const b = await encrypt(Buffer.from('conference B'), { recipients: [council.recipient], binding: OTHER_RECORDING });
    expect((await decrypt(a, opts(RECORDING))).toString()).toBe('conference A');
    const swapped = await drain([b], opts(RECORDING));
    expect(swapped.error).toBeInstanceOf(AgeBindingError);
    expect((swapped.error as AgeError).code).toBe('AGE_BINDING_MISMATCH');
    expect(swapped.released.length).toBe(0);
  });

  it('refuses a bound file when no binding is expected, so the check cannot be skipped by accident', async () => {
    const file = await encrypt(Buffer.from('x'), { recipients: [council.recipient], binding: RECORDING });
    await expect(decrypt(file, opts(null))).rejects.toThrow(/bound to a context, but none was expected/);
  });

  it('cannot be edited: a rewritten binding breaks the header MAC', async () => {
    const a = await encrypt(Buffer.from('x'), { recipients: [council.recipient], binding: RECORDING });
    const encode = (id: string) => Buffer.from(id).toString('base64').replace(/=+$/, '');
    const edited = Buffer.from(a.toString('latin1').replace(encode(RECORDING), encode(OTHER_RECORDING)), 'latin1');
    expect(edited.equals(a)).toBe(false);
    await expect(decrypt(edited, opts(OTHER_RECORDING))).rejects.toBeInstanceOf(AgeHeaderMacError);
  });

  it('binds any Unicode context exactly', async () => {
    const file = await encrypt(Buffer.from('x'), { recipients: [council.recipient], binding: 'récording 🎙 1' });
    expect((await decrypt(file, opts('récording 🎙 1'))).toString()).toBe('x');
    await expect(decrypt(file, opts('recording 🎙 1'))).rejects.toBeInstanceOf(AgeBindingError);
  });
});

describe('any alteration is detected', () => {
  let file: Buffer;
  let plaintext: Buffer;
  let headerLength: number;
  const chunkStart = (i: number) => headerLength + PAYLOAD_NONCE_SIZE + i * ENCRYPTED_CHUNK_SIZE;

  beforeAll(async () => {
    plaintext = randomBytes(3 * CHUNK_SIZE + 1000);
    file = await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING });
    headerLength = headerLengthOf(file);
  });

  it('rejects every single-bit change anywhere in the header, releasing nothing', async () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < headerLength; offset++) {
      for (let bit = 0; bit < 8; bit++) {
        const { released, error } = await drain([flipBit(file, offset, bit)], opts());
        expect(released.length).toBe(0);
        expect(error instanceof AgeIntegrityError || error instanceof AgeNoIdentityMatchError).toBe(true);
        seen.add((error as Error).constructor.name);
      }
    }
    expect([...seen].sort()).toEqual(['AgeHeaderError', 'AgeHeaderMacError', 'AgeNoIdentityMatchError']);
  });

  it('names each header failure specifically', async () => {
    const text = file.subarray(0, headerLength).toString('latin1');
    await expect(decrypt(flipBit(file, 3), opts())).rejects.toBeInstanceOf(AgeHeaderError);
    // The MAC value itself, changed and re-encoded canonically.
    const macAt = text.indexOf('\n--- ') + 5;
    const mac = Buffer.from(text.slice(macAt, macAt + 43), 'base64');
    mac[0]! ^= 1;
    const badMac = Buffer.concat([
      file.subarray(0, macAt),
      Buffer.from(mac.toString('base64').slice(0, 43)),
      file.subarray(macAt + 43),
    ]);
    await expect(decrypt(badMac, opts())).rejects.toBeInstanceOf(AgeHeaderMacError);
    // The wrapped file key (the X25519 stanza body): indistinguishable from another recipient's.
    const bodyAt = text.indexOf('\n', text.indexOf('-> X25519')) + 1;
    const body = Buffer.from(text.slice(bodyAt, bodyAt + 43), 'base64');
    body[5]! ^= 1;
    const badBody = Buffer.concat([
      file.subarray(0, bodyAt),
      Buffer.from(body.toString('base64').slice(0, 43)),
      file.subarray(bodyAt + 43),
    ]);
    await expect(decrypt(badBody, opts())).rejects.toBeInstanceOf(AgeNoIdentityMatchError);
  });

  it('rejects a changed payload nonce', async () => {
    const { released, error } = await drain([flipBit(file, headerLength + 7)], opts());
    expect(error).toBeInstanceOf(AgePayloadError);
    expect(released.length).toBe(0);
  });

  it('rejects a changed middle chunk, having released only the chunks before it', async () => {
    const { released, error } = await drain(pieces(flipBit(file, chunkStart(1) + 500, 3), 4096), opts());
    expect(error).toBeInstanceOf(AgePayloadError);
    expect((error as Error).message).toMatch(/chunk 1 fails authentication/);
    // The streaming caveat: chunk 0 was authentic and was released; the consumer must discard it.
    expect(released.equals(plaintext.subarray(0, CHUNK_SIZE))).toBe(true);
    await expect(decrypt(flipBit(file, chunkStart(1) + 500, 3), opts())).rejects.toBeInstanceOf(AgePayloadError);
  });

  it('rejects a changed tag of the last chunk', async () => {
    const { released, error } = await drain([flipBit(file, file.length - 1, 7)], opts());
    expect(error).toBeInstanceOf(AgePayloadError);
    expect(released.length).toBe(3 * CHUNK_SIZE);
  });

  it('rejects a file truncated at any chunk boundary: no final chunk', async () => {
    for (const chunks of [1, 2, 3]) {
      const { error } = await drain([file.subarray(0, chunkStart(chunks))], opts());
      expect(error).toBeInstanceOf(AgePayloadError);
      expect((error as Error).message).toMatch(/truncated: it ends without a final chunk/);
    }
    const noChunk = await drain([file.subarray(0, chunkStart(0))], opts());
    expect((noChunk.error as Error).message).toMatch(/no payload chunk/);
  });

  it('rejects a file truncated anywhere else', async () => {
    await expect(decrypt(file.subarray(0, file.length - 1), opts())).rejects.toBeInstanceOf(AgePayloadError);
    await expect(decrypt(file.subarray(0, chunkStart(2) + 100), opts())).rejects.toBeInstanceOf(AgePayloadError);
    await expect(decrypt(file.subarray(0, headerLength + 5), opts())).rejects.toThrow(/payload nonce is missing/);
    await expect(decrypt(file.subarray(0, headerLength - 1), opts())).rejects.toThrow(/header is truncated/);
    await expect(decrypt(Buffer.alloc(0), opts())).rejects.toThrow(/the file is empty/);
  });

  it('rejects data appended after the final chunk', async () => {
    await expect(decrypt(Buffer.concat([file, Buffer.from([0])]), opts())).rejects.toBeInstanceOf(AgePayloadError);
    // After a full final chunk, appended data is named as such.
    const full = await encrypt(randomBytes(2 * CHUNK_SIZE), { recipients: [council.recipient], binding: RECORDING });
    const appended = await drain([Buffer.concat([full, Buffer.from('more')])], opts());
    expect(appended.error).toBeInstanceOf(AgePayloadError);
    expect((appended.error as Error).message).toMatch(/data follows the final chunk/);
  });

  it('rejects chunks moved, duplicated or removed', async () => {
    const c = (i: number) => file.subarray(chunkStart(i), chunkStart(i + 1));
    const head = file.subarray(0, chunkStart(0));
    const reordered = Buffer.concat([head, c(1), c(0), c(2), c(3)]);
    const duplicated = Buffer.concat([head, c(0), c(0), c(1), c(2), c(3)]);
    const removed = Buffer.concat([head, c(0), c(2), c(3)]);
    for (const altered of [reordered, duplicated, removed]) {
      await expect(decrypt(altered, opts())).rejects.toBeInstanceOf(AgePayloadError);
    }
  });

  it('rejects a random bit flip anywhere in a file (property)', async () => {
    const small = await encrypt(randomBytes(CHUNK_SIZE + 300), {
      recipients: [council.recipient, recovery.recipient],
      binding: RECORDING,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: small.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (offset, bit) => {
          const { error } = await drain([flipBit(small, offset, bit)], opts());
          expect(error instanceof AgeIntegrityError || error instanceof AgeNoIdentityMatchError).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('random access', () => {
  let plaintext: Buffer;
  let file: Buffer;
  const source = (bytes: Buffer) => ({
    size: bytes.length,
    readRange: async (start: number, end: number) => bytes.subarray(start, end + 1),
  });

  beforeAll(async () => {
    plaintext = randomBytes(9 * CHUNK_SIZE + 4321);
    file = await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING });
  });

  it('decrypts any range to the same bytes as the plaintext (property)', async () => {
    const opened = await openRandomAccess({ ...source(file), ...opts() });
    expect(opened.plaintextSize).toBe(plaintext.length);
    const offset = fc.oneof(
      fc.integer({ min: 0, max: plaintext.length - 1 }),
      // Chunk boundaries and their neighbours, where off-by-one errors live.
      fc
        .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: -2, max: 2 }))
        .map(([c, d]) => Math.min(plaintext.length - 1, Math.max(0, c * CHUNK_SIZE + d))),
    );
    await fc.assert(
      fc.asyncProperty(offset, offset, async (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        expect((await opened.read(start, end)).equals(plaintext.subarray(start, end + 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('works for files of any size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 1, max: 4 * CHUNK_SIZE }),
          fc.constantFrom(1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE),
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (size, x, y) => {
          const data = randomBytes(size);
          const enc = await encrypt(data, { recipients: [council.recipient], binding: RECORDING });
          const [start, end] = [Math.floor(Math.min(x, y) * (size - 1)), Math.floor(Math.max(x, y) * (size - 1))];
          expect(
            (await decryptRange({ ...source(enc), ...opts(), start, end })).equals(data.subarray(start, end + 1)),
          ).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads only the chunks a range needs', async () => {
    const reads: [number, number][] = [];
    const opened = await openRandomAccess({
      size: file.length,
      readRange: async (start, end) => {
        reads.push([start, end]);
        return file.subarray(start, end + 1);
      },
      ...opts(),
    });
    const headerLength = opened.headerLength;
    reads.length = 0;
    const start = 5 * CHUNK_SIZE + 100;
    expect((await opened.read(start, start + 999)).equals(plaintext.subarray(start, start + 1000))).toBe(true);
    const chunk5 = headerLength + PAYLOAD_NONCE_SIZE + 5 * ENCRYPTED_CHUNK_SIZE;
    expect(reads).toEqual([[chunk5, chunk5 + ENCRYPTED_CHUNK_SIZE - 1]]);
  });

  it('takes ranges as streams too, as a blob store gives them', async () => {
    const readRange = async (start: number, end: number) => Readable.from(pieces(file.subarray(start, end + 1), 1000));
    const opened = await openRandomAccess({ size: file.length, readRange, ...opts() });
    expect((await opened.read(70_000, 300_000)).equals(plaintext.subarray(70_000, 300_001))).toBe(true);
    const tooLong = async (start: number, end: number) => Readable.from([file.subarray(start, end + 2)]);
    await expect(openRandomAccess({ size: file.length, readRange: tooLong, ...opts() })).rejects.toThrow(
      /the file changed size/,
    );
  });

  it('streams a long range a few chunks at a time', async () => {
    const opened = await openRandomAccess({ ...source(file), ...opts() });
    const parts: Buffer[] = [];
    for await (const part of opened.stream(10, plaintext.length - 1)) parts.push(part);
    expect(Buffer.concat(parts).equals(plaintext.subarray(10))).toBe(true);
    expect(parts.every((part) => part.length <= CHUNK_SIZE)).toBe(true);
  });

  it('matches plaintextSize and ciphertextSize, which are inverses', () => {
    for (const size of [
      0,
      1,
      CHUNK_SIZE - 1,
      CHUNK_SIZE,
      CHUNK_SIZE + 1,
      7 * CHUNK_SIZE,
      7 * CHUNK_SIZE + 9,
      2 ** 40,
    ]) {
      expect(plaintextSize(ciphertextSize(size, 200), 200)).toBe(size);
    }
    expect(ciphertextSize(0, 200)).toBe(200 + 16 + 16);
    expect(ciphertextSize(CHUNK_SIZE, 200)).toBe(200 + 16 + ENCRYPTED_CHUNK_SIZE);
    expect(ciphertextSize(CHUNK_SIZE + 1, 200)).toBe(200 + 16 + ENCRYPTED_CHUNK_SIZE + 17);
    // Sizes no valid file has: too short, or an empty or partial tag in the last chunk.
    for (const size of [
      200,
      200 + 16 + 15,
      200 + 16 + ENCRYPTED_CHUNK_SIZE + 16,
      200 + 16 + ENCRYPTED_CHUNK_SIZE + 3,
    ]) {
      expect(() => plaintextSize(size, 200)).toThrow(AgePayloadError);
    }
    expect(() => plaintextSize(-1, 0)).toThrow(RangeError);
  });

  it('refuses at open a file truncated or extended at a chunk boundary, before any range is read', async () => {
    const headerLength = headerLengthOf(file);
    const truncated = file.subarray(0, headerLength + PAYLOAD_NONCE_SIZE + 9 * ENCRYPTED_CHUNK_SIZE);
    await expect(openRandomAccess({ ...source(truncated), ...opts() })).rejects.toThrow(
      /truncated: it ends without a final chunk/,
    );
    const lastFull = await encrypt(randomBytes(3 * CHUNK_SIZE), {
      recipients: [council.recipient],
      binding: RECORDING,
    });
    const extended = Buffer.concat([lastFull, lastFull.subarray(-ENCRYPTED_CHUNK_SIZE)]);
    await expect(openRandomAccess({ ...source(extended), ...opts() })).rejects.toBeInstanceOf(AgePayloadError);
    await expect(openRandomAccess({ ...source(file.subarray(0, file.length - 5)), ...opts() })).rejects.toBeInstanceOf(
      AgePayloadError,
    );
  });

  it('fails only the ranges that touch an altered chunk', async () => {
    const headerLength = headerLengthOf(file);
    const altered = flipBit(file, headerLength + PAYLOAD_NONCE_SIZE + 4 * ENCRYPTED_CHUNK_SIZE + 10);
    const opened = await openRandomAccess({ ...source(altered), ...opts() });
    expect((await opened.read(0, 4 * CHUNK_SIZE - 1)).equals(plaintext.subarray(0, 4 * CHUNK_SIZE))).toBe(true);
    await expect(opened.read(4 * CHUNK_SIZE - 1, 4 * CHUNK_SIZE)).rejects.toThrow(/chunk 4 fails authentication/);
    await expect(opened.read(0, plaintext.length - 1)).rejects.toBeInstanceOf(AgePayloadError);
  });

  it('checks identity, MAC and binding as streaming does', async () => {
    await expect(openRandomAccess({ ...source(file), ...opts(OTHER_RECORDING) })).rejects.toBeInstanceOf(
      AgeBindingError,
    );
    await expect(openRandomAccess({ ...source(file), ...opts(RECORDING, [stranger.identity]) })).rejects.toBeInstanceOf(
      AgeNoIdentityMatchError,
    );
    await expect(openRandomAccess({ ...source(flipBit(file, 2)), ...opts() })).rejects.toBeInstanceOf(AgeHeaderError);
    await expect(openRandomAccess({ ...source(Buffer.alloc(0)), ...opts() })).rejects.toBeInstanceOf(AgeHeaderError);
  });

  it('refuses ranges outside the plaintext, and a store that returns the wrong length', async () => {
    const opened = await openRandomAccess({ ...source(file), ...opts() });
    await expect(opened.read(0, plaintext.length)).rejects.toThrow(RangeError);
    await expect(opened.read(5, 4)).rejects.toThrow(RangeError);
    await expect(opened.read(-1, 4)).rejects.toThrow(RangeError);
    const empty = await encrypt(Buffer.alloc(0), { recipients: [council.recipient], binding: RECORDING });
    const openedEmpty = await openRandomAccess({ ...source(empty), ...opts() });
    expect(openedEmpty.plaintextSize).toBe(0);
    await expect(openedEmpty.read(0, 0)).rejects.toThrow(RangeError);
    const short = openRandomAccess({
      size: file.length,
      readRange: async (s, e) => file.subarray(s, Math.min(e + 1, s + 100)),
      ...opts(),
    });
    await expect(short).rejects.toThrow(/the file changed size/);
  });

  it('fetches header and nonce in one read when given the stored header length, and checks it', async () => {
    const headerLength = headerLengthOf(file);
    const reads: [number, number][] = [];
    const readRange = async (start: number, end: number) => {
      reads.push([start, end]);
      return file.subarray(start, end + 1);
    };
    const opened = await openRandomAccess({ size: file.length, readRange, headerLength, ...opts() });
    expect(reads[0]).toEqual([0, headerLength + PAYLOAD_NONCE_SIZE - 1]);
    expect(reads).toHaveLength(2); // then the final chunk
    expect((await opened.read(0, 9)).equals(plaintext.subarray(0, 10))).toBe(true);
    await expect(
      openRandomAccess({ size: file.length, readRange, headerLength: headerLength + 3, ...opts() }),
    ).rejects.toThrow(/not the \d+ bytes recorded/);
    await expect(
      openRandomAccess({ size: file.length, readRange, headerLength: headerLength - 3, ...opts() }),
    ).rejects.toBeInstanceOf(AgeHeaderError);
  });

  it('finds headers longer than its first probe', async () => {
    const recipients = Array.from({ length: 60 }, () => generateIdentity().recipient);
    const many = await encrypt(randomBytes(1000), {
      recipients: [...recipients, council.recipient],
      binding: RECORDING,
    });
    expect(headerLengthOf(many)).toBeGreaterThan(4096);
    const opened = await openRandomAccess({ ...source(many), ...opts() });
    expect(opened.headerLength).toBe(headerLengthOf(many));
  });
});
