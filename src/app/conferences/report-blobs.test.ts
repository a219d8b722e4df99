import { describe, expect, it } from 'vitest';
import { orphanedKeys } from './report-blobs.ts';

describe('orphanedKeys', () => {
  it('keeps every referenced key and lists each unreferenced one once, in the order listed', () => {
    expect(orphanedKeys(['a', 'b', 'c', 'b', 'd'], new Set(['a', 'c']))).toEqual(['b', 'd']);
    expect(orphanedKeys(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(orphanedKeys([], ['a'])).toEqual([]);
    // Works on any iterable, e.g. a generator over a listing.
    expect(
      orphanedKeys(
        (function* () {
          yield 'x';
          yield 'y';
        })(),
        ['y'],
      ),
    ).toEqual(['x']);
  });
});
