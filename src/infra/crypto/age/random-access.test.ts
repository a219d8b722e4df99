// Random access for HTTP Range requests, opened once per request: a range read piece by piece from one opened
// file is byte for byte what a full decryption gives, and the header is read and unwrapped only at the open.
// recordings are kept bit for bit, so what is played must be exactly what was stored.
// recordings are stored securely: the payload key lives only in the opened file and its `payload`, which a
// caller may keep a few minutes (the playback cache) to read the file again without its header; no plaintext is
// kept with it, and every chunk read through it is still authenticated.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgePayloadError } from './errors.ts';
import { CHUNK_SIZE, decrypt, encrypt, generateIdentity, openRandomAccess } from './index.ts';

const council = generateIdentity();
const BINDING = 'recording:0b0e3f8a-6a44-4c38-9a47-2f1f3c0d9e11:playback';
/** The pieces a Range response is read in (1 MiB, a multiple of the 64 KiB chunks), as the player route does. */
const PIECE = 1024 * 1024;

describe('a range read in pieces from one opened file', () => {
  let plaintext: Buffer;
  let file: Buffer;

  beforeAll(async () => {
    plaintext = randomBytes(3 * PIECE + 5 * CHUNK_SIZE + 777);
    file = await encrypt(plaintext, { recipients: [council.recipient], binding: BINDING });
  });

  it('decrypts to the same bytes as a full decryption from the start, the middle, a chunk boundary and the last byte', async () => {
    const full = await decrypt(file, { identities: [council.identity], binding: BINDING });
    expect(full.equals(plaintext)).toBe(true);
    const last = plaintext.length - 1;
    for (const start of [0, Math.floor(plaintext.length / 2), 2 * CHUNK_SIZE - 1, PIECE - 1, PIECE, last]) {
      const reads: number[] = [];
      const opened = await openRandomAccess({
        identities: [council.identity],
        binding: BINDING,
        size: file.length,
        readRange: async (from, to) => {
          reads.push(from);
          return file.subarray(from, to + 1);
        },
      });
      const headerReads = reads.filter((from) => from === 0).length;
      const parts: Buffer[] = [];
      for (let from = start; from <= last;) {
        const to = Math.min(last, (Math.floor(from / PIECE) + 1) * PIECE - 1);
        parts.push(await opened.read(from, to));
        from = to + 1;
      }
      expect(Buffer.concat(parts).equals(full.subarray(start)), `bytes ${start}-`).toBe(true);
      // The header was read once, at the open, however many pieces followed.
      expect(headerReads, `bytes ${start}-`).toBe(1);
      expect(reads.filter((from) => from === 0).length, `bytes ${start}-`).toBe(1);
    }
  });
});

describe('a file read again through its opened payload', () => {
  let plaintext: Buffer;
  let file: Buffer;

  beforeAll(async () => {
    plaintext = randomBytes(4 * CHUNK_SIZE + 123);
    file = await encrypt(plaintext, { recipients: [council.recipient], binding: BINDING });
  });

  const reader = (bytes: Buffer, reads: [number, number][] = []) => ({
    reads,
    readRange: async (from: number, to: number) => {
      reads.push([from, to]);
      return bytes.subarray(from, to + 1);
    },
  });

  it('reads only the chunks a range needs, no header nor final chunk, and gives the same bytes', async () => {
    const opened = await openRandomAccess({
      identities: [council.identity],
      binding: BINDING,
      size: file.length,
      ...reader(file),
    });
    const { payload } = opened;
    // It holds what opening established, and no plaintext.
    expect(Object.values(payload).filter((v) => typeof v !== 'number')).toEqual([]);
    const again = reader(file);
    const reopened = payload.file(again.readRange);
    expect(reopened.plaintextSize).toBe(plaintext.length);
    expect(
      (await reopened.read(CHUNK_SIZE + 5, 2 * CHUNK_SIZE + 9)).equals(
        plaintext.subarray(CHUNK_SIZE + 5, 2 * CHUNK_SIZE + 10),
      ),
    ).toBe(true);
    expect(again.reads).toHaveLength(1);
    expect(again.reads[0]![0]).toBe(opened.headerLength + 16 + 65_552);
    // The final chunk is read, and authenticated as the last, when a range needs it.
    expect((await reopened.read(plaintext.length - 200, plaintext.length - 1)).equals(plaintext.subarray(-200))).toBe(
      true,
    );
    expect(again.reads.at(-1)![1]).toBe(file.length - 1);
  });

  it('still refuses a chunk altered since the file was opened, and a file cut short', async () => {
    const { payload } = await openRandomAccess({
      identities: [council.identity],
      binding: BINDING,
      size: file.length,
      ...reader(file),
    });
    const altered = Buffer.from(file);
    altered[payload.headerLength + 16 + 2 * 65_552 + 40]! ^= 0x01;
    await expect(payload.file(reader(altered).readRange).read(2 * CHUNK_SIZE, 2 * CHUNK_SIZE)).rejects.toThrow(
      AgePayloadError,
    );
    // The chunks before and after are authentic and still read.
    expect((await payload.file(reader(altered).readRange).read(0, 9)).equals(plaintext.subarray(0, 10))).toBe(true);
    const cut = file.subarray(0, file.length - 50);
    await expect(payload.file(reader(cut).readRange).read(plaintext.length - 10, plaintext.length - 1)).rejects.toThrow(
      AgePayloadError,
    );
  });
});
