// Random access for HTTP Range requests, opened once per request: a range read piece by piece from one opened
// file is byte for byte what a full decryption gives, and the header is read and unwrapped only at the open.
// recordings are kept bit for bit, so what is played must be exactly what was stored.
// recordings are stored securely: the file key lives only in the opened file, for one request.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
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
