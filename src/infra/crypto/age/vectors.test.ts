// The C2SP age test vectors (npm `cctv-age`, c2sp.org/CCTV/age): every vector that an X25519-only
// decrypter can run is run, through the streaming API (whole and in odd-sized pieces) and through
// random access; the rest are listed as skipped with their reason, and the counts are pinned.
// recordings are kept bit for bit and stored securely; this is the format they are kept in.
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as vectors from 'cctv-age';
import { describe, expect, it } from 'vitest';
import {
  AgeArmorError,
  AgeHeaderError,
  AgeHeaderMacError,
  AgeNoIdentityMatchError,
  AgePayloadError,
  armor,
  dearmor,
  decrypt,
  decryptStream,
  generateIdentity,
  openRandomAccess,
  AgeError,
} from './index.ts';
import { encodeRawBase64 } from './base64.ts';
import { PayloadSealer, sealChunks } from './encrypt.ts';
import { encodeHeaderWithoutMac, findHeaderEnd, headerMac, parseHeader } from './header.ts';
import { CHUNK_SIZE, PAYLOAD_NONCE_SIZE, TAG_SIZE, chunkCount, payloadKey } from './payload.ts';

type Expect = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'payload failure' | 'armor failure';

interface Vector {
  name: string;
  expect: Expect;
  payload: string | undefined;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  fileKey: string | undefined;
  file: Buffer;
}

/** The format of the package's README: `key: value` lines, an empty line, then the age file. */
function parseVector(name: string, bytes: Uint8Array): Vector {
  const all = Buffer.from(bytes);
  const split = all.indexOf('\n\n');
  const fields = new Map<string, string[]>();
  for (const line of all.subarray(0, split).toString('utf8').split('\n')) {
    const at = line.indexOf(': ');
    const key = line.slice(0, at);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(at + 2)]);
  }
  const known = new Set([
    'expect',
    'payload',
    'identity',
    'passphrase',
    'armored',
    'compressed',
    'file key',
    'comment',
  ]);
  const unknown = [...fields.keys()].filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${name}: unknown vector keys ${unknown.join(', ')}`);
  let file = all.subarray(split + 2);
  const compressed = fields.get('compressed')?.[0];
  if (compressed === 'zlib') file = inflateSync(file);
  else if (compressed !== undefined) throw new Error(`${name}: unknown compression ${compressed}`);
  return {
    name,
    expect: fields.get('expect')![0] as Expect,
    payload: fields.get('payload')?.[0],
    identities: fields.get('identity') ?? [],
    passphrases: fields.get('passphrase') ?? [],
    armored: fields.get('armored')?.[0] === 'yes',
    fileKey: fields.get('file key')?.[0],
    file,
  };
}

const X25519_IDENTITY = /^AGE-SECRET-KEY-1/;

/** Why a vector cannot be run by an X25519-only implementation, or null when it can. */
function skipReason(v: Vector): string | null {
  const x25519 = v.identities.filter((id) => X25519_IDENTITY.test(id));
  if (v.passphrases.length > 0 && x25519.length === 0) return 'scrypt passphrase recipients are not supported';
  if (v.identities.length > x25519.length) {
    // With a mix of identity types, only a header failure does not depend on the missing ones.
    if (x25519.length > 0 && v.expect === 'header failure') return null;
    return 'post-quantum (ML-KEM-768 + X25519) identities are not supported';
  }
  return null;
}

function identitiesFor(v: Vector): string[] {
  const x25519 = v.identities.filter((id) => X25519_IDENTITY.test(id));
  // Vectors with no identity (e.g. an empty file) must fail before any identity is tried.
  return x25519.length > 0 ? x25519 : [generateIdentity().identity];
}

const errorFor: Record<Exclude<Expect, 'success'>, new (...args: never[]) => AgeError> = {
  'no match': AgeNoIdentityMatchError,
  'HMAC failure': AgeHeaderMacError,
  'header failure': AgeHeaderError,
  'payload failure': AgePayloadError,
  'armor failure': AgeArmorError,
};

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Decrypts as the API would be used, returning the plaintext released and the error, if any. */
async function run(v: Vector, pieceSize: number): Promise<{ released: Buffer; error: unknown }> {
  const released: Buffer[] = [];
  try {
    const file = v.armored ? dearmor(v.file) : v.file;
    for await (const chunk of decryptStream(pieces(file, pieceSize), { identities: identitiesFor(v), binding: null })) {
      released.push(chunk);
    }
    return { released: Buffer.concat(released), error: undefined };
  } catch (error) {
    return { released: Buffer.concat(released), error };
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const all = Object.entries(vectors as Record<string, Uint8Array>)
  .filter(([, value]) => value instanceof Uint8Array)
  .map(([name, bytes]) => parseVector(name, bytes))
  .sort((a, b) => a.name.localeCompare(b.name));
const runnable = all.filter((v) => skipReason(v) === null);
const skipped = all.filter((v) => skipReason(v) !== null);

describe('C2SP age test vectors (cctv-age)', () => {
  it('loads every vector, and runs or skips each for a counted reason', () => {
    expect(all.length).toBe(143);
    const reasons: Record<string, number> = {};
    for (const v of skipped) reasons[skipReason(v)!] = (reasons[skipReason(v)!] ?? 0) + 1;
    expect(reasons).toEqual({
      'scrypt passphrase recipients are not supported': 25,
      'post-quantum (ML-KEM-768 + X25519) identities are not supported': 18,
    });
    expect(runnable.length).toBe(100);
    expect(runnable.filter((v) => v.armored).length).toBe(31);
  });

  // Files for recipient types this service never produces (scrypt, post-quantum) are refused with an
  // age error and never release any plaintext to an X25519 identity.
  it('refuses every vector of an unsupported recipient type without releasing plaintext', async () => {
    for (const v of skipped) {
      const { released, error } = await run(v, 4096);
      expect(error, v.name).toBeInstanceOf(AgeError);
      expect(released.length, v.name).toBe(0);
    }
  });

  describe.each(runnable.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    it(`streaming decryption gives "${v.expect}" and releases exactly the expected plaintext`, async () => {
      for (const pieceSize of [v.file.length + 1, 4093]) {
        const { released, error } = await run(v, pieceSize);
        if (v.expect === 'success') {
          expect(error).toBeUndefined();
        } else {
          expect(error).toBeInstanceOf(errorFor[v.expect]);
        }
        if (v.payload !== undefined) expect(sha256(released)).toBe(v.payload);
        else expect(released.length).toBe(0);
      }
    });

    if (v.expect === 'success') {
      it('re-encodes its header byte for byte, and re-encrypts its payload byte for byte from the file key', async () => {
        const file = v.armored ? dearmor(v.file) : v.file;
        const headerLength = findHeaderEnd(file);
        const header = parseHeader(file.subarray(0, headerLength));
        const fileKey = Buffer.from(v.fileKey!, 'hex');
        expect(headerMac(fileKey, header.macInput).equals(header.mac)).toBe(true);
        const reencoded = Buffer.concat([
          encodeHeaderWithoutMac(header.stanzas),
          Buffer.from(` ${encodeRawBase64(header.mac)}\n`),
        ]);
        expect(reencoded.equals(file.subarray(0, headerLength))).toBe(true);
        const nonce = file.subarray(headerLength, headerLength + PAYLOAD_NONCE_SIZE);
        const plaintext = await decrypt(file, { identities: identitiesFor(v), binding: null });
        const sealed: Buffer[] = [];
        for await (const piece of sealChunks([plaintext], Buffer.alloc(0), payloadKey(fileKey, nonce)))
          sealed.push(piece);
        expect(Buffer.concat(sealed).equals(file.subarray(headerLength + PAYLOAD_NONCE_SIZE))).toBe(true);
        // The same payload sealed chunk by chunk into one buffer, as the ingest worker does with its reused buffers.
        const chunks = chunkCount(plaintext.length);
        const into = Buffer.alloc(plaintext.length + chunks * TAG_SIZE);
        const sealer = new PayloadSealer(payloadKey(fileKey, nonce));
        let at = 0;
        for (let i = 0; i < chunks; i++)
          at += sealer.sealInto(plaintext.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), i === chunks - 1, into, at);
        expect(sealer.done).toBe(true);
        expect(into.equals(file.subarray(headerLength + PAYLOAD_NONCE_SIZE))).toBe(true);
      });
    }

    if (v.armored && v.expect !== 'armor failure') {
      it('armor re-encodes to the same text, up to line endings and surrounding whitespace', async () => {
        const text = v.file.toString('latin1').trim().replaceAll('\r\n', '\n');
        expect(armor(dearmor(v.file))).toBe(`${text}\n`);
      });
    }

    if (!v.armored && (v.expect === 'success' || v.expect === 'payload failure')) {
      it('random access to the whole plaintext agrees with streaming', async () => {
        const readRange = async (start: number, end: number) => v.file.subarray(start, end + 1);
        const read = async () => {
          const file = await openRandomAccess({
            size: v.file.length,
            readRange,
            identities: identitiesFor(v),
            binding: null,
          });
          return file.plaintextSize === 0 ? Buffer.alloc(0) : file.read(0, file.plaintextSize - 1);
        };
        if (v.expect === 'success') expect(sha256(await read())).toBe(v.payload);
        else await expect(read()).rejects.toBeInstanceOf(AgePayloadError);
      });
    }
  });
});
