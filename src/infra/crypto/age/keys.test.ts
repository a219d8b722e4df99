// age X25519 keys: encodings, the identity file format, and the identity file's permissions.
// recordings are stored securely; the identity file is what opens the archive.
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AgeKeyError,
  AgeKeyFilePermissionsError,
  generateIdentity,
  identityToRecipient,
  loadOrCreateIdentityFile,
  parseIdentity,
  parseIdentityFile,
  parseRecipient,
} from './index.ts';

// The example keys of the age specification (c2sp.org/age, "The X25519 recipient type").
const SPEC_IDENTITY = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
const SPEC_RECIPIENT = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

describe('identities and recipients', () => {
  it('derives the specification example recipient from its identity', () => {
    expect(identityToRecipient(SPEC_IDENTITY)).toBe(SPEC_RECIPIENT);
    expect(parseRecipient(SPEC_RECIPIENT).recipient).toBe(SPEC_RECIPIENT);
  });

  it('generates identities in the age-keygen format, each one new', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(a.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(identityToRecipient(a.identity)).toBe(a.recipient);
    expect(b.identity).not.toBe(a.identity);
  });

  it('agrees with age-keygen on the recipient of an identity', () => {
    const { identity, recipient } = generateIdentity();
    const fromAge = execFileSync('age-keygen', ['-y'], { input: `${identity}\n` })
      .toString()
      .trim();
    expect(fromAge).toBe(recipient);
    const keygen = execFileSync('age-keygen', { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const [theirs] = parseIdentityFile(keygen);
    expect(keygen).toContain(`# public key: ${identityToRecipient(theirs!)}`);
  });

  it('accepts either case, as Bech32 allows, and normalises it', () => {
    expect(parseRecipient(SPEC_RECIPIENT.toUpperCase()).recipient).toBe(SPEC_RECIPIENT);
    expect(parseIdentity(SPEC_IDENTITY.toLowerCase()).recipient).toBe(SPEC_RECIPIENT);
  });

  it.each([
    ['', /Not a valid age recipient \(age1…\): too short/],
    ['hello', /Not a valid age recipient \(age1…\): too short/],
    [
      'age1 zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj',
      /Not a valid age recipient \(age1…\): not Bech32/,
    ],
    [`${SPEC_RECIPIENT.slice(0, -1)}q`, /bad checksum/],
    ['age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ', /mixed upper and lower case/],
    [SPEC_IDENTITY, /got an identity \(a secret key\)/],
    ['age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5', /Post-quantum/],
    ['bc1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqscq8qp3', /Not an age recipient: expected age1…/],
    ['age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjpv76x', /holds 20 bytes instead of 32/],
  ])('refuses the recipient %j with a clear error', (input, message) => {
    expect(() => parseRecipient(input)).toThrow(AgeKeyError);
    expect(() => parseRecipient(input)).toThrow(message);
  });

  it('never repeats a secret key in an error', () => {
    const { identity } = generateIdentity();
    const mistyped = `${identity.slice(0, 30)}${identity[30] === 'Q' ? 'P' : 'Q'}${identity.slice(31)}`;
    const texts: string[] = [];
    for (const attempt of [
      () => parseIdentity(mistyped),
      () => parseIdentityFile(`${mistyped}\n`),
      () => parseRecipient(mistyped),
    ]) {
      try {
        attempt();
      } catch (err) {
        // The whole chain, as a logger serialising the error and its causes would see it.
        for (let e: unknown = err; e instanceof Error; e = e.cause) texts.push(`${e.message} ${e.stack ?? ''}`);
      }
    }
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(texts[0]).toMatch(/bad checksum/);
    for (const text of texts) expect(text.toUpperCase()).not.toContain(identity.slice(32, 56));
  });
});

describe('parseIdentityFile', () => {
  it('reads the identities of an age key file, skipping comments and blank lines', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const text =
      `# created: 2025-01-01T00:00:00Z\r\n# public key: ${a.recipient}\r\n${a.identity}\r\n` +
      `\n  \n# older key\n${b.identity.toLowerCase()}\n`;
    expect(parseIdentityFile(text)).toEqual([a.identity, b.identity]);
  });

  it('names the bad line without repeating it', () => {
    const { identity } = generateIdentity();
    const broken = identity.slice(0, -1);
    expect(() => parseIdentityFile(`# key\n${broken}\n`)).toThrow(
      /^Line 2 of the identity file is not an age X25519 identity/,
    );
    try {
      parseIdentityFile(`# key\n${broken}\n`);
    } catch (err) {
      expect((err as Error).message).not.toContain(broken.slice(16));
    }
  });

  it('refuses plugin identities and files with no identity', () => {
    expect(() => parseIdentityFile('AGE-PLUGIN-YUBIKEY-1QQQQQQ\n')).toThrow(/plugin identity, which is not supported/);
    expect(() => parseIdentityFile('# nothing here\n\n')).toThrow(/holds no age identity/);
  });
});

describe('loadOrCreateIdentityFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-age-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file 0600 in a new 0700 directory, in the format age reads, and reuses it', async () => {
    const file = path.join(dir, 'keys', 'nested', 'recordings.txt');
    const first = await loadOrCreateIdentityFile(file, () => new Date('2025-03-04T05:06:07Z'));
    expect(first.created).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(
      `# created: 2025-03-04T05:06:07.000Z\n# public key: ${first.recipients[0]}\n${first.identities[0]}\n`,
    );
    expect(execFileSync('age-keygen', ['-y', file]).toString().trim()).toBe(first.recipients[0]);

    const second = await loadOrCreateIdentityFile(file);
    expect(second).toEqual({ ...first, created: false });
  });

  it('creates exactly one identity when two callers race', async () => {
    const file = path.join(dir, 'race.txt');
    const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateIdentityFile(file)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.identities[0])).size).toBe(1);
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o700 | 0o044])(
    'refuses an existing file with mode %o, naming the fix',
    async (mode) => {
      const file = path.join(dir, 'loose.txt');
      await writeFile(file, `${generateIdentity().identity}\n`, { mode: 0o600 });
      await chmod(file, mode);
      const attempt = loadOrCreateIdentityFile(file);
      await expect(attempt).rejects.toBeInstanceOf(AgeKeyFilePermissionsError);
      await expect(loadOrCreateIdentityFile(file)).rejects.toThrow(
        new RegExp(`permissions are 0${mode.toString(8)}, looser than 0600.*chmod 600`),
      );
    },
  );

  it('accepts an existing file that is 0600 or stricter', async () => {
    const file = path.join(dir, 'strict.txt');
    const { identity, recipient } = generateIdentity();
    await writeFile(file, `${identity}\n`, { mode: 0o400 });
    await expect(loadOrCreateIdentityFile(file)).resolves.toEqual({
      identities: [identity],
      recipients: [recipient],
      created: false,
    });
  });

  it('refuses an existing file that is not an identity file, without replacing it', async () => {
    const file = path.join(dir, 'wrong.txt');
    await writeFile(file, 'not a key\n', { mode: 0o600 });
    await expect(loadOrCreateIdentityFile(file)).rejects.toThrow(/identity file .*wrong\.txt is invalid: Line 1/);
    expect(await readFile(file, 'utf8')).toBe('not a key\n');
  });
});
