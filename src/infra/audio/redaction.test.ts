import { readFile, readdir, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureDir,
  chirpWav,
  decodeToPcm,
  encode,
  espeakAvailable,
  fixtureDir,
  peakDbfs,
  rmsDbfs,
  silenceWav,
  speechWav,
  toneWav,
} from '../../../test/support/audio-fixtures.ts';
import { AudioProcessingError, InvalidRedactionError } from './errors.ts';
import { sha256File } from './files.ts';
import { makePlaybackCopy } from './playback.ts';
import { probeAudio } from './probe.ts';
import { MP3_CBR_64K } from './pcm.ts';
import {
  DEFAULT_GUARD_MS,
  FRAME_EDGE_WINDOW,
  MP3_FRAME_SAMPLES,
  type RedactedCopy,
  VERIFY_MAX_DEVIATION,
  checkRedactedCopy,
  frameEdgePadding,
  makeRedactedCopy,
} from './redaction.ts';
import { type MsRange, SampleRedactor } from './sample-redactor.ts';

// A-3 / A-6 and the issue: "Every withheld segment for this requester is replaced by silence or a
// tone: no sample of withheld audio may remain (MP3 frame boundaries included)". Each test decodes the
// OUTPUT MP3 back to samples and measures what is inside and outside every withheld range.

const RATE = 48_000;
const GUARD = (DEFAULT_GUARD_MS * RATE) / 1000;
/** How far MP3 coding smears the kept sound into the guard (measured: under 18 ms); never into the range itself. */
const SMEAR = Math.round(0.025 * RATE);
/** The fixture: a 440 Hz tone at half scale, −9.03 dBFS RMS, for the whole 60 seconds. */
const TONE_RMS_DBFS = 20 * Math.log10(0.5 / Math.SQRT2);

let fx: FixtureDir;
const f = (name: string): string => fx.file(name);
let original: Int16Array;
let speech = false;

beforeAll(async () => {
  fx = await fixtureDir('cpcr-redaction-');
  await Promise.all([
    toneWav(f('tone60.wav'), { seconds: 60, frequencyHz: 440, amplitude: 0.5 }),
    toneWav(f('tone10.wav'), { seconds: 10, frequencyHz: 440, amplitude: 0.5 }),
    toneWav(f('stereo44.wav'), { seconds: 6, frequencyHz: 440, amplitude: 0.5, sampleRate: 44_100, channels: 2 }),
    chirpWav(f('chirp.wav'), 8),
    silenceWav(f('long-silence.wav'), 600),
  ]);
  await encode(f('stereo44.wav'), f('stereo44.mp3'), ['-c:a', 'libmp3lame', '-b:a', '128k']);
  original = await decodeToPcm(f('tone60.wav'));
  speech = await espeakAvailable();
  if (speech)
    await speechWav(
      f('speech.wav'),
      'The family has asked for a copy. The police information discussed next must not be shared. The plan will be reviewed in three months.',
    );
});

afterAll(async () => {
  await fx?.cleanup();
});

/** Names of this process's live child processes (Linux /proc). */
async function childProcesses(): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === process.pid) names.push(stat.slice(stat.indexOf('(') + 1, close));
  }
  return names;
}

/** Samples [start, end) of a range given in ms, rounded outward, moved by `shift` samples. */
function samplesOf(r: MsRange, shift = 0, total = Number.POSITIVE_INFINITY): { start: number; end: number } {
  return {
    start: Math.floor((r.startMs * RATE) / 1000) + shift,
    end: Math.min(Math.ceil((r.endMs * RATE) / 1000), total) + shift,
  };
}

/**
 * Goertzel filter: the amplitude (0..1 of full scale) of the `hz` component of samples [start, end),
 * under a Hann window so a tone elsewhere in the spectrum does not leak into the answer.
 */
function goertzel(pcm: Int16Array, start: number, end: number, hz: number): number {
  const n = end - start;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / RATE);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    windowSum += w;
    const s = (pcm[start + i]! / 32768) * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

/** The stretches of the copy outside every guarded range (less the smear), at least 20 ms long. */
function keptStretches(copy: RedactedCopy): Array<{ start: number; end: number }> {
  const spans = [...copy.outputRanges].sort((a, b) => a.startSample - b.startSample);
  const kept: Array<{ start: number; end: number }> = [];
  let from = copy.noticeSamples;
  for (const s of spans) {
    if (s.startSample - SMEAR - from >= 960) kept.push({ start: from, end: s.startSample - SMEAR });
    from = Math.max(from, s.endSample + SMEAR);
  }
  const end = copy.totalSamples - copy.endPaddingSamples;
  if (end - from >= 960) kept.push({ start: from, end });
  return kept;
}

const awkward: MsRange[] = [
  { startMs: 0, endMs: 1500 }, // from the very start
  { startMs: 10_000, endMs: 12_000 }, // two adjacent ranges
  { startMs: 12_000, endMs: 13_000 },
  { startMs: 30_000, endMs: 30_010 }, // tiny: 10 ms, 480 samples
  { startMs: 40_000.3, endMs: 40_500.7 }, // boundaries between samples
  { startMs: 57_000, endMs: 60_000 }, // to the very end
];

describe('makeRedactedCopy with silence', () => {
  let copy: RedactedCopy;
  let out: Int16Array;
  beforeAll(async () => {
    copy = await makeRedactedCopy({
      input: f('tone60.wav'),
      output: f('silence.mp3'),
      withheld: awkward,
      fill: 'silence',
    });
    out = await decodeToPcm(f('silence.mp3'));
  });

  it('has exactly the original number of samples (encoder delay and padding are not in the timeline)', () => {
    expect(copy.totalSamples).toBe(60 * RATE);
    expect(out.length).toBe(60 * RATE);
    expect(copy.durationMs).toBe(60_000);
    expect(copy.noticeSamples).toBe(0);
  });

  it('holds digital silence in every withheld range, to the sample', () => {
    for (const r of awkward) {
      const { start, end } = samplesOf(r, 0, out.length);
      // The control: the original is loud there.
      expect(rmsDbfs(original, start, end)).toBeGreaterThan(-10);
      expect(rmsDbfs(out, start, end)).toBeLessThan(-60);
      expect(peakDbfs(out, start, end)).toBeLessThan(-60);
    }
  });

  it('reports each range in the copy, widened by the guard, rounded outward and cut at the ends', () => {
    expect(copy.outputRanges).toHaveLength(awkward.length);
    awkward.forEach((r, i) => {
      const { start, end } = samplesOf(r, 0, out.length);
      const got = copy.outputRanges[i]!;
      expect(got.startSample).toBe(Math.max(0, start - GUARD));
      expect(got.endSample).toBe(Math.min(out.length, end + GUARD));
      expect(got.startMs).toBeCloseTo((got.startSample * 1000) / RATE, 9);
      expect(got.endMs).toBeCloseTo((got.endSample * 1000) / RATE, 9);
      // The guard too is silent once past the codec's smear of the neighbouring kept sound.
      const inner = {
        start: got.startSample === 0 ? 0 : got.startSample + SMEAR,
        end: got.endSample === out.length ? out.length : got.endSample - SMEAR,
      };
      expect(rmsDbfs(out, inner.start, inner.end)).toBeLessThan(-60);
    });
    expect(copy.outputRanges[0]!.startSample).toBe(0);
    expect(copy.outputRanges.at(-1)!.endSample).toBe(60 * RATE);
  });

  it('R-3: states each range as asked, outward to whole milliseconds and inside its guard; every stated sample decodes as silence', () => {
    const ms = (n: number) => n * (RATE / 1000);
    expect(copy.statedRanges.map((r) => [r.startSample, r.endSample])).toEqual([
      [0, ms(1500)],
      [ms(10_000), ms(12_000)],
      [ms(12_000), ms(13_000)],
      [ms(30_000), ms(30_010)],
      [ms(40_000), ms(40_501)], // 40 000.3 to 40 500.7 ms, outward
      [ms(57_000), 60 * RATE],
    ]);
    copy.statedRanges.forEach((r, i) => {
      expect(r.startMs).toBe(Math.round(r.startMs)); // whole milliseconds: a statement in ms is exact
      expect(r.startSample).toBeGreaterThanOrEqual(copy.outputRanges[i]!.startSample);
      expect(r.endSample).toBeLessThanOrEqual(copy.outputRanges[i]!.endSample);
      // Measured exactly as stated, first sample to last (the release check measures the same spans).
      let peak = 0;
      for (let k = r.startSample; k < r.endSample; k++) peak = Math.max(peak, Math.abs(out[k]!));
      expect(peak, `stated range ${i + 1}`).toBeLessThanOrEqual(VERIFY_MAX_DEVIATION.silence);
    });
  });

  it('keeps everything else at the original level and in place', () => {
    const kept = keptStretches(copy);
    expect(kept).toHaveLength(4); // 1.5–10 s, 13–30 s, 30.01–40 s, 40.5–57 s, less guards
    for (const { start, end } of kept) {
      expect(Math.abs(rmsDbfs(out, start, end) - TONE_RMS_DBFS)).toBeLessThan(1);
      // Sample by sample against the original: the difference is at least 20 dB below the signal,
      // which a shift of even one sample (a 440 Hz phase error of 3.3°, −25 dB) would not leave.
      let diff = 0;
      let signal = 0;
      for (let i = start; i < end; i++) {
        diff += (out[i]! - original[i]!) ** 2;
        signal += original[i]! ** 2;
      }
      expect(10 * Math.log10(signal / diff)).toBeGreaterThan(20);
    }
  });

  it('leaves the original exactly as it was (R-3: never edited)', async () => {
    const before = await sha256File(f('tone60.wav'));
    await makeRedactedCopy({
      input: f('tone60.wav'),
      output: f('again.mp3'),
      withheld: awkward,
      fill: 'tone',
      notice: { kind: 'tone', seconds: 1 },
    });
    expect(await sha256File(f('tone60.wav'))).toEqual(before);
  });

  it('returns the SHA-256 of the file it wrote', async () => {
    expect(copy.sha256).toBe((await sha256File(f('silence.mp3'))).sha256);
    expect(copy.sizeBytes).toBe((await sha256File(f('silence.mp3'))).sizeBytes);
  });

  it('is a constant 64 kb/s mono MP3 like the playback copy, on the same timeline', async () => {
    expect(await probeAudio(f('silence.mp3'))).toMatchObject({
      container: 'mp3',
      sampleRate: 48_000,
      channels: 1,
      bitRate: 64_000,
      durationMs: 60_000,
    });
    await makePlaybackCopy(f('tone60.wav'), f('playback.mp3'));
    expect((await decodeToPcm(f('playback.mp3'))).length).toBe(out.length);
  });
});

describe('makeRedactedCopy with a tone and a notice', () => {
  let copy: RedactedCopy;
  let out: Int16Array;
  beforeAll(async () => {
    copy = await makeRedactedCopy({
      input: f('tone60.wav'),
      output: f('tone.mp3'),
      withheld: awkward,
      fill: 'tone',
      notice: { kind: 'tone', seconds: 2, frequencyHz: 660, gapMs: 500 },
    });
    out = await decodeToPcm(f('tone.mp3'));
  });

  it('moves every range by exactly the notice: 2 s of tone and 0.5 s of gap, 120 000 samples', () => {
    expect(copy.noticeSamples).toBe(120_000);
    expect(out.length).toBe(120_000 + 60 * RATE);
    expect(copy.totalSamples).toBe(out.length);
    awkward.forEach((r, i) => {
      const { start, end } = samplesOf(r, 0, 60 * RATE);
      expect(copy.outputRanges[i]!.startSample).toBe(120_000 + Math.max(0, start - GUARD));
      expect(copy.outputRanges[i]!.endSample).toBe(120_000 + Math.min(60 * RATE, end + GUARD));
    });
    expect(goertzel(out, 0, 96_000, 660)).toBeGreaterThan(0.05); // the notice is there
    expect(rmsDbfs(out, 100_000, 119_000)).toBeLessThan(-60); // then the gap
  });

  it('has no 440 Hz left inside any withheld range, only the quiet 1 kHz tone', () => {
    for (const r of awkward) {
      const { start, end } = samplesOf(r, copy.noticeSamples, 60 * RATE);
      const before = samplesOf(r, 0, 60 * RATE);
      // The control: the same window of the original is the loud 440 Hz tone.
      expect(goertzel(original, before.start, before.end, 440)).toBeGreaterThan(0.45);
      const left = goertzel(out, start, end, 440);
      expect(20 * Math.log10(left / 0.5)).toBeLessThan(-60);
      const fill = goertzel(out, start, end, 1000);
      expect(20 * Math.log10(fill)).toBeGreaterThan(-32);
      expect(20 * Math.log10(fill)).toBeLessThan(-28);
    }
  });

  it('keeps the recording after the notice at its level and in place, sample for sample', () => {
    for (const { start, end } of keptStretches(copy)) {
      expect(Math.abs(rmsDbfs(out, start, end) - TONE_RMS_DBFS)).toBeLessThan(1);
      let diff = 0;
      let signal = 0;
      for (let i = start; i < end; i++) {
        diff += (out[i]! - original[i - copy.noticeSamples]!) ** 2;
        signal += original[i - copy.noticeSamples]! ** 2;
      }
      expect(10 * Math.log10(signal / diff)).toBeGreaterThan(20);
    }
  });
});

describe('makeRedactedCopy keeps the timeline exact', () => {
  it('puts sample n of the recording at sample P + n of the copy (checked on a chirp, which repeats nowhere)', async () => {
    const chirp = await decodeToPcm(f('chirp.wav'));
    const copy = await makeRedactedCopy({
      input: f('chirp.wav'),
      output: f('chirp.mp3'),
      withheld: [{ startMs: 3000, endMs: 3500 }],
      fill: 'silence',
      notice: { kind: 'tone', seconds: 1, gapMs: 250 },
    });
    const out = await decodeToPcm(f('chirp.mp3'));
    expect(copy.noticeSamples).toBe(60_000);
    // The lag that best matches the copy to the original, searched over ±1200 samples (more than
    // LAME's 1105-sample delay): exactly the notice.
    let best = { lag: Number.NaN, error: Number.POSITIVE_INFINITY };
    for (let lag = copy.noticeSamples - 1200; lag <= copy.noticeSamples + 1200; lag++) {
      let error = 0;
      for (let i = 200_000; i < 204_000; i++) error += (out[i + lag]! - chirp[i]!) ** 2;
      if (error < best.error) best = { lag, error };
    }
    expect(best.lag).toBe(copy.noticeSamples);
  });

  it('works on the decoded timeline of any input: a 44.1 kHz stereo MP3', async () => {
    const withheld = [
      { startMs: 1000, endMs: 2000 },
      { startMs: 5000, endMs: 6000 },
    ];
    const copy = await makeRedactedCopy({
      input: f('stereo44.mp3'),
      output: f('stereo.mp3'),
      withheld,
      fill: 'silence',
    });
    const out = await decodeToPcm(f('stereo.mp3'));
    expect(out.length).toBe(copy.totalSamples);
    expect(Math.abs(copy.totalSamples - 6 * RATE)).toBeLessThan(RATE / 100);
    for (const r of withheld) {
      const { start, end } = samplesOf(r, 0, out.length);
      expect(peakDbfs(out, start, end)).toBeLessThan(-60);
    }
    expect(rmsDbfs(out, 3 * RATE, 4 * RATE)).toBeGreaterThan(-10.5);
  });

  it('silences speech (espeak-ng) inside the range', async () => {
    expect(speech, 'espeak-ng (installed by scripts/test) makes the speech fixtures').toBe(true);
    const words = await decodeToPcm(f('speech.wav'));
    // Somewhere in the middle of the speech, where it is loud.
    const withheld = [{ startMs: 2500, endMs: 4500 }];
    const { start, end } = samplesOf(withheld[0]!);
    expect(rmsDbfs(words, start, end)).toBeGreaterThan(-40);
    const copy = await makeRedactedCopy({ input: f('speech.wav'), output: f('speech.mp3'), withheld, fill: 'silence' });
    const out = await decodeToPcm(f('speech.mp3'));
    expect(peakDbfs(out, start, end)).toBeLessThan(-60);
    expect(copy.outputRanges[0]!.startSample).toBe(start - GUARD);
  });

  it('puts a spoken notice first when espeak-ng is installed', async () => {
    expect(speech, 'espeak-ng (installed by scripts/test) makes the speech fixtures').toBe(true);
    const copy = await makeRedactedCopy({
      input: f('tone10.wav'),
      output: f('spoken.mp3'),
      withheld: [{ startMs: 1000, endMs: 2000 }],
      fill: 'silence',
      notice: { kind: 'speech', text: 'Some parts of this recording have been withheld.', gapMs: 0 },
    });
    expect(copy.noticeSamples).toBeGreaterThan(RATE); // a sentence takes more than a second
    const out = await decodeToPcm(f('spoken.mp3'));
    expect(rmsDbfs(out, 0, copy.noticeSamples)).toBeGreaterThan(-40);
    expect(copy.outputRanges[0]!.startSample).toBe(copy.noticeSamples + 48_000 - GUARD);
    expect(peakDbfs(out, copy.noticeSamples + 48_000, copy.noticeSamples + 96_000)).toBeLessThan(-60);
  });
});

describe('makeRedactedCopy with random ranges (property)', () => {
  it('silences every range and keeps the rest, wherever the ranges fall', async () => {
    const tone10 = await decodeToPcm(f('tone10.wav'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: 9_990_000 }), fc.integer({ min: 1_000, max: 3_000_000 }))
            .map(([a, len]) => ({ startMs: a / 1000, endMs: Math.min(10_000, (a + len) / 1000) })),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom('silence' as const, 'tone' as const),
        async (withheld, fill) => {
          const output = f(`random-${run++}.mp3`);
          const copy = await makeRedactedCopy({ input: f('tone10.wav'), output, withheld, fill });
          const out = await decodeToPcm(output);
          expect(out.length).toBe(tone10.length);
          withheld.forEach((r, i) => {
            const { start, end } = samplesOf(r, 0, out.length);
            if (fill === 'silence') {
              expect(peakDbfs(out, start, end)).toBeLessThan(-60);
            } else {
              // A filter needs about 10 ms to tell 440 Hz from the 1 kHz fill; below that, measure the
              // guarded span around the range (less the smear at edges next to kept sound), a superset.
              if (end - start >= 480) expect(20 * Math.log10(goertzel(out, start, end, 440) / 0.5)).toBeLessThan(-60);
              const span = copy.outputRanges[i]!;
              const from = span.startSample === 0 ? 0 : span.startSample + SMEAR;
              const to = span.endSample === out.length ? out.length : span.endSample - SMEAR;
              expect(20 * Math.log10(goertzel(out, from, to, 440) / 0.5)).toBeLessThan(-60);
            }
          });
          for (const { start, end } of keptStretches(copy))
            expect(Math.abs(rmsDbfs(out, start, end) - TONE_RMS_DBFS)).toBeLessThan(1);
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('makeRedactedCopy refuses what it cannot do safely, leaving nothing behind', () => {
  const refusals: Array<[string, MsRange[], RegExp]> = [
    ['a range that ends before it starts', [{ startMs: 2000, endMs: 1000 }], /must end after it starts/],
    ['an empty range', [{ startMs: 2000, endMs: 2000 }], /must end after it starts/],
    ['a range before the start', [{ startMs: -5, endMs: 1000 }], /cannot start before/],
    ['a range that is not a number', [{ startMs: Number.NaN, endMs: 1000 }], /.+/],
    [
      'a range after the end of the recording',
      [
        { startMs: 1000, endMs: 2000 },
        { startMs: 11_000, endMs: 12_000 },
      ],
      /Withheld range 2 starts after the end/,
    ],
  ];
  it.each(refusals)('%s', async (_label, withheld, message) => {
    const before = await readdir(fx.dir);
    const err = await makeRedactedCopy({
      input: f('tone10.wav'),
      output: f('refused.mp3'),
      withheld,
      fill: 'silence',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRedactionError);
    expect((err as InvalidRedactionError).message).toMatch(message);
    expect((await readdir(fx.dir)).sort()).toEqual(before.sort());
  });

  it('a guard under 20 ms', async () => {
    await expect(
      makeRedactedCopy({ input: f('tone10.wav'), output: f('refused.mp3'), withheld: [], fill: 'silence', guardMs: 5 }),
    ).rejects.toThrow(/at least 20 ms/);
  });

  it('a notice tone longer than 30 seconds', async () => {
    await expect(
      makeRedactedCopy({
        input: f('tone10.wav'),
        output: f('refused.mp3'),
        withheld: [],
        fill: 'silence',
        notice: { kind: 'tone', seconds: 31 },
      }),
    ).rejects.toBeInstanceOf(InvalidRedactionError);
  });

  it('stops when aborted, killing both ffmpeg processes', async () => {
    const before = await readdir(fx.dir);
    const controller = new AbortController();
    const seen: number[] = [];
    setTimeout(() => controller.abort(), 300);
    await expect(
      makeRedactedCopy({
        input: f('long-silence.wav'),
        output: f('aborted.mp3'),
        withheld: [{ startMs: 1000, endMs: 2000 }],
        fill: 'silence',
        signal: controller.signal,
        onProgress: (p) => seen.push(p),
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect((await readdir(fx.dir)).sort()).toEqual(before.sort());
    expect(seen.every((p) => p < 1)).toBe(true);
    expect(await childProcesses()).toEqual([]);
  });

  it('reports progress up to 1 on a copy that finishes', async () => {
    const seen: number[] = [];
    await makeRedactedCopy({
      input: f('tone60.wav'),
      output: f('progress.mp3'),
      withheld: [{ startMs: 1000, endMs: 2000 }],
      fill: 'silence',
      onProgress: (p) => seen.push(p),
    });
    expect(seen.length).toBeGreaterThan(10);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('checkRedactedCopy (run on every copy before it is released)', () => {
  it('fails a copy whose withheld range still holds sound', async () => {
    // An unredacted copy checked as though it had been redacted: must fail.
    await makePlaybackCopy(f('tone10.wav'), f('unredacted.mp3'));
    const ranges = [{ start: 48_000, end: 96_000 }];
    const err = await checkRedactedCopy({
      file: f('unredacted.mp3'),
      expectedSamples: 10 * RATE,
      checkRanges: ranges,
      fill: 'silence',
      fillOf: new SampleRedactor({ ranges, fill: 'silence', sampleRate: RATE }),
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioProcessingError);
    expect((err as Error).message).toMatch(/failed its check: a withheld range holds more than its silence/);
  });

  it('fails a copy with the wrong number of samples (a timeline that moved)', async () => {
    const err = await checkRedactedCopy({
      file: f('unredacted.mp3'),
      expectedSamples: 10 * RATE + 1105,
      checkRanges: [],
      fill: 'silence',
      fillOf: new SampleRedactor({ ranges: [], fill: 'silence', sampleRate: RATE }),
      timeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/decodes to 480000 samples, not 481105/);
  });
});

/** A mono 16-bit WAV of exactly `samples` samples of a 440 Hz tone at half scale. */
async function exactToneWav(out: string, samples: number): Promise<string> {
  const data = Buffer.alloc(2 * samples);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / RATE)), 2 * i);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(2 * RATE, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  await writeFile(out, Buffer.concat([header, data]));
  return out;
}

describe('makeRedactedCopy at an MP3 frame edge (A-3, A-6: the copy decodes to exactly the samples it says)', () => {
  // Lengths 1 to 46 samples past a whole number of 1152-sample frames decode up to 46 samples too
  // long from a plain encode (the LAME header ffmpeg writes declares too little end padding), which
  // the release check refuses. makeRedactedCopy adds under 1 ms of silence at the end instead.
  const EDGE = 8 * MP3_FRAME_SAMPLES; // 9216 samples, 192 ms: short inputs keep the sweep fast
  // Both ends of the window and steps through it (the pure rule is checked at every length below;
  // a sweep of every length from 10 below to 60 above four frame edges was measured by hand).
  const offsets = [-10, -1, 0, 1, 2, 12, 23, 34, 45, 46, 47, 48, 60];
  const lengths = offsets.map((r) => EDGE + r);
  const withheld: MsRange[] = [
    { startMs: 50, endMs: 80 }, // samples 2400–3840
    { startMs: 180, endMs: 400 }, // from sample 8640 past the end of every length
  ];

  it('the fault it works around: a plain encode 1 to 46 samples past a frame edge decodes long', async () => {
    await exactToneWav(f('edge-plain.wav'), EDGE + 1);
    await encode(f('edge-plain.wav'), f('edge-plain.mp3'), MP3_CBR_64K);
    expect((await decodeToPcm(f('edge-plain.mp3'))).length).toBe(EDGE + FRAME_EDGE_WINDOW + 1);
  });

  it('pads only lengths in that window, by at most 46 samples, to a length outside it', () => {
    for (let r = 0; r < MP3_FRAME_SAMPLES; r++) {
      const pad = frameEdgePadding(EDGE + r);
      expect(pad).toBe(r >= 1 && r <= FRAME_EDGE_WINDOW ? FRAME_EDGE_WINDOW + 1 - r : 0);
      const rest = (EDGE + r + pad) % MP3_FRAME_SAMPLES;
      expect(rest === 0 || rest > FRAME_EDGE_WINDOW).toBe(true);
    }
  });

  it('passes the release check at lengths from 10 below to 60 above a frame edge, withheld ranges still silent', async () => {
    const results: Array<{ samples: number; copy: RedactedCopy; out: Int16Array }> = [];
    for (let i = 0; i < lengths.length; i += 4) {
      results.push(
        ...(await Promise.all(
          lengths.slice(i, i + 4).map(async (samples) => {
            const input = await exactToneWav(f(`edge-${samples}.wav`), samples);
            // verify is on (the default): a copy that failed the release check would throw here.
            const copy = await makeRedactedCopy({
              input,
              output: f(`edge-${samples}.mp3`),
              withheld,
              fill: 'silence',
              guardMs: 20,
            });
            return { samples, copy, out: await decodeToPcm(f(`edge-${samples}.mp3`)) };
          }),
        )),
      );
    }
    let padded = 0;
    for (const { samples, copy, out } of results) {
      const pad = copy.endPaddingSamples;
      if (pad > 0) padded++;
      expect(pad).toBe(frameEdgePadding(samples));
      expect(copy.totalSamples).toBe(samples + pad);
      expect(out.length).toBe(copy.totalSamples);
      expect(copy.durationMs).toBe((copy.totalSamples * 1000) / RATE);
      // The withheld ranges are where they were, and the end one stops at the recording's end, not the padding's.
      expect(copy.outputRanges.map((o) => [o.startSample, o.endSample])).toEqual([
        [2400 - 960, 3840 + 960],
        [8640 - 960, samples],
      ]);
      for (const r of withheld) {
        const { start, end } = samplesOf(r, 0, samples);
        expect(peakDbfs(out, start, end)).toBeLessThan(-60);
      }
      // The padding is silence, and the kept tone between the ranges is still there.
      expect(peakDbfs(out, samples, out.length)).toBeLessThan(-60);
      expect(rmsDbfs(out, 5400, 7000)).toBeGreaterThan(-12);
    }
    expect(padded).toBe(offsets.filter((r) => r >= 1 && r <= FRAME_EDGE_WINDOW).length); // those, and only those
  }, 120_000);
});
