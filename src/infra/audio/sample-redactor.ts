import { Transform, type TransformCallback } from 'node:stream';

/** A span of a recording in milliseconds, start included, end excluded. */
export interface MsRange {
  startMs: number;
  endMs: number;
}

/** A span of samples (per channel), start included, end excluded. */
export interface SampleRange {
  start: number;
  end: number;
}

/**
 * Milliseconds to samples, rounded OUTWARD: the first sample is the last one at or before startMs,
 * the end is the first sample at or after endMs, so a withheld range never keeps a sample it should
 * lose. A product within a millionth of a sample of a whole number is that whole number (the float
 * error of `ms × rate / 1000`), so a boundary that falls on a sample is not widened by one.
 */
export function toSampleRange(range: MsRange, sampleRate: number): SampleRange {
  return {
    start: Math.max(0, wholeSample(range.startMs, sampleRate, Math.floor)),
    end: wholeSample(range.endMs, sampleRate, Math.ceil),
  };
}

function wholeSample(ms: number, sampleRate: number, round: (x: number) => number): number {
  const x = (ms * sampleRate) / 1000;
  const nearest = Math.round(x);
  return Math.abs(x - nearest) < 1e-6 ? nearest : round(x);
}

/** Widens a span by `guard` samples each side (never before sample 0). */
export function widen(range: SampleRange, guard: number): SampleRange {
  return { start: Math.max(0, range.start - guard), end: range.end + guard };
}

/** Sorted, with overlapping and touching spans joined, empty spans dropped. */
export function mergeRanges(ranges: readonly SampleRange[]): SampleRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: SampleRange[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

export type Fill = 'silence' | 'tone';

export interface SampleRedactorOptions {
  /** Spans to replace, sorted and merged (see mergeRanges). */
  ranges: readonly SampleRange[];
  fill: Fill;
  sampleRate: number;
  /** Interleaved channels in the stream; default 1. */
  channels?: number;
  /** For `tone`: frequency (default 1000 Hz) and peak level (default −30 dBFS). */
  toneHz?: number;
  toneDbfs?: number;
  /** For `tone`: rise and fall at each end of a span, in samples, so it starts and stops without a click. Default 5 ms. */
  toneFadeSamples?: number;
  /** Called with the running count of samples passed through. */
  onSamples?: (count: number) => void;
}

/**
 * A stream of raw signed 16-bit little-endian samples (interleaved when more than one channel) in
 * which every sample inside a span is replaced, by count: sample n of the stream is the n-th sample
 * decoded, whatever the chunk boundaries. `silence` writes 0 (digital silence); `tone` writes a quiet
 * sine that has nothing of the original in it, rising and falling over `toneFadeSamples` at each end
 * of a span and at the end of the stream. Samples outside every span pass through unchanged.
 */
export class SampleRedactor extends Transform {
  /** Samples (per channel) seen so far. */
  samples = 0;
  private readonly ranges: readonly SampleRange[];
  private readonly fill: Fill;
  private readonly frameBytes: number;
  private readonly channels: number;
  private readonly toneStep: number;
  private readonly toneAmplitude: number;
  private readonly fade: number;
  private readonly onSamples: ((count: number) => void) | undefined;
  private next = 0; // index of the first range that may still lie ahead
  private carry: Buffer | undefined;
  private held: Buffer | undefined;

  constructor(opts: SampleRedactorOptions) {
    super();
    this.ranges = opts.ranges;
    for (let i = 1; i < this.ranges.length; i++) {
      if (this.ranges[i]!.start < this.ranges[i - 1]!.end)
        throw new Error('SampleRedactor needs sorted, merged ranges');
    }
    this.fill = opts.fill;
    this.channels = opts.channels ?? 1;
    this.frameBytes = 2 * this.channels;
    this.toneStep = (2 * Math.PI * (opts.toneHz ?? 1000)) / opts.sampleRate;
    this.toneAmplitude = 32767 * 10 ** ((opts.toneDbfs ?? -30) / 20);
    this.fade = Math.max(1, opts.toneFadeSamples ?? Math.round(opts.sampleRate * 0.005));
    this.onSamples = opts.onSamples;
  }

  override _transform(data: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let chunk = data;
    if (this.carry) {
      chunk = Buffer.concat([this.carry, data]);
      this.carry = undefined;
    }
    const whole = chunk.length - (chunk.length % this.frameBytes);
    if (whole < chunk.length) this.carry = Buffer.from(chunk.subarray(whole));
    if (whole === 0) return done();
    // A copy, so a buffer the producer may reuse is never written to.
    const out = Buffer.from(chunk.subarray(0, whole));
    const first = this.samples;
    const last = first + whole / this.frameBytes; // exclusive
    while (this.next < this.ranges.length && this.ranges[this.next]!.end <= first) this.next++;
    for (let i = this.next; i < this.ranges.length; i++) {
      const range = this.ranges[i]!;
      if (range.start >= last) break;
      const from = Math.max(range.start, first);
      const to = Math.min(range.end, last);
      if (this.fill === 'silence') {
        out.fill(0, (from - first) * this.frameBytes, (to - first) * this.frameBytes);
      } else {
        for (let n = from; n < to; n++) {
          const value = this.toneAt(n, range);
          for (let c = 0; c < this.channels; c++) out.writeInt16LE(value, (n - first) * this.frameBytes + 2 * c);
        }
      }
    }
    this.samples = last;
    this.onSamples?.(last);
    if (this.fill === 'silence') return done(null, out);
    // A tone is held back by its fade length, so that if the stream ends inside a span, the tone can
    // fade out there too instead of stopping dead (an abrupt end is hard for MP3 to reproduce).
    const pending = this.held ? Buffer.concat([this.held, out]) : out;
    const keep = Math.min(pending.length, this.fade * this.frameBytes);
    this.held = Buffer.from(pending.subarray(pending.length - keep));
    done(null, pending.subarray(0, pending.length - keep));
  }

  override _flush(done: TransformCallback): void {
    // A trailing part-sample (the decoder never writes one) is dropped rather than passed on unredacted.
    this.carry = undefined;
    const held = this.held;
    this.held = undefined;
    if (!held) return done();
    const first = this.samples - held.length / this.frameBytes;
    for (let n = first; n < this.samples; n++) {
      const range = this.spanOf(n);
      if (!range) continue;
      const value = this.toneAt(n, { start: range.start, end: Math.min(range.end, this.samples) });
      for (let c = 0; c < this.channels; c++) held.writeInt16LE(value, (n - first) * this.frameBytes + 2 * c);
    }
    done(null, held);
  }

  /**
   * What sample n of the stream is replaced with (0 for silence), or undefined when n is outside
   * every span. Used to check a finished copy against what was written into it.
   */
  valueAt(n: number): number | undefined {
    const range = this.spanOf(n);
    if (!range) return undefined;
    return this.fill === 'silence' ? 0 : this.toneAt(n, range);
  }

  private spanOf(n: number): SampleRange | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = this.ranges[mid]!;
      if (n < range.start) hi = mid - 1;
      else if (n >= range.end) lo = mid + 1;
      else return range;
    }
    return undefined;
  }

  private toneAt(n: number, range: SampleRange): number {
    const t = n - range.start;
    const edge = Math.min(t + 0.5, range.end - n - 0.5) / this.fade;
    const envelope = edge >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, edge));
    return Math.round(this.toneAmplitude * envelope * Math.sin(this.toneStep * t)) + 0; // + 0: never -0
  }
}
