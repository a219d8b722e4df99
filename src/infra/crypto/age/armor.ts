import { AgeArmorError } from './errors.ts';

/**
 * ASCII armor (c2sp.org/age, "ASCII armor"): strict PEM (RFC 7468 §3, figure 3) with the label
 * `AGE ENCRYPTED FILE`, as `age -a` writes. This product stores binary files; armor is decoded for
 * files an operator receives armored, and is checked against the C2SP armor vectors.
 *
 * Strictness, because armor is otherwise malleable: only whitespace may surround the PEM block;
 * lines end in LF or CRLF with nothing else on them; every base64 line but the last is exactly
 * 64 columns and the last is 1 to 64; padding is required and only at the very end; the base64 is
 * canonical. Both functions work in memory: armored files are for small transfers.
 */

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;

export function armor(file: Uint8Array): string {
  const base64 = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('base64');
  const lines = [BEGIN];
  for (let at = 0; at < base64.length; at += COLUMNS) lines.push(base64.slice(at, at + COLUMNS));
  lines.push(END);
  return `${lines.join('\n')}\n`;
}

/** Decodes an armored age file to the binary file. Throws {@link AgeArmorError}. */
export function dearmor(input: Uint8Array | string): Buffer {
  const text = (typeof input === 'string' ? input : Buffer.from(input).toString('latin1')).replace(
    /^[ \t\r\n]+|[ \t\r\n]+$/g,
    '',
  );
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[0] !== BEGIN) throw new AgeArmorError(`the first line must be ${BEGIN}`);
  if (lines.length < 2 || lines[lines.length - 1] !== END) throw new AgeArmorError(`the last line must be ${END}`);
  const body = lines.slice(1, -1);
  for (const [index, line] of body.entries()) {
    const last = index === body.length - 1;
    if (last ? line.length === 0 || line.length > COLUMNS : line.length !== COLUMNS) {
      throw new AgeArmorError(`line ${index + 2} must be ${last ? '1 to 64' : 'exactly 64'} characters long`);
    }
    if (!(last ? /^[A-Za-z0-9+/]+={0,2}$/ : /^[A-Za-z0-9+/]+$/).test(line)) {
      throw new AgeArmorError(`line ${index + 2} is not base64 (or has padding before the end)`);
    }
  }
  const base64 = body.join('');
  if (base64.length % 4 !== 0) throw new AgeArmorError('the base64 is not padded');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64) throw new AgeArmorError('the base64 is not canonical');
  return bytes;
}
