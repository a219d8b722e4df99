import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { decodeRawBase64, encodeRawBase64, isRawBase64Alphabet } from './base64.ts';
import { AgeHeaderError } from './errors.ts';

/**
 * The age v1 header (c2sp.org/age, "Header"):
 *
 *     age-encryption.org/v1
 *     -> X25519 <base64 ephemeral share>
 *     <base64 wrapped file key, wrapped at 64 columns, ending with a line shorter than 64>
 *     --- <base64 HMAC-SHA-256 of everything above up to and including "---">
 *
 * Parsing follows the ABNF of the specification exactly, since the header MAC is computed over
 * the bytes as written: any laxness (CRLF, padding, non-canonical base64, stray spaces) would let
 * two different byte strings mean the same header. The C2SP test vectors check each rule.
 */

export const VERSION_LINE = 'age-encryption.org/v1';
/** Headers longer than this are refused rather than buffered (ours are a few hundred bytes). */
export const MAX_HEADER_BYTES = 1024 * 1024;

const MAGIC = 'age-encryption.org/';
const MAC_LINE = /^--- ([A-Za-z0-9+/]{43})$/;
const COLUMNS = 64;

/** One recipient stanza: its arguments (the first names its type) and its decoded body. */
export interface Stanza {
  readonly args: readonly string[];
  readonly body: Buffer;
}

export interface ParsedHeader {
  readonly stanzas: readonly Stanza[];
  /** The 32-byte header MAC as written. */
  readonly mac: Buffer;
  /** The bytes the MAC covers: the header up to and including `---`. */
  readonly macInput: Buffer;
  /** Length of the whole header in bytes, up to and including the MAC line's line feed. */
  readonly length: number;
}

/**
 * Where the header ends in `bytes` (the offset just after the MAC line's line feed), -1 when more
 * bytes are needed, or throws {@link AgeHeaderError} when they cannot be an age header.
 *
 * The first line starting with `---` is the MAC line: stanza argument lines start with `-> ` and
 * body lines are base64, which has no `-`.
 */
export function findHeaderEnd(bytes: Buffer): number {
  const prefix = Math.min(bytes.length, MAGIC.length);
  if (bytes.subarray(0, prefix).toString('latin1') !== MAGIC.slice(0, prefix)) {
    const armored = /^\s*-----BEGIN AGE ENCRYPTED FILE-----/.test(bytes.subarray(0, 64).toString('latin1'));
    throw new AgeHeaderError(
      armored
        ? 'the file is ASCII-armored: decode it with dearmor first'
        : 'not an age file (no age-encryption.org version line)',
    );
  }
  const macLine = bytes.indexOf('\n---');
  if (macLine >= 0) {
    const end = bytes.indexOf(0x0a, macLine + 1);
    if (end >= 0) return end + 1;
  }
  if (bytes.length >= MAX_HEADER_BYTES) throw new AgeHeaderError(`longer than ${MAX_HEADER_BYTES} bytes`);
  return -1;
}

/** Parses exactly one header (`bytes` ends with the MAC line's line feed). */
export function parseHeader(bytes: Buffer): ParsedHeader {
  const text = bytes.toString('latin1');
  if (!text.endsWith('\n')) throw new AgeHeaderError('does not end with a line feed');
  const lines = text.slice(0, -1).split('\n');
  const version = lines[0] ?? '';
  if (version !== VERSION_LINE) {
    throw new AgeHeaderError(version.startsWith(MAGIC) ? 'unsupported version line' : 'not an age file');
  }
  const stanzas: Stanza[] = [];
  let i = 1;
  for (;;) {
    const line = lines[i];
    if (line === undefined) throw new AgeHeaderError('ends without a MAC line');
    if (line.startsWith('---')) {
      const match = MAC_LINE.exec(line);
      const mac = match ? decodeRawBase64(match[1]!) : null;
      if (mac === null || mac.length !== 32) throw new AgeHeaderError('malformed MAC line');
      if (i !== lines.length - 1) throw new AgeHeaderError('data after the MAC line');
      if (stanzas.length === 0) throw new AgeHeaderError('no recipient stanza');
      const macInputLength = text.length - line.length - 1 + 3;
      return { stanzas, mac, macInput: Buffer.from(bytes.subarray(0, macInputLength)), length: bytes.length };
    }
    if (!line.startsWith('-> ')) throw new AgeHeaderError(`line ${i + 1} is neither a stanza nor the MAC line`);
    const args = line.slice(3).split(' ');
    if (args.some((arg) => !/^[\x21-\x7e]+$/.test(arg))) {
      throw new AgeHeaderError(`line ${i + 1} has an empty argument or a character outside printable ASCII`);
    }
    i++;
    let body = '';
    for (;;) {
      const bodyLine = lines[i];
      if (bodyLine === undefined) throw new AgeHeaderError('a stanza has no final body line');
      if (bodyLine.length > COLUMNS || !isRawBase64Alphabet(bodyLine)) {
        throw new AgeHeaderError(`line ${i + 1} is not a stanza body line (base64, at most ${COLUMNS} columns)`);
      }
      body += bodyLine;
      i++;
      if (bodyLine.length < COLUMNS) break;
    }
    const decoded = decodeRawBase64(body);
    if (decoded === null) throw new AgeHeaderError('a stanza body is not canonical unpadded base64');
    stanzas.push({ args, body: decoded });
  }
}

/** Encodes stanzas after the version line and ends with `---` (the bytes the MAC covers). */
export function encodeHeaderWithoutMac(stanzas: readonly Stanza[]): Buffer {
  let text = `${VERSION_LINE}\n`;
  for (const stanza of stanzas) {
    text += `-> ${stanza.args.join(' ')}\n`;
    const body = encodeRawBase64(stanza.body);
    // Full 64-column lines, then a shorter (possibly empty) final line.
    for (let at = 0; at <= body.length; at += COLUMNS) text += `${body.slice(at, at + COLUMNS)}\n`;
  }
  return Buffer.from(`${text}---`, 'latin1');
}

/** HMAC key = HKDF-SHA-256(ikm = file key, salt = empty, info = "header"). */
export function headerMac(fileKey: Buffer, macInput: Buffer): Buffer {
  const key = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
  return createHmac('sha256', key).update(macInput).digest();
}

export function headerMacValid(fileKey: Buffer, header: ParsedHeader): boolean {
  return timingSafeEqual(headerMac(fileKey, header.macInput), header.mac);
}

/** The complete header: the MAC-covered bytes, a space, the base64 MAC and a line feed. */
export function encodeHeader(stanzas: readonly Stanza[], fileKey: Buffer): Buffer {
  const macInput = encodeHeaderWithoutMac(stanzas);
  return Buffer.concat([macInput, Buffer.from(` ${encodeRawBase64(headerMac(fileKey, macInput))}\n`, 'latin1')]);
}
