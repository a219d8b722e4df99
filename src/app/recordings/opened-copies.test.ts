// Playback copies opened in the last few minutes (seeking), kept so a player's next Range request reads
// only the chunks it serves: never past a playback grant's lifetime, a bounded number, and never matching another
// copy (another blob, key label or size). Dropping an entry on a failed read is the caller's, tested over HTTP in
// src/web/features/recordings/recording-seek.test.ts.
import { describe, expect, it } from 'vitest';
import { OpenedCopies } from './opened-copies.ts';
import type { OpenedRange } from './ports.ts';
import { PLAYBACK_GRANT_MS } from './recording-playback.ts';

type Reopen = NonNullable<OpenedRange['reopen']>;

function clock(start = Date.UTC(2026, 0, 5, 9)) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A distinct entry (what it returns does not matter here). */
const entry = (): Reopen => () => ({ plaintextSize: 0, read: async () => Buffer.alloc(0) });

describe('copies opened for playback', () => {
  it('keeps an entry for its lifetime from when it was opened, however often it is used, and no longer', () => {
    const c = clock();
    const copies = new OpenedCopies(c, PLAYBACK_GRANT_MS);
    const key = OpenedCopies.key('ab12', 'recording:1:playback', 1000);
    const reopen = entry();
    copies.set(key, reopen);
    c.advance(PLAYBACK_GRANT_MS - 1);
    expect(copies.get(key)).toBe(reopen);
    c.advance(1);
    expect(copies.get(key)).toBeNull();
    expect(copies.size).toBe(0);
    // Opened again, it is kept for a lifetime from then.
    copies.set(key, reopen);
    c.advance(PLAYBACK_GRANT_MS - 1);
    expect(copies.get(key)).toBe(reopen);
  });

  it('drops an entry whose lifetime has passed when any other is asked for, and one the clock has gone back past', () => {
    const c = clock();
    const copies = new OpenedCopies(c, 60_000);
    copies.set('old', entry());
    c.advance(60_000);
    copies.set('new', entry());
    expect(copies.size).toBe(1);
    c.advance(-1);
    expect(copies.get('new')).toBeNull();
  });

  it('keeps at most its bound, dropping the least recently used first', () => {
    const copies = new OpenedCopies(clock(), PLAYBACK_GRANT_MS, 3);
    const [a, b, c, d] = [entry(), entry(), entry(), entry()];
    copies.set('a', a);
    copies.set('b', b);
    copies.set('c', c);
    expect(copies.get('a')).toBe(a); // now b is the least recently used
    copies.set('d', d);
    expect(copies.size).toBe(3);
    expect(copies.get('b')).toBeNull();
    expect([copies.get('a'), copies.get('c'), copies.get('d')]).toEqual([a, c, d]);
    expect(new OpenedCopies(clock(), PLAYBACK_GRANT_MS).entries).toBe(64);
  });

  it('never gives the entry of another stored file, key label or size (a copy replaced or encrypted again)', () => {
    const copies = new OpenedCopies(clock(), PLAYBACK_GRANT_MS);
    const reopen = entry();
    copies.set(OpenedCopies.key('ab12', 'recording:1:playback', 1000), reopen);
    expect(copies.get(OpenedCopies.key('ab12', 'recording:1:playback', 1000))).toBe(reopen);
    for (const other of [
      OpenedCopies.key('ab13', 'recording:1:playback', 1000),
      OpenedCopies.key('ab12', 'recording:2:playback', 1000),
      OpenedCopies.key('ab12', 'recording:1:original', 1000),
      OpenedCopies.key('ab12', 'recording:1:playback', 1001),
      // No joining of the parts makes two keys equal.
      OpenedCopies.key('ab12","recording:1:playback', '', 1000),
    ])
      expect(copies.get(other)).toBeNull();
  });

  it('forgets an entry dropped (as after a read through it failed)', () => {
    const copies = new OpenedCopies(clock(), PLAYBACK_GRANT_MS);
    copies.set('a', entry());
    copies.delete('a');
    expect(copies.get('a')).toBeNull();
  });

  it('is never made to keep entries longer than a playback grant lasts, nor with no room', () => {
    expect(() => new OpenedCopies(clock(), 0)).toThrow(RangeError);
    expect(() => new OpenedCopies(clock(), PLAYBACK_GRANT_MS + 1)).toThrow(RangeError);
    expect(() => new OpenedCopies(clock(), PLAYBACK_GRANT_MS, 0)).toThrow(RangeError);
  });
});
