// The pieces a Range response over the playback copy is read in (R-4: recordings are played a range at a time).
import { describe, expect, it } from 'vitest';
import { FIRST_PIECE_BYTES, PIECE_BYTES, pieces } from './recording-range.ts';

const K = FIRST_PIECE_BYTES;
const M = PIECE_BYTES;

describe('pieces of a range', () => {
  it('cuts the first piece at the next 64 KiB chunk, then on 1 MiB, covering every byte once', () => {
    expect([...pieces(0, 3 * M)]).toEqual([
      [0, K - 1],
      [K, M - 1],
      [M, 2 * M - 1],
      [2 * M, 3 * M - 1],
      [3 * M, 3 * M],
    ]);
    expect([...pieces(K + 5, M + 10)]).toEqual([
      [K + 5, 2 * K - 1],
      [2 * K, M - 1],
      [M, M + 10],
    ]);
    expect([...pieces(7, 9)]).toEqual([[7, 9]]);
    for (const [start, end] of [
      [0, 0],
      [K - 1, K],
      [M - 1, 5 * M + 3],
      [12_345, 4 * M],
    ] as const) {
      const cut = [...pieces(start, end)];
      expect(cut[0]![0]).toBe(start);
      expect(cut.at(-1)![1]).toBe(end);
      for (const [i, [a, b]] of cut.entries()) {
        expect(b).toBeGreaterThanOrEqual(a);
        // Cuts fall on chunk boundaries, so no chunk is decrypted twice.
        if (i > 0) expect(a % K).toBe(0);
        if (i > 0) expect(b - a + 1).toBeLessThanOrEqual(M);
      }
    }
  });
});
