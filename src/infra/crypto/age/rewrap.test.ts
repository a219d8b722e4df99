// Key rotation by rewriting the header only: the payload stays byte for byte the same, the file key
// is the same, and the result opens with the `age` binary and the new identity alone.
// the original is kept bit for bit; R-4: recordings retrievable for as long as they are retained.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgeBindingError,
  AgeNoIdentityMatchError,
  CHUNK_SIZE,
  ageHeaderLength,
  decrypt,
  encrypt,
  generateIdentity,
  inspectHeader,
  openRandomAccess,
  rewrapHeader,
} from './index.ts';

const RECORDING = '0d8e2a4c-5b1f-4c3e-9a7d-2e6f8b1c4d90';
const oldKey = generateIdentity();
const newKey = generateIdentity();
const recovery = generateIdentity();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-age-rewrap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function split(file: Buffer): { header: Buffer; payload: Buffer } {
  const length = ageHeaderLength(file)!;
  return { header: file.subarray(0, length), payload: file.subarray(length) };
}

function ageDecrypt(file: string, identity: string): Buffer {
  const keyFile = `${file}.key`;
  spawnSync('sh', ['-c', `umask 077; cat > "${keyFile}"`], { input: `${identity}\n` });
  const result = spawnSync('age', ['-d', '-i', keyFile, file], { maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`The age binary could not be run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`age -d exited ${result.status}: ${result.stderr.toString()}`);
  return result.stdout;
}

describe('rewrapping a header for new recipients', () => {
  it.each([0, 1, CHUNK_SIZE, 3 * CHUNK_SIZE + 5])(
    'R-3: %i bytes: the payload is unchanged, and `age -d` opens it with the new identity',
    async (size) => {
      const plaintext = randomBytes(size);
      const before = await encrypt(plaintext, {
        recipients: [oldKey.recipient, recovery.recipient],
        binding: RECORDING,
      });
      const { header, payload } = split(before);

      const header2 = rewrapHeader(header, {
        identities: [oldKey.identity],
        recipients: [newKey.recipient, oldKey.recipient, recovery.recipient],
      });
      const after = Buffer.concat([header2, payload]);
      expect(split(after).payload.equals(payload)).toBe(true);
      expect(header2.equals(header)).toBe(false);

      // Each identity alone opens it, and the binding was carried over under the new MAC.
      for (const who of [newKey, oldKey, recovery]) {
        expect((await decrypt(after, { identities: [who.identity], binding: RECORDING })).equals(plaintext)).toBe(true);
      }
      await expect(decrypt(after, { identities: [newKey.identity], binding: 'another' })).rejects.toThrow(
        AgeBindingError,
      );
      const file = path.join(dir, `rewrapped-${size}.age`);
      await writeFile(file, after);
      expect(ageDecrypt(file, newKey.identity).equals(plaintext)).toBe(true);
    },
  );

  it('retiring the old identity leaves a header it cannot open; random access still reads the new file', async () => {
    const plaintext = randomBytes(2 * CHUNK_SIZE + 100);
    const before = await encrypt(plaintext, { recipients: [oldKey.recipient], binding: RECORDING });
    const { header, payload } = split(before);
    const both = rewrapHeader(header, {
      identities: [oldKey.identity],
      recipients: [newKey.recipient, oldKey.recipient],
    });
    expect(inspectHeader(both, [newKey.identity, oldKey.identity])).toEqual({
      opens: [true, true],
      recipientStanzas: 2,
      length: both.length,
    });
    const retired = rewrapHeader(both, { identities: [newKey.identity], recipients: [newKey.recipient] });
    expect(inspectHeader(retired, [newKey.identity, oldKey.identity])).toMatchObject({
      opens: [true, false],
      recipientStanzas: 1,
    });
    const after = Buffer.concat([retired, payload]);
    await expect(decrypt(after, { identities: [oldKey.identity], binding: RECORDING })).rejects.toThrow(
      AgeNoIdentityMatchError,
    );
    const file = await openRandomAccess({
      identities: [newKey.identity],
      binding: RECORDING,
      size: after.length,
      readRange: async (start, end) => after.subarray(start, end + 1),
    });
    expect(
      (await file.read(CHUNK_SIZE - 3, CHUNK_SIZE + 3)).equals(plaintext.subarray(CHUNK_SIZE - 3, CHUNK_SIZE + 4)),
    ).toBe(true);
  });

  it('refuses to rewrap a header no identity opens, or whose MAC does not verify', async () => {
    const before = await encrypt(randomBytes(10), { recipients: [oldKey.recipient], binding: RECORDING });
    const { header } = split(before);
    expect(() => rewrapHeader(header, { identities: [newKey.identity], recipients: [newKey.recipient] })).toThrow(
      AgeNoIdentityMatchError,
    );
    const tampered = Buffer.from(header);
    tampered[tampered.length - 5] = tampered[tampered.length - 5] === 0x41 ? 0x42 : 0x41;
    expect(() => rewrapHeader(tampered, { identities: [oldKey.identity], recipients: [newKey.recipient] })).toThrow();
  });

  it('tells a file that is not age apart from a header that needs more bytes', () => {
    expect(ageHeaderLength(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(ageHeaderLength(Buffer.from('age-encryption.org/v1\n-> X25519 abc\n'))).toBe(-1);
  });
});
