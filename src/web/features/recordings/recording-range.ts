/**
 * HTTP Range requests (RFC 9110 §14) for the playback copy, so a browser can seek anywhere in a
 * two-hour recording and only the 64 KiB chunks it needs are decrypted.
 *
 * One range is answered with 206 and `Content-Range`. Choices where the RFC leaves room:
 * - several ranges (`bytes=0-1,5-9`): the Range header is ignored and the whole copy is sent (200),
 *   which RFC 9110 §14.2 allows; browsers' media elements only ever ask for one range;
 * - a header that is not a valid `bytes=` range (another unit, letters, `bytes=9-5`): ignored (200);
 * - a syntactically valid range that starts at or past the end, or the suffix `bytes=-0`: 416 with
 *   `Content-Range: bytes *\/size`;
 * - `If-Range`: the copy sends no validator (no ETag, no Last-Modified), so any `If-Range` cannot
 *   match and the whole copy is sent (200).
 */

export type RangeAnswer =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/** What to send for a Range header (if any) against a representation of `size` bytes. */
export function answerRange(header: string | undefined, size: number, ifRange?: string): RangeAnswer {
  if (!header || ifRange) return { kind: 'full' };
  if (header.includes(',')) return { kind: 'full' };
  const m = SINGLE.exec(header.trim());
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // A suffix: the last n bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return { kind: 'full' };
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: 'full' };
  if (last !== '') {
    const end = Number(last);
    if (!Number.isSafeInteger(end) || end < start) return { kind: 'full' };
    if (start >= size) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start, end: Math.min(end, size - 1) };
  }
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: size - 1 };
}

/** The most plaintext one read asks for: a 2-hour copy is streamed, never held in memory. */
export const PIECE_BYTES = 1024 * 1024;
/** The first piece ends at the next 64 KiB (one age chunk): the first byte waits for one chunk, not sixteen. */
export const FIRST_PIECE_BYTES = 64 * 1024;

/**
 * The byte range [start, end] as pieces of at most `piece` bytes, cut on multiples of `piece` (a multiple of the
 * cipher's 64 KiB chunks) so no chunk is decrypted twice; the first is cut at the next multiple of `first` (which
 * divides `piece`), so the response starts as soon as the chunk holding `start` is decrypted.
 */
export function* pieces(
  start: number,
  end: number,
  piece = PIECE_BYTES,
  first = FIRST_PIECE_BYTES,
): Generator<[number, number]> {
  let from = start;
  let size = first;
  while (from <= end) {
    const to = Math.min(end, (Math.floor(from / size) + 1) * size - 1);
    yield [from, to];
    from = to + 1;
    size = piece;
  }
}
