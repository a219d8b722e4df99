import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SampleRange, SampleRedactor, mergeRanges, toSampleRange, widen } from './sample-redactor.ts';

/** Pushes `bytes` through a redactor in the given chunk sizes and returns what comes out. */
async function run(redactor: SampleRedactor, bytes: Buffer, chunkSizes: number[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = chunkSizes.length ? chunkSizes[i % chunkSizes.length]! : bytes.length;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(redactor)) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

function samplesOf(values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => buf.writeInt16LE(v, 2 * i));
  return buf;
}

const inside = (n: number, ranges: readonly SampleRange[]): boolean => ranges.some((r) => n >= r.start && n < r.end);

describe('milliseconds to samples (A-3: a withheld range never keeps a sample it should lose)', () => {
  it('rounds outward to whole samples', () => {
    expect(toSampleRange({ startMs: 1000, endMs: 2000 }, 48_000)).toEqual({ start: 48_000, end: 96_000 });
    // 10.01 ms is sample 480.48: the range starts at 480; 20.01 ms is 960.48: it ends after 961.
    expect(toSampleRange({ startMs: 10.01, endMs: 20.01 }, 48_000)).toEqual({ start: 480, end: 961 });
    expect(toSampleRange({ startMs: 0.1, endMs: 0.2 }, 44_100)).toEqual({ start: 4, end: 9 });
  });

  it('covers every sample whose time falls inside the range, for any range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7_200_000_000 }),
        fc.integer({ min: 1, max: 600_000_000 }),
        fc.constantFrom(8_000, 44_100, 48_000),
        (a, len, rate) => {
          // Microsecond-precise ranges as fractional milliseconds.
          const range = { startMs: a / 1000, endMs: (a + len) / 1000 };
          const s = toSampleRange(range, rate);
          // Sample n is at n/rate seconds. The first covered sample is at or before the start, the one
          // before it is strictly before; the end is at or after the range's end. (Exact integer maths.)
          expect(BigInt(s.start) * 1_000_000n <= BigInt(a) * BigInt(rate)).toBe(true);
          expect((BigInt(s.start) + 1n) * 1_000_000n > BigInt(a) * BigInt(rate)).toBe(true);
          expect(BigInt(s.end) * 1_000_000n >= BigInt(a + len) * BigInt(rate)).toBe(true);
          expect((BigInt(s.end) - 1n) * 1_000_000n < BigInt(a + len) * BigInt(rate)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('widens by the guard, never before the first sample', () => {
    expect(widen({ start: 100, end: 200 }, 2400)).toEqual({ start: 0, end: 2600 });
    expect(widen({ start: 5000, end: 6000 }, 2400)).toEqual({ start: 2600, end: 8400 });
  });

  it('merges overlapping and touching ranges into the same set of samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })), { maxLength: 12 }),
        (pairs) => {
          const ranges = pairs.map(([start, len]) => ({ start, end: start + len }));
          const merged = mergeRanges(ranges);
          for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThan(merged[i - 1]!.end);
          for (let n = 0; n < 360; n++) expect(inside(n, merged)).toBe(inside(n, ranges));
        },
      ),
    );
  });
});

describe('SampleRedactor', () => {
  it('writes silence over exactly the samples in each range, and passes every other sample unchanged', async () => {
    const input = samplesOf(Array.from({ length: 20 }, (_, i) => 1000 + i));
    const out = await run(
      new SampleRedactor({
        ranges: [
          { start: 0, end: 2 },
          { start: 5, end: 6 },
          { start: 18, end: 25 },
        ],
        fill: 'silence',
        sampleRate: 48_000,
      }),
      input,
      [3],
    );
    const values = Array.from({ length: 20 }, (_, i) => out.readInt16LE(2 * i));
    expect(values).toEqual([
      0, 0, 1002, 1003, 1004, 0, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 0, 0,
    ]);
  });

  it('whatever the chunking (odd byte counts included), sample n is redacted exactly when n is in a range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 450 }), fc.integer({ min: 1, max: 60 })), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { maxLength: 5 }),
        fc.constantFrom('silence' as const, 'tone' as const),
        async (values, pairs, chunkSizes, fill) => {
          const ranges = mergeRanges(pairs.map(([start, len]) => ({ start, end: start + len })));
          const input = samplesOf(values);
          const other = samplesOf(values.map((v) => (v === 0 ? 1 : -v === 32768 ? 32767 : -v)));
          const a = await run(new SampleRedactor({ ranges, fill, sampleRate: 48_000 }), input, chunkSizes);
          // The same ranges over different audio: inside them the two outputs must be identical,
          // so nothing of the input survives there.
          const b = await run(new SampleRedactor({ ranges, fill, sampleRate: 48_000 }), other, chunkSizes);
          expect(a.length).toBe(input.length);
          for (let n = 0; n < values.length; n++) {
            const got = a.readInt16LE(2 * n);
            if (inside(n, ranges)) {
              expect(got).toBe(b.readInt16LE(2 * n));
              if (fill === 'silence') expect(got).toBe(0);
              else expect(Math.abs(got)).toBeLessThanOrEqual(1037); // −30 dBFS
            } else {
              expect(got).toBe(values[n]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('redacts every channel of a stereo frame together', async () => {
    const input = samplesOf([10, -10, 20, -20, 30, -30, 40, -40]);
    const out = await run(
      new SampleRedactor({ ranges: [{ start: 1, end: 3 }], fill: 'silence', sampleRate: 48_000, channels: 2 }),
      input,
      [3, 5],
    );
    expect(Array.from({ length: 8 }, (_, i) => out.readInt16LE(2 * i))).toEqual([10, -10, 0, 0, 0, 0, 40, -40]);
  });

  it('fills with a quiet 1 kHz tone that rises and falls without a click', async () => {
    const rate = 48_000;
    const out = await run(
      new SampleRedactor({ ranges: [{ start: 0, end: 4800 }], fill: 'tone', sampleRate: rate }),
      Buffer.alloc(9600),
      [4096],
    );
    const values = Array.from({ length: 4800 }, (_, i) => out.readInt16LE(2 * i));
    const peak = Math.max(...values.map(Math.abs));
    expect(20 * Math.log10(peak / 32768)).toBeCloseTo(-30, 0);
    // 1 kHz at 48 kHz: 48 samples a cycle, so 100 ms is 100 cycles: 200 zero crossings.
    let crossings = 0;
    for (let i = 1; i < values.length; i++)
      if (Math.sign(values[i]!) !== Math.sign(values[i - 1]!) && values[i] !== 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(198);
    expect(crossings).toBeLessThanOrEqual(201);
    expect(Math.abs(values[0]!)).toBeLessThan(5);
    expect(Math.abs(values.at(-1)!)).toBeLessThan(5);
  });

  it('fades a tone out where the stream ends inside a span, as valueAt of the span cut there says', async () => {
    const rate = 48_000;
    const out = await run(
      new SampleRedactor({ ranges: [{ start: 1000, end: 9000 }], fill: 'tone', sampleRate: rate }),
      Buffer.alloc(2 * 4800),
      [1000, 333],
    );
    expect(out.length).toBe(2 * 4800);
    const cut = new SampleRedactor({ ranges: [{ start: 1000, end: 4800 }], fill: 'tone', sampleRate: rate });
    for (let n = 0; n < 4800; n++) expect(out.readInt16LE(2 * n)).toBe(cut.valueAt(n) ?? 0);
    expect(Math.abs(out.readInt16LE(2 * 4799))).toBeLessThan(5);
  });

  it('knows what it wrote at any sample (for checking a finished copy)', () => {
    const r = new SampleRedactor({
      ranges: [
        { start: 10, end: 20 },
        { start: 30, end: 40 },
      ],
      fill: 'silence',
      sampleRate: 48_000,
    });
    expect([9, 10, 19, 20, 29, 30, 39, 40].map((n) => r.valueAt(n))).toEqual([
      undefined,
      0,
      0,
      undefined,
      undefined,
      0,
      0,
      undefined,
    ]);
  });

  it('refuses ranges that are not sorted and merged', () => {
    expect(
      () =>
        new SampleRedactor({
          ranges: [
            { start: 10, end: 20 },
            { start: 15, end: 30 },
          ],
          fill: 'silence',
          sampleRate: 48_000,
        }),
    ).toThrow(/sorted, merged/);
  });
});
