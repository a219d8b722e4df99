import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from './chain.ts';

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
  signature: string;
}

/** Loads the signing key if it exists; verification never creates one. */
export async function loadSigningKey(file: string): Promise<KeyObject | null> {
  try {
    return createPrivateKey(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read the audit signing key at ${file}: ${(err as Error).message}`, { cause: err });
  }
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

function payload(c: Checkpoint): Buffer {
  return Buffer.from(canonicalJson({ size: c.size, headHash: c.headHash, at: c.at }), 'utf8');
}

export function signCheckpoint(c: Checkpoint, key: KeyObject): SignedCheckpoint {
  return { ...c, algorithm: 'ed25519', signature: sign(null, payload(c), key).toString('base64') };
}

export function checkpointSignatureValid(c: SignedCheckpoint, key: KeyObject): boolean {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  try {
    return verify(null, payload(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

const NAME = /^checkpoint-(\d{12})-(\d+)\.json$/;

/** Writes durably (temp file, fsync, rename) under a name that sorts by size then time. */
export async function writeCheckpoint(dir: string, c: SignedCheckpoint): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = `checkpoint-${String(c.size).padStart(12, '0')}-${Date.parse(c.at)}.json`;
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
