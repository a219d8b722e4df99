import { createPrivateKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from './chain.ts';
import { type Keyring, keyIdOf } from './keyring.ts';

/**
 * Signed checkpoints (Ed25519 over size + head hash) kept outside the database, so deleting the
 * newest audit rows, which leaves a shorter but self-consistent chain, is still detected.
 */
export interface Checkpoint {
  size: number;
  headHash: string;
  at: string;
}

export interface SignedCheckpoint extends Checkpoint {
  algorithm: 'ed25519';
  /** The id of the key that signed it (in the keyring); absent on checkpoints written before keys had ids. */
  keyId?: string;
  signature: string;
}

/** Loads the signing key, creating it (mode 0600) on first use. */
export async function loadOrCreateSigningKey(file: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read the audit signing key at ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // 'wx' so two processes starting together never overwrite each other's key.
  try {
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return createPrivateKey(await readFile(file, 'utf8'));
    throw err;
  }
  return privateKey;
}

/** What is signed: the key id is inside, so a checkpoint cannot be passed off as another key's. */
function payload(c: Checkpoint & { keyId?: string | undefined }): Buffer {
  const body = c.keyId
    ? { size: c.size, headHash: c.headHash, at: c.at, keyId: c.keyId }
    : { size: c.size, headHash: c.headHash, at: c.at };
  return Buffer.from(canonicalJson(body), 'utf8');
}

export function signCheckpoint(c: Checkpoint, key: KeyObject): SignedCheckpoint {
  const keyId = keyIdOf(key);
  const body = { size: c.size, headHash: c.headHash, at: c.at, keyId };
  return { ...body, algorithm: 'ed25519', signature: sign(null, payload(body), key).toString('base64') };
}

/**
 * Checks the signature with the public key its key id names; a checkpoint from before key ids is
 * accepted under any key of the keyring. Never uses a private key.
 */
export function checkpointSignatureValid(c: SignedCheckpoint, keyring: Keyring): boolean {
  if (c.algorithm !== 'ed25519' || typeof c.signature !== 'string') return false;
  const candidates = c.keyId ? [keyring.get(c.keyId)].filter((k) => k !== undefined) : [...keyring.values()];
  return candidates.some((publicKey) => {
    try {
      return verify(null, payload(c), publicKey, Buffer.from(c.signature, 'base64'));
    } catch {
      return false;
    }
  });
}

/** Replaces the signing key with a new Ed25519 key (mode 0600, written then renamed into place). */
export async function replaceSigningKey(file: string): Promise<KeyObject> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const tmp = `${file}.new`;
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  return privateKey;
}

export const CHECKPOINT_NAME = /^checkpoint-(\d{12})-(\d+)\.json$/;
const NAME = CHECKPOINT_NAME;

/** The object or file name a checkpoint is kept under: sorts by size, then by time. */
export function checkpointName(c: Checkpoint): string {
  return `checkpoint-${String(c.size).padStart(12, '0')}-${Date.parse(c.at)}.json`;
}

/** Parses a checkpoint as stored or sent, refusing anything not shaped like one. */
export function parseCheckpoint(text: string, where: string): SignedCheckpoint {
  let c: Partial<SignedCheckpoint>;
  try {
    c = JSON.parse(text) as Partial<SignedCheckpoint>;
  } catch {
    throw new Error(`${where} is not a checkpoint (not JSON)`);
  }
  if (
    typeof c !== 'object' ||
    c === null ||
    !Number.isSafeInteger(c.size) ||
    (c.size as number) < 0 ||
    typeof c.headHash !== 'string' ||
    typeof c.at !== 'string' ||
    Number.isNaN(Date.parse(c.at)) ||
    typeof c.signature !== 'string' ||
    (c.keyId !== undefined && typeof c.keyId !== 'string')
  )
    throw new Error(`${where} is not a checkpoint (size, headHash, at and signature expected)`);
  return c as SignedCheckpoint;
}

/** The names of every checkpoint in the directory, oldest (smallest) first. */
export async function listCheckpointNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => NAME.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function readCheckpointFile(dir: string, name: string): Promise<SignedCheckpoint> {
  const file = path.join(dir, name);
  return parseCheckpoint(await readFile(file, 'utf8'), file);
}

/** Writes durably (temp file, fsync, rename) under a name that sorts by size then time. */
export async function writeCheckpoint(dir: string, c: SignedCheckpoint): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = checkpointName(c);
  const tmp = path.join(dir, `.${name}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(c, null, 2));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path.join(dir, name));
  return path.join(dir, name);
}

/** The checkpoint with the largest size, or null when none has been written yet. */
export async function readLatestCheckpoint(
  dir: string,
): Promise<{ file: string; checkpoint: SignedCheckpoint } | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => NAME.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const last = names.at(-1);
  if (!last) return null;
  const file = path.join(dir, last);
  return { file, checkpoint: JSON.parse(await readFile(file, 'utf8')) as SignedCheckpoint };
}
