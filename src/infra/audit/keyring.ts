import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The public keys audit checkpoints are verified with, by key id. Verification never needs the private
 * key: whoever can read the signing key can sign, but only the keyring says whose signatures count.
 */
export type Keyring = Map<string, KeyObject>;

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (SubjectPublicKeyInfo, DER). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;

/** Reads every public key in the file (PEM blocks, one after another). A missing file is an empty keyring. */
export async function loadKeyring(file: string): Promise<Keyring> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`Cannot read the audit verification keyring at ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (text.includes('PRIVATE KEY'))
    throw new Error(
      `The audit verification keyring at ${file} holds a private key: it must hold public keys only (BEGIN PUBLIC KEY)`,
    );
  const ring: Keyring = new Map();
  for (const block of text.match(PEM_BLOCK) ?? []) {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch (err) {
      throw new Error(`The audit verification keyring at ${file} holds a key that cannot be read`, { cause: err });
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`The audit verification keyring at ${file} holds a ${key.asymmetricKeyType} key: only Ed25519`);
    ring.set(keyIdOf(key), key);
  }
  return ring;
}

/** Adds the key's public half to the keyring file (created 0644 if missing) unless it is there already. */
export async function addToKeyring(file: string, key: KeyObject): Promise<{ keyId: string; added: boolean }> {
  const keyId = keyIdOf(key);
  const ring = await loadKeyring(file);
  if (ring.has(keyId)) return { keyId, added: false };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, publicKeyPem(key), { mode: 0o644 });
  return { keyId, added: true };
}
