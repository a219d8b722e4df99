import { createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { decodeRawBase64, encodeRawBase64 } from './base64.ts';
import { AgeHeaderError, AgeKeyError } from './errors.ts';
import type { Stanza } from './header.ts';
import { rawPublicKey, type AgeIdentity, type AgeRecipient } from './keys.ts';
import { FILE_KEY_SIZE, open, seal } from './payload.ts';

/**
 * The X25519 recipient stanza (c2sp.org/age, "X25519 recipient stanza"):
 *
 *     -> X25519 <base64 ephemeral share>
 *     <base64 ChaCha20-Poly1305(wrap key, nonce = 12 zero bytes, file key)>
 *
 *     wrap key = HKDF-SHA-256(ikm = X25519(ephemeral secret, recipient),
 *                             salt = ephemeral share || recipient, info = "age-encryption.org/v1/X25519")
 *
 * A fresh ephemeral key pair is made for every stanza of every file.
 */

export const X25519_STANZA_TYPE = 'X25519';
const INFO = 'age-encryption.org/v1/X25519';
const ZERO_NONCE = Buffer.alloc(12);
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export function wrapFileKey(fileKey: Buffer, recipient: AgeRecipient): Stanza {
  const ephemeral = generateKeyPairSync('x25519');
  const share = rawPublicKey(ephemeral.publicKey);
  const shared = sharedSecret(ephemeral.privateKey, recipient.keyObject);
  if (shared === null)
    throw new AgeKeyError('The age recipient is a low-order X25519 point and cannot be encrypted to');
  const wrapKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([share, recipient.publicKey]), INFO, 32));
  return { args: [X25519_STANZA_TYPE, encodeRawBase64(share)], body: seal(wrapKey, ZERO_NONCE, fileKey) };
}

/**
 * Tries `identity` on every X25519 stanza and returns the file key, or null when none is addressed
 * to it. Stanzas of other types are ignored, as the specification requires. A malformed X25519
 * stanza (argument count, share not canonical base64 of 32 bytes, body not 32 bytes, or a share
 * giving the all-zero shared secret) is an {@link AgeHeaderError}, checked before any decryption
 * to avoid partitioning oracles.
 */
export function unwrapFileKey(stanzas: readonly Stanza[], identity: AgeIdentity): Buffer | null {
  for (const stanza of stanzas) {
    if (stanza.args[0] !== X25519_STANZA_TYPE) continue;
    if (stanza.args.length !== 2) throw new AgeHeaderError('an X25519 stanza must have exactly two arguments');
    const share = decodeRawBase64(stanza.args[1]!);
    if (share === null || share.length !== 32) {
      throw new AgeHeaderError('an X25519 stanza share is not canonical base64 of 32 bytes');
    }
    if (stanza.body.length !== FILE_KEY_SIZE + 16) throw new AgeHeaderError('an X25519 stanza body is not 32 bytes');
    let sharePublicKey: KeyObject;
    try {
      sharePublicKey = createPublicKey({
        key: Buffer.concat([SPKI_X25519_PREFIX, share]),
        format: 'der',
        type: 'spki',
      });
    } catch (err) {
      throw new AgeHeaderError('an X25519 stanza share is not an X25519 public key', { cause: err });
    }
    const shared = sharedSecret(identity.privateKey, sharePublicKey);
    if (shared === null) throw new AgeHeaderError('an X25519 stanza share is a low-order point');
    const wrapKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([share, identity.publicKey]), INFO, 32));
    const fileKey = open(wrapKey, ZERO_NONCE, stanza.body);
    if (fileKey !== null) return fileKey;
  }
  return null;
}

/** X25519 shared secret, or null when it is all zero (a low-order point: the spec requires aborting). */
function sharedSecret(privateKey: KeyObject, publicKey: KeyObject): Buffer | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey, publicKey });
  } catch {
    // OpenSSL refuses to derive an all-zero X25519 secret.
    return null;
  }
  return shared.every((byte) => byte === 0) ? null : shared;
}
