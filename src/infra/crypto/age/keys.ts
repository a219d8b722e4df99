import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { bech32 } from '@scure/base';
import { AgeKeyError, AgeKeyFilePermissionsError } from './errors.ts';

/**
 * age X25519 keys (c2sp.org/age, "The X25519 recipient type").
 *
 * - An identity is 32 random bytes, Bech32-encoded (BIP 173 without its length limit) with the
 *   human-readable part `AGE-SECRET-KEY-` and written in upper case: `AGE-SECRET-KEY-1…`.
 * - Its recipient is X25519(identity, basepoint), Bech32 with `age`, lower case: `age1…`.
 *
 * Bech32 is @scure/base's (audited, no dependencies); X25519 is node:crypto's (OpenSSL). Raw keys
 * move in and out of OpenSSL through fixed DER prefixes (PKCS #8 and SPKI for OID 1.3.101.110),
 * which every Node 24 release accepts.
 *
 * Error messages never repeat an identity, since it is a secret key.
 */

const IDENTITY_HRP = 'age-secret-key-';
const RECIPIENT_HRP = 'age';
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** A parsed X25519 identity (secret key), ready to unwrap file keys. */
export interface AgeIdentity {
  readonly kind: 'x25519-identity';
  readonly privateKey: KeyObject;
  /** The raw 32-byte public key, used as HKDF salt when unwrapping. */
  readonly publicKey: Buffer;
  /** The matching recipient, `age1…`. */
  readonly recipient: string;
}

/** A parsed X25519 recipient (public key), ready to wrap file keys. */
export interface AgeRecipient {
  readonly kind: 'x25519-recipient';
  readonly publicKey: Buffer;
  readonly keyObject: KeyObject;
  /** The canonical lower-case encoding, `age1…`. */
  readonly recipient: string;
}

/** A new identity and its recipient, as `age-keygen` makes them. */
export function generateIdentity(): { identity: string; recipient: string } {
  const { privateKey } = generateKeyPairSync('x25519');
  const raw = rawPrivateKey(privateKey);
  const identity = encodeIdentity(raw);
  return { identity, recipient: parseIdentity(identity).recipient };
}

/** Parses `AGE-SECRET-KEY-1…` (either case, as Bech32 allows). Throws {@link AgeKeyError}. */
export function parseIdentity(text: string): AgeIdentity {
  const trimmed = text.trim();
  const raw = decodeBech32(trimmed, IDENTITY_HRP, 'identity', 'AGE-SECRET-KEY-1…');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return { kind: 'x25519-identity', privateKey, publicKey, recipient: encodeRecipient(publicKey) };
}

/** Parses `age1…` (either case). Throws {@link AgeKeyError} naming what is wrong. */
export function parseRecipient(text: string): AgeRecipient {
  const trimmed = text.trim();
  if (/^age-secret-key-/i.test(trimmed)) {
    throw new AgeKeyError(
      'Expected an age recipient (age1…) but got an identity (a secret key): give its public key instead',
    );
  }
  if (/^age1pq1/i.test(trimmed)) {
    throw new AgeKeyError('Post-quantum age recipients (age1pq1…) are not supported: give an X25519 recipient (age1…)');
  }
  const publicKey = decodeBech32(trimmed, RECIPIENT_HRP, 'recipient', 'age1…');
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch (err) {
    throw new AgeKeyError('The age recipient is not a valid X25519 public key', { cause: err });
  }
  return { kind: 'x25519-recipient', publicKey, keyObject, recipient: encodeRecipient(publicKey) };
}

/** The recipient (`age1…`) of an identity. */
export function identityToRecipient(identity: string): string {
  return parseIdentity(identity).recipient;
}

/**
 * Parses an age identity file (what `age-keygen` writes and `age -d -i FILE` reads): one identity
 * per line; empty lines and lines starting with `#` are ignored. Returns the identities in order
 * (upper case). Throws {@link AgeKeyError} naming the first bad line, without repeating it.
 */
export function parseIdentityFile(text: string): string[] {
  const identities: string[] = [];
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^AGE-PLUGIN-/i.test(line)) {
      throw new AgeKeyError(`Line ${index + 1} of the identity file is an age plugin identity, which is not supported`);
    }
    try {
      identities.push(encodeIdentity(decodeBech32(line, IDENTITY_HRP, 'identity', 'AGE-SECRET-KEY-1…')));
    } catch (err) {
      throw new AgeKeyError(
        `Line ${index + 1} of the identity file is not an age X25519 identity (AGE-SECRET-KEY-1…)`,
        { cause: err },
      );
    }
  }
  if (identities.length === 0) throw new AgeKeyError('The identity file holds no age identity (AGE-SECRET-KEY-1…)');
  return identities;
}

export interface IdentityFile {
  /** Every identity in the file, in order: all of them are tried when decrypting. */
  identities: string[];
  /** The recipient of each identity, in the same order; encrypt to the first. */
  recipients: string[];
  /** True when this call created the file. */
  created: boolean;
}

/**
 * Loads an age identity file, creating it on first use with one new identity.
 *
 * - Created with mode 0600 in a directory created with mode 0700, in the format `age-keygen`
 *   writes, so `age -d -i FILE` opens the archive with no service running. The file is written to a
 *   temporary name, flushed to disk, then hard-linked into place, so it appears whole or not at
 *   all, and two processes starting together never overwrite each other's key.
 * - An existing file must be a regular file that neither group nor others can read, write or
 *   execute (mode 0600 or stricter); otherwise {@link AgeKeyFilePermissionsError}, and nothing is
 *   read from it. The check is made on the opened file, not on the path, so it cannot be raced.
 */
export async function loadOrCreateIdentityFile(
  file: string,
  now: () => Date = () => new Date(),
): Promise<IdentityFile> {
  const existing = await readIdentityFile(file);
  if (existing !== null) return { ...existing, created: false };

  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { identity, recipient } = generateIdentity();
  const text = `# created: ${now().toISOString()}\n# public key: ${recipient}\n${identity}\n`;
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process created it first: use theirs.
    const theirs = await readIdentityFile(file);
    if (theirs === null) throw err;
    return { ...theirs, created: false };
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await syncDirectory(dir);
  return { identities: [identity], recipients: [recipient], created: true };
}

/** Loads an existing identity file (the checks of {@link loadOrCreateIdentityFile}); null when there is none. */
export async function loadIdentityFile(file: string): Promise<Omit<IdentityFile, 'created'> | null> {
  return readIdentityFile(file);
}

/**
 * Replaces an identity file whole with `identities` in order (the first is the one new files are
 * addressed to first), each with a comment line naming its public key: written to a temporary file
 * (mode 0600) beside it, flushed, then renamed over it, so the file is always complete, old or new.
 */
export async function writeIdentityFile(
  file: string,
  identities: readonly { identity: string; note: string }[],
): Promise<void> {
  if (identities.length === 0) throw new TypeError('An identity file needs at least one identity');
  const lines: string[] = [];
  for (const { identity, note } of identities) {
    const recipient = identityToRecipient(identity);
    lines.push(`# ${note.replace(/\n/g, ' ')}`, `# public key: ${recipient}`, identity);
  }
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${lines.join('\n')}\n`, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

async function readIdentityFile(file: string): Promise<Omit<IdentityFile, 'created'> | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AgeKeyError(`Cannot open the age identity file ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AgeKeyError(`The age identity file ${file} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) throw new AgeKeyFilePermissionsError(file, stat.mode);
    const text = await handle.readFile('utf8');
    let identities: string[];
    try {
      identities = parseIdentityFile(text);
    } catch (err) {
      throw new AgeKeyError(`The age identity file ${file} is invalid: ${(err as Error).message}`, { cause: err });
    }
    return { identities, recipients: identities.map(identityToRecipient) };
  } finally {
    await handle.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the file itself is already on disk.
  } finally {
    await handle.close();
  }
}

function decodeBech32(text: string, hrp: string, what: string, example: string): Buffer {
  let decoded;
  try {
    decoded = bech32.decodeToBytes(text, false);
  } catch (err) {
    // No `cause`: the library's message quotes the input, which may be a secret key.
    throw new AgeKeyError(`Not a valid age ${what} (${example}): ${bech32Problem(err)}`);
  }
  if (decoded.prefix.toLowerCase() !== hrp) {
    throw new AgeKeyError(`Not an age ${what}: expected ${example}`);
  }
  if (decoded.bytes.length !== 32) {
    throw new AgeKeyError(`Not a valid age ${what}: it holds ${decoded.bytes.length} bytes instead of 32`);
  }
  return Buffer.from(decoded.bytes);
}

/** The kind of Bech32 problem, from @scure/base's message (which must not be passed on). */
function bech32Problem(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  if (/checksum/i.test(message)) return 'bad checksum (mistyped or truncated)';
  if (/case/i.test(message)) return 'mixed upper and lower case';
  if (/length/i.test(message)) return 'too short';
  return 'not Bech32';
}

function encodeIdentity(raw: Uint8Array): string {
  return bech32.encode(IDENTITY_HRP, bech32.toWords(raw), false).toUpperCase();
}

function encodeRecipient(raw: Uint8Array): string {
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(raw), false);
}

function rawPrivateKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_X25519_PREFIX.length);
}

/** The raw 32-byte public key of an X25519 KeyObject. */
export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519_PREFIX.length);
}
