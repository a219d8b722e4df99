import { decodeRawBase64, encodeRawBase64 } from './base64.ts';
import { AgeBindingError } from './errors.ts';
import type { Stanza } from './header.ts';

/**
 * Binding a file to its context (for recordings, the recording id).
 *
 * The binding travels as one extra header stanza of a type no identity claims:
 *
 *     -> cp-conference-records/binding <unpadded base64 of the UTF-8 context string>
 *     (empty body line)
 *
 * Why this is sound and compatible:
 * - The header MAC covers every header byte up to `---`, so the stanza cannot be changed, removed
 *   or copied from another file without the file key: moving an encrypted file to another
 *   recording's place is detected as an {@link AgeBindingError} once the file key is unwrapped and
 *   the MAC verified.
 * - The specification requires identity implementations to ignore stanzas they do not recognise
 *   ("Identity implementations MUST ignore unrecognized stanzas"), and recommends namespaced type
 *   names for non-native stanzas; `age -d` (checked in the tests against the `age` binary) decrypts
 *   these files and ignores the binding. The C2SP "grease" vectors test the same rule.
 * - The argument is base64 so any context string fits the ABNF (`argument = 1*VCHAR`).
 *
 * What it is not: a signature. Anyone holding the recipient (a public key) can make a new file
 * bound to any context; the binding detects swapped or misfiled ciphertexts, not forgeries.
 */

export const BINDING_STANZA_TYPE = 'cp-conference-records/binding';
/** Longest accepted context, in UTF-8 bytes. */
export const MAX_BINDING_BYTES = 512;

/** Validates a context string and returns its UTF-8 bytes. Throws TypeError for bad input. */
export function bindingBytes(binding: string): Buffer {
  if (typeof binding !== 'string' || binding.length === 0)
    throw new TypeError('The age binding must be a non-empty string');
  const bytes = Buffer.from(binding, 'utf8');
  if (bytes.toString('utf8') !== binding) throw new TypeError('The age binding is not well-formed Unicode');
  if (bytes.length > MAX_BINDING_BYTES)
    throw new TypeError(`The age binding must be at most ${MAX_BINDING_BYTES} UTF-8 bytes`);
  return bytes;
}

export function bindingStanza(binding: string): Stanza {
  return { args: [BINDING_STANZA_TYPE, encodeRawBase64(bindingBytes(binding))], body: Buffer.alloc(0) };
}

/**
 * Checks the (MAC-verified) stanzas carry exactly the expected binding: `null` expects none, as
 * for files made by other age tools. Throws {@link AgeBindingError}.
 */
export function checkBinding(stanzas: readonly Stanza[], expected: string | null): void {
  const found = stanzas.filter((stanza) => stanza.args[0] === BINDING_STANZA_TYPE);
  if (found.length > 1) throw new AgeBindingError('The encrypted file carries more than one binding');
  const stanza = found[0];
  if (expected === null) {
    if (stanza) throw new AgeBindingError('The encrypted file is bound to a context, but none was expected');
    return;
  }
  const expectedBytes = bindingBytes(expected);
  if (!stanza) throw new AgeBindingError('The encrypted file carries no binding, but one was expected');
  const actual = stanza.args.length === 2 && stanza.body.length === 0 ? decodeRawBase64(stanza.args[1]!) : null;
  if (actual === null) throw new AgeBindingError('The encrypted file carries a malformed binding');
  if (!actual.equals(expectedBytes)) {
    throw new AgeBindingError(
      'The encrypted file is bound to a different context than expected (files swapped or misfiled)',
    );
  }
}
