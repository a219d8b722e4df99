import { AgeHeaderError, AgeHeaderMacError, AgeNoIdentityMatchError } from './errors.ts';
import { encodeHeader, findHeaderEnd, headerMacValid, parseHeader, type Stanza } from './header.ts';
import { parseRecipient, type AgeIdentity, type AgeRecipient } from './keys.ts';
import { parseIdentities } from './decrypt.ts';
import { X25519_STANZA_TYPE, unwrapFileKey, wrapFileKey } from './x25519.ts';

/**
 * Key rotation without re-encryption. An age file's payload is sealed under a key derived from its
 * random file key and payload nonce only; the recipients appear nowhere but in the header. So a file
 * can be handed to other recipients by unwrapping its file key with an identity that opens it and
 * writing a new header — fresh X25519 stanzas for the new recipients, every other stanza (the
 * binding) kept as it was, and the header MAC recomputed with the same file key. The payload (nonce
 * and chunks) stays byte for byte what it was, and any age implementation opens the result.
 */

/** What a header says about the identities held: which of them open it, and how many recipient stanzas it has. */
export interface HeaderRecipients {
  /** For each identity given, in order: whether it unwraps the file key (and the header MAC then verifies). */
  opens: boolean[];
  /** X25519 stanzas in the header (one per recipient, whoever holds the identity). */
  recipientStanzas: number;
  /** The header's length in bytes: the payload (nonce and chunks) starts here. */
  length: number;
}

/**
 * Where the header ends in the first bytes of a file: its length, `-1` when more bytes are needed,
 * or `null` when the bytes are not an age v1 file at all (a file stored unencrypted).
 */
export function ageHeaderLength(prefix: Buffer): number | null {
  try {
    return findHeaderEnd(prefix);
  } catch (err) {
    if (err instanceof AgeHeaderError) return null;
    throw err;
  }
}

/** Which of `identities` open the header `bytes` (exactly one header, as {@link ageHeaderLength} measures). */
export function inspectHeader(bytes: Buffer, identities: readonly (string | AgeIdentity)[]): HeaderRecipients {
  const header = parseHeader(bytes);
  const opens = parseIdentities(identities).map((identity) => {
    const fileKey = unwrapFileKey(header.stanzas, identity);
    return fileKey !== null && headerMacValid(fileKey, header);
  });
  return {
    opens,
    recipientStanzas: header.stanzas.filter((s) => s.args[0] === X25519_STANZA_TYPE).length,
    length: header.length,
  };
}

/**
 * A new header for the same file key, addressed to `recipients` (every X25519 stanza is replaced;
 * other stanzas, such as the binding, are kept in their order after them) with a new MAC.
 *
 * Throws `AgeNoIdentityMatchError` when no identity opens the header and `AgeHeaderMacError` when
 * its MAC does not verify: a header is only ever rewritten once it is known to be authentic.
 */
export function rewrapHeader(
  bytes: Buffer,
  opts: { identities: readonly (string | AgeIdentity)[]; recipients: readonly (string | AgeRecipient)[] },
): Buffer {
  const header = parseHeader(bytes);
  let fileKey: Buffer | null = null;
  for (const identity of parseIdentities(opts.identities)) {
    fileKey = unwrapFileKey(header.stanzas, identity);
    if (fileKey !== null) break;
  }
  if (fileKey === null) throw new AgeNoIdentityMatchError();
  const key: Buffer = fileKey;
  if (!headerMacValid(key, header)) throw new AgeHeaderMacError();
  if (opts.recipients.length === 0) throw new TypeError('At least one age recipient is required');
  const recipients = new Map<string, AgeRecipient>();
  for (const r of opts.recipients) {
    const parsed = typeof r === 'string' ? parseRecipient(r) : r;
    recipients.set(parsed.recipient, parsed);
  }
  const stanzas: Stanza[] = [...recipients.values()].map((r) => wrapFileKey(key, r));
  for (const stanza of header.stanzas) if (stanza.args[0] !== X25519_STANZA_TYPE) stanzas.push(stanza);
  return encodeHeader(stanzas, key);
}
