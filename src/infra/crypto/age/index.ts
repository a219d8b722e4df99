/**
 * Encryption at rest in the standard age v1 format (c2sp.org/age), so that a council can always
 * open its archive with the `age` command-line tool, with or without this service:
 *
 *     age -d -i recordings-identity.txt recording.age > recording.webm
 *
 * Format decisions (each is checked in the tests against the C2SP test vectors and the `age`
 * binary, in both directions):
 * - X25519 recipients only (`age1…`): the council's recipient and, optionally, an offline recovery
 *   recipient, each able to decrypt alone. Post-quantum, scrypt (passphrase) and plugin recipients
 *   are not produced or accepted.
 * - One random 16-byte file key per file; header MAC; 16-byte payload nonce; STREAM payload in
 *   64 KiB ChaCha20-Poly1305 chunks with the last-chunk flag. Every primitive is node:crypto's
 *   (OpenSSL); Bech32 is @scure/base's. Nothing cryptographic is implemented here.
 * - Each file is bound to a context string (the recording id) by an extra header stanza
 *   `-> cp-conference-records/binding <base64>` that the header MAC covers and that `age`
 *   ignores, as the specification requires of unknown stanzas (see binding.ts). Decrypting with
 *   another expected binding fails with `AgeBindingError`, so swapped files are detected.
 * - Streaming decryption verifies every chunk before yielding it and fails on truncation or
 *   trailing data; a consumer must treat any error as "nothing valid" (see `decryptStream`).
 * - Random access (`openRandomAccess`) decrypts only the chunks a byte range overlaps, after
 *   verifying the header and the final chunk, for HTTP Range requests.
 * - The identity file is `age-keygen`'s format, created 0600 in a 0700 directory, and refused when
 *   its permissions are looser (`loadOrCreateIdentityFile`).
 *
 * Errors are `AgeError`s with stable codes (errors.ts); the integrity ones extend
 * `AgeIntegrityError`.
 */
export { armor, dearmor } from './armor.ts';
export { BINDING_STANZA_TYPE, MAX_BINDING_BYTES } from './binding.ts';
export type { ByteSource } from './bytes.ts';
export { decrypt, decryptStream, readHeader, type DecryptOptions } from './decrypt.ts';
export { PayloadSealer, beginEncryption, encrypt, encryptStream, type EncryptOptions } from './encrypt.ts';
export {
  AgeArmorError,
  AgeBindingError,
  AgeError,
  AgeHeaderError,
  AgeHeaderMacError,
  AgeIntegrityError,
  AgeKeyError,
  AgeKeyFilePermissionsError,
  AgeNoIdentityMatchError,
  AgePayloadError,
} from './errors.ts';
export {
  generateIdentity,
  identityToRecipient,
  loadIdentityFile,
  loadOrCreateIdentityFile,
  parseIdentity,
  parseIdentityFile,
  parseRecipient,
  type AgeIdentity,
  type AgeRecipient,
  type IdentityFile,
  writeIdentityFile,
} from './keys.ts';
export { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, PAYLOAD_NONCE_SIZE, ciphertextSize, plaintextSize } from './payload.ts';
export { ageHeaderLength, inspectHeader, rewrapHeader, type HeaderRecipients } from './rewrap.ts';
export {
  AgeOpenedPayload,
  decryptRange,
  openRandomAccess,
  type AgeRandomAccessFile,
  type RandomAccessOptions,
  type ReadRange,
} from './random-access.ts';
