// Interoperability with the `age` command-line tool (Debian's `age`, installed by scripts/test), in
// both directions: a council must always be able to open its archive without this service.
// recordings stored securely, and retrievable for as long as they are retained.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgeBindingError,
  AgeNoIdentityMatchError,
  CHUNK_SIZE,
  armor,
  dearmor,
  decrypt,
  encrypt,
  generateIdentity,
  loadOrCreateIdentityFile,
  openRandomAccess,
} from './index.ts';

const RECORDING = 'b6f1d1f4-2f6e-4a8e-9d57-1f0f5d7c3a21';
const SIZES = [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 4 * 1024 * 1024 + 17];

let dir: string;
const council = generateIdentity();
const recovery = generateIdentity();

function age(args: string[], input?: Buffer): Buffer {
  const result = spawnSync('age', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`The age binary could not be run (install Debian's age): ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`age ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return result.stdout;
}

async function keyFile(name: string, identity: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `# test key\n${identity}\n`, { mode: 0o600 });
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-age-cli-'));
  expect(execFileSync('age', ['--version']).toString()).toMatch(/\d+\.\d+/);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('files we encrypt open with `age -d`', () => {
  it.each(SIZES)('%i bytes, ignoring the binding stanza', async (size) => {
    const plaintext = randomBytes(size);
    const file = path.join(dir, `ours-${size}.age`);
    await writeFile(file, await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING }));
    const out = age(['-d', '-i', await keyFile('council.txt', council.identity), file]);
    expect(out.equals(plaintext)).toBe(true);
  });

  it('with two recipients, by either identity alone', async () => {
    const plaintext = randomBytes(CHUNK_SIZE * 2 + 5);
    const file = path.join(dir, 'ours-two.age');
    await writeFile(
      file,
      await encrypt(plaintext, { recipients: [council.recipient, recovery.recipient], binding: RECORDING }),
    );
    expect(age(['-d', '-i', await keyFile('council.txt', council.identity), file]).equals(plaintext)).toBe(true);
    expect(age(['-d', '-i', await keyFile('recovery.txt', recovery.identity), file]).equals(plaintext)).toBe(true);
    const other = await keyFile('other.txt', generateIdentity().identity);
    expect(() => age(['-d', '-i', other, file])).toThrow(/no identity matched/);
  });

  it('armored with armor(), as `age -a` would write them', async () => {
    const plaintext = randomBytes(CHUNK_SIZE + 3);
    const file = path.join(dir, 'ours.age.asc');
    await writeFile(file, armor(await encrypt(plaintext, { recipients: [council.recipient], binding: RECORDING })));
    expect(age(['-d', '-i', await keyFile('council.txt', council.identity), file]).equals(plaintext)).toBe(true);
  });

  it('using the identity file the service creates', async () => {
    const keys = path.join(dir, 'keys', 'recordings.txt');
    const { identities, recipients } = await loadOrCreateIdentityFile(keys);
    const plaintext = randomBytes(1000);
    const file = path.join(dir, 'ours-service-key.age');
    await writeFile(file, await encrypt(plaintext, { recipients, binding: RECORDING }));
    expect(age(['-d', '-i', keys, file]).equals(plaintext)).toBe(true);
    expect((await decrypt(await readFile(file), { identities, binding: RECORDING })).equals(plaintext)).toBe(true);
  });

  it('and `age -d` also rejects them once altered (it checks what we check)', async () => {
    const ciphertext = await encrypt(randomBytes(3 * CHUNK_SIZE), {
      recipients: [council.recipient],
      binding: RECORDING,
    });
    const key = await keyFile('council.txt', council.identity);
    const headerEnd = ciphertext.indexOf('\n', ciphertext.indexOf('\n--- ') + 1) + 1;
    // The binding stanza's argument: covered by the header MAC, so age refuses the edit too.
    const bindingAt = ciphertext.indexOf('binding ') + 8;
    for (const offset of [bindingAt, headerEnd + 2 * 65552 + 9]) {
      const altered = Buffer.from(ciphertext);
      altered[offset]! ^= 0x02;
      const file = path.join(dir, 'altered.age');
      await writeFile(file, altered);
      expect(() => age(['-d', '-i', key, file])).toThrow(/exited 1/);
    }
  });
});

describe('files `age -e` makes open with ours', () => {
  it.each(SIZES)('%i bytes, streamed and by random access', async (size) => {
    const plaintext = randomBytes(size);
    const ciphertext = age(['-e', '-r', council.recipient], plaintext);
    expect((await decrypt(ciphertext, { identities: [council.identity], binding: null })).equals(plaintext)).toBe(true);
    const opened = await openRandomAccess({
      size: ciphertext.length,
      readRange: async (start, end) => ciphertext.subarray(start, end + 1),
      identities: [council.identity],
      binding: null,
    });
    expect(opened.plaintextSize).toBe(size);
    if (size > 0) {
      const start = Math.floor(size / 3);
      expect((await opened.read(start, size - 1)).equals(plaintext.subarray(start))).toBe(true);
    }
  });

  it('with two recipients, by either identity alone', async () => {
    const plaintext = randomBytes(CHUNK_SIZE + 1);
    const ciphertext = age(['-e', '-r', council.recipient, '-r', recovery.recipient], plaintext);
    for (const identity of [council.identity, recovery.identity]) {
      expect((await decrypt(ciphertext, { identities: [identity], binding: null })).equals(plaintext)).toBe(true);
    }
    await expect(
      decrypt(ciphertext, { identities: [generateIdentity().identity], binding: null }),
    ).rejects.toBeInstanceOf(AgeNoIdentityMatchError);
  });

  it('armored (`age -a`), through dearmor', async () => {
    const plaintext = randomBytes(3000);
    const armored = age(['-e', '-a', '-r', council.recipient], plaintext);
    expect(armored.toString()).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    expect((await decrypt(dearmor(armored), { identities: [council.identity], binding: null })).equals(plaintext)).toBe(
      true,
    );
    await expect(decrypt(armored, { identities: [council.identity], binding: null })).rejects.toThrow(
      /ASCII-armored: decode it with dearmor/,
    );
  });

  it('but carry no binding, so a caller expecting one is refused', async () => {
    const ciphertext = age(['-e', '-r', council.recipient], Buffer.from('unbound'));
    await expect(decrypt(ciphertext, { identities: [council.identity], binding: RECORDING })).rejects.toBeInstanceOf(
      AgeBindingError,
    );
  });
});
