/**
 * Playback copies recently opened for Range requests (seeking), so a player's next request reads only the
 * chunks it serves: one read of the stored file, no header read, no key unwrap (X25519 + HKDF) and no final-chunk
 * decrypt. An entry is what opening the copy established (its header length, payload key and plaintext size, behind
 * OpenedRange.reopen), never any plaintext audio.
 *
 * It is keyed on the copy's blob key, its key label (the binding, `recording:<id>:playback`) and its stored size, so
 * a copy replaced or encrypted again never matches an entry of the one before; it is kept at most `ttlMs` from when
 * it was opened (never longer than a playback grant, PLAYBACK_GRANT_MS: five minutes), however often it is used; and
 * at most `entries` are kept, the least recently used dropped first. The caller drops an entry whenever a read
 * through it fails, so a copy that fails is opened, and its final chunk checked, afresh by the next request.
 *
 * The identity private keys the file keys are unwrapped with are held in this process's memory already, for as
 * long as it runs; a payload key derived from one of them and held for a few minutes adds no exposure beyond that.
 */
import type { Clock } from '../unit-of-work.ts';
import type { OpenedRange } from './ports.ts';
/** How long a playback grant lets Range requests skip the per-record access check, and an opened copy is kept. */
export const PLAYBACK_GRANT_MS = 5 * 60_000;

type Reopen = NonNullable<OpenedRange['reopen']>;

export class OpenedCopies {
  private readonly held = new Map<string, { reopen: Reopen; at: number }>();

  private readonly clock: Clock;
  readonly ttlMs: number;
  readonly entries: number;

  constructor(clock: Clock, ttlMs: number, entries = 64) {
    if (!(ttlMs > 0 && ttlMs <= PLAYBACK_GRANT_MS) || !Number.isSafeInteger(entries) || entries < 1)
      throw new RangeError(
        'An opened-copies cache needs a lifetime no longer than a playback grant lasts, and at least one entry',
      );
    this.clock = clock;
    this.ttlMs = ttlMs;
    this.entries = entries;
  }

  static key(blobKey: string, label: string, blobSize: number): string {
    return JSON.stringify([blobKey, label, blobSize]);
  }

  /** The entry, unless it is older than its lifetime (or the clock has gone back past when it was opened). */
  get(key: string): Reopen | null {
    this.sweep();
    const entry = this.held.get(key);
    if (!entry) return null;
    // Most recently used last; its lifetime still runs from when it was opened.
    this.held.delete(key);
    this.held.set(key, entry);
    return entry.reopen;
  }

  /** Keeps a copy just opened (its header and final chunk verified), dropping the least recently used beyond the bound. */
  set(key: string, reopen: Reopen): void {
    this.sweep();
    const entry = { reopen, at: this.clock.now().getTime() };
    this.held.delete(key);
    this.held.set(key, entry);
    for (const oldest of this.held.keys()) {
      if (this.held.size <= this.entries) break;
      this.held.delete(oldest);
    }
    // Dropped at the end of its lifetime even when no request comes to sweep it (the timer keeps nothing running).
    setTimeout(() => {
      if (this.held.get(key) === entry) this.held.delete(key);
    }, this.ttlMs).unref();
  }

  delete(key: string): void {
    this.held.delete(key);
  }

  get size(): number {
    this.sweep();
    return this.held.size;
  }

  /** Drops every entry past its lifetime. */
  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, { at }] of this.held) if (now - at < 0 || now - at >= this.ttlMs) this.held.delete(key);
  }
}
