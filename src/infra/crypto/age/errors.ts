/**
 * Errors of the age module. Every failure is an {@link AgeError} with a stable `code`, so callers
 * (the recordings store, HTTP range serving, the CLI) can map them without parsing messages.
 *
 * Messages never contain key material, plaintext or the binding value of a file (a binding is a
 * recording id: it is not personal data, but it is the caller's to log, not ours).
 *
 * Hierarchy:
 * - {@link AgeError}
 *   - {@link AgeKeyError}: a bad identity, recipient or key file (input the operator supplied).
 *   - {@link AgeKeyFilePermissionsError}: an identity file readable by others.
 *   - {@link AgeArmorError}: ASCII armor that is not strict PEM.
 *   - {@link AgeNoIdentityMatchError}: no given identity opens the file (other keys, or a damaged
 *     recipient stanza: the two cannot be told apart).
 *   - {@link AgeBindingError}: the file is intact but belongs to another context (recording).
 *   - {@link AgeIntegrityError}: the file is malformed, damaged or was altered.
 *     - {@link AgeHeaderError}: the header does not parse (or the payload nonce is missing).
 *     - {@link AgeHeaderMacError}: the header parses but its MAC is wrong.
 *     - {@link AgePayloadError}: a payload chunk fails authentication, the file is truncated,
 *       or data follows the final chunk.
 */
export class AgeError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad identity (`AGE-SECRET-KEY-1…`), recipient (`age1…`) or identity file. */
export class AgeKeyError extends AgeError {
  constructor(message: string, options?: ErrorOptions) {
    super('AGE_KEY_INVALID', message, options);
  }
}

/** An existing identity file whose permissions let anyone but its owner read or write it. */
export class AgeKeyFilePermissionsError extends AgeError {
  readonly mode: number;

  constructor(file: string, mode: number) {
    super(
      'AGE_KEY_FILE_PERMISSIONS',
      `Refusing to use the age identity file ${file}: its permissions are ${formatMode(mode)}, looser than 0600. ` +
        `Restrict it with: chmod 600 '${file}'`,
    );
    this.mode = mode;
  }
}

/** ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`) that is not strict, canonical PEM. */
export class AgeArmorError extends AgeError {
  constructor(message: string) {
    super('AGE_ARMOR_INVALID', `Invalid age armor: ${message}`);
  }
}

/**
 * None of the identities unwrapped the file key. Either the file was encrypted to other keys, or
 * the recipient stanza meant for these identities is damaged: age cannot tell these apart.
 */
export class AgeNoIdentityMatchError extends AgeError {
  constructor() {
    super(
      'AGE_NO_IDENTITY_MATCH',
      'None of the given age identities can open this file: it was encrypted to other keys, or its header is damaged',
    );
  }
}

/**
 * The file decrypts and is intact, but its binding (the context it was encrypted for, such as a
 * recording id) is not the one expected: for example two stored files were swapped.
 */
export class AgeBindingError extends AgeError {
  constructor(message: string) {
    super('AGE_BINDING_MISMATCH', message);
  }
}

/**
 * The file is malformed, damaged or was altered. Subclasses say where. A streaming consumer that
 * sees this (or any {@link AgeError}) after receiving some plaintext must treat everything it
 * received as invalid.
 */
export class AgeIntegrityError extends AgeError {}

/** The header does not parse as age v1 (including a missing or short payload nonce). */
export class AgeHeaderError extends AgeIntegrityError {
  constructor(message: string, options?: ErrorOptions) {
    super('AGE_HEADER_INVALID', `Invalid age header: ${message}`, options);
  }
}

/** The header parses and a file key was unwrapped, but the header MAC does not match. */
export class AgeHeaderMacError extends AgeIntegrityError {
  constructor() {
    super('AGE_HEADER_MAC', 'The age header MAC does not match: the header was altered or damaged');
  }
}

/** A payload chunk fails authentication, the payload is truncated, or data follows its end. */
export class AgePayloadError extends AgeIntegrityError {
  constructor(message: string) {
    super('AGE_PAYLOAD_INVALID', `Invalid age payload: ${message}`);
  }
}

function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}
