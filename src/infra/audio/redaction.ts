import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AudioProcessingError, InvalidRedactionError } from './errors.ts';
import { sha256File, writeAtomically } from './files.ts';
import { type NoticeOptions, noticeSamples } from './notice.ts';
import { MP3_CBR_64K, RAW_S16LE_TO_STDOUT, WORKING_SAMPLE_RATE, monoDecodeOptions } from './pcm.ts';
import { statedDurationMs } from './probe.ts';
import { type SpliceStats, SpliceUnavailable, makeSplicedCopy } from './mp3-splice.ts';
import { VERIFY_MAX_DEVIATION, checkRedactedCopy } from './redaction-check.ts';
import {
  type Fill,
  type MsRange,
  type SampleRange,
  SampleRedactor,
  mergeRanges,
  toSampleRange,
  widen,
} from './sample-redactor.ts';
import { type AudioToolPaths, QUIET, type RunningTool, recordingInput, startTool, toolPaths } from './tools.ts';

export interface RedactionOptions {
  /** The original recording (R-3: only read, never changed). */
  input: string;
  /** Where the disclosure copy goes; it appears there only when complete and checked. */
  output: string;
  /** The spans this requester must not hear, in milliseconds of the recording's decoded timeline (pcm.ts). */
  withheld: MsRange[];
  /** What replaces them: digital silence, or a quiet 1 kHz tone (−30 dBFS). */
  fill: Fill;
  /** An announcement before the recording; every range moves later by its length. */
  notice?: NoticeOptions;
  /**
   * How far each span is widened on both sides, in ms; default 50, at least 20. It covers a few
   * milliseconds of imprecision in where a span was marked while listening, and keeps the MP3
   * encoder's spreading of the neighbouring, kept sound (up to one 576-sample granule, 12 ms) out of
   * the withheld span itself, so that span decodes as the fill alone.
   */
  guardMs?: number;
  /** Decode the finished copy and check it before releasing it (default true). See checkRedactedCopy. */
  verify?: boolean;
  /**
   * The recording's playback copy (makePlaybackCopy, made with the bit reservoir off), on the same
   * decoded timeline. When given, the copy is made from it by re-encoding only around each withheld
   * span (mp3-splice.ts), checked exactly as a full copy is; when that cannot be done or the check
   * fails, the copy is made in full from `input`, and `fallbackReason` says why.
   */
  playbackCopy?: string;
  /** The recording's duration from probeAudio, for progress; otherwise read from its header. */
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Default 60 minutes. */
  timeoutMs?: number;
  tools?: Partial<AudioToolPaths>;
}

/** Where a withheld span is in the copy: in ms and in samples at `sampleRate`, end excluded. */
export interface OutputRange {
  startMs: number;
  endMs: number;
  startSample: number;
  endSample: number;
}

export interface RedactedCopy {
  durationMs: number;
  /**
   * One per `withheld` range, in the same order: the span of the copy that holds only the fill, guard
   * included, after the notice. Ranges running past the end of the recording stop at its end.
   */
  outputRanges: OutputRange[];
  /**
   * One per `withheld` range, in the same order: the span the copy states as withheld (in its ID3
   * text and withheld-content log), and exactly the span the release check measured as the fill
   * alone. It is the range asked for, rounded outward to whole milliseconds (so a statement in
   * milliseconds is exact), after the notice, stopping at the end of the recording. It lies inside
   * the guard, so MP3 spreading of the kept sound next to it never reaches it.
   */
  statedRanges: OutputRange[];
  sha256: string;
  sizeBytes: number;
  sampleRate: number;
  /** Samples of notice (and gap) before the recording: every range moved by exactly this many. */
  noticeSamples: number;
  /**
   * Samples of digital silence after the recording (0 to FRAME_EDGE_WINDOW), added so that the copy
   * decodes to exactly `totalSamples` (see frameEdgePadding). The recording is samples
   * [noticeSamples, totalSamples − endPaddingSamples) of the copy.
   */
  endPaddingSamples: number;
  /** Every sample the copy decodes to: notice, recording and end padding. */
  totalSamples: number;
  /**
   * How the copy was made: `spliced` from the playback copy (only the frames around each withheld
   * span re-encoded, see mp3-splice.ts), or `full` from the original, every sample decoded and encoded.
   */
  method: CopyMethod;
  /** Why a `playbackCopy` was given but the copy was made in full (no personal data: a fact about the file). */
  fallbackReason?: string;
  /** For a spliced copy: how many frames were copied, re-encoded and filled with digital silence. */
  splice?: SpliceStats;
}

export type CopyMethod = 'spliced' | 'full';

export { VERIFY_MAX_DEVIATION, checkRedactedCopy };

export const DEFAULT_GUARD_MS = 50;

/** Samples in one MPEG-1 Layer III frame. */
export const MP3_FRAME_SAMPLES = 1152;
/**
 * The MP3 lengths that decode too long: a source of n × 1152 + r samples, r from 1 to this, decodes to
 * n × 1152 + FRAME_EDGE_WINDOW + 1 samples, 47 − r too many (measured with ffmpeg 5.1 and LAME 3.100,
 * MP3_CBR_64K at 48 kHz mono, over every length from 10 below to 60 above four frame edges; r = 0 and
 * r from 47 to 1151 decode exactly). The fault is in the header written, not in decoding: LAME pads
 * these lengths by 1728 − r samples (576 of delay, so its last frame is a whole extra one), but
 * ffmpeg's libmp3lame wrapper reports at most one frame of end padding, which the mp3 muxer writes
 * into the Info / LAME header as padding + 529 (decoder delay), so never more than 1681. The header
 * then declares 47 − r samples too few, and every decoder that honours it (ffmpeg's, browsers') plays
 * them: the encoder's padding after the last real sample.
 */
export const FRAME_EDGE_WINDOW = 46;

/**
 * How many samples of digital silence to add after `samples` so the copy's length is outside the
 * window that decodes too long: 47 − r for r = samples mod 1152 in 1..46 (the length then ends 47
 * samples past a frame edge, which decodes exactly), else 0. At most 46 samples (under 1 ms).
 */
export function frameEdgePadding(samples: number): number {
  const r = samples % MP3_FRAME_SAMPLES;
  return r >= 1 && r <= FRAME_EDGE_WINDOW ? FRAME_EDGE_WINDOW + 1 - r : 0;
}

const rangeSchema = z
  .object({
    startMs: z.number().finite().min(0, 'A withheld range cannot start before the recording'),
    endMs: z.number().finite(),
  })
  .refine((r) => r.endMs > r.startMs, 'A withheld range must end after it starts');
const optionsSchema = z.object({
  withheld: z.array(rangeSchema).max(10_000, 'Too many withheld ranges'),
  fill: z.enum(['silence', 'tone']),
  guardMs: z
    .number()
    .finite()
    .min(20, 'The guard is at least 20 ms')
    .max(1000, 'The guard is at most 1000 ms')
    .default(DEFAULT_GUARD_MS),
});

/**
 * A disclosure copy (A-3, A-6; R-3: a new derived file, the original untouched): an MP3 (MP3_CBR_64K)
 * of the recording in which every withheld span holds only silence or a tone, to the sample.
 *
 * The original is decoded to raw mono 16-bit samples at 48 kHz (the decoded timeline, pcm.ts) and
 * streamed through SampleRedactor, which replaces each sample inside a span, widened by the guard
 * and rounded outward to whole samples, before a second ffmpeg encodes the result. ffmpeg's own
 * `volume=enable='between(t,a,b)'` is not used: it switches once per decoded frame (~24 ms), so it
 * would keep up to a frame of withheld sound at each edge.
 *
 * The encoder's delay and padding are declared in the MP3's Info / LAME header (MP3_CBR_64K), which
 * decoders use to drop them, so sample n of the copy decodes at sample n. Where that header would
 * declare too little padding (FRAME_EDGE_WINDOW), up to 46 samples of silence are added after the
 * recording (endPaddingSamples) so the copy still decodes to exactly totalSamples. With `verify` (the
 * default) the finished copy is decoded again and released only if it has exactly the expected
 * number of samples and every withheld span decodes as its fill (VERIFY_MAX_DEVIATION).
 *
 * Throws InvalidRedactionError for unusable ranges or notice (including a range that starts after the
 * recording ends), AudioProcessingError when a tool fails or the check fails, the signal's reason on
 * abort; in every case nothing is left at `output`.
 */
export async function makeRedactedCopy(opts: RedactionOptions): Promise<RedactedCopy> {
  const parsed = optionsSchema.safeParse(opts);
  if (!parsed.success)
    throw new InvalidRedactionError(parsed.error.issues[0]?.message ?? 'The redaction is not valid', 'withheld');
  const { withheld, fill, guardMs } = parsed.data;
  const tools = toolPaths(opts.tools);
  const signal = opts.signal;
  signal?.throwIfAborted();
  const rate = WORKING_SAMPLE_RATE;
  const timeoutMs = opts.timeoutMs ?? 60 * 60_000;

  const guard = Math.round((guardMs * rate) / 1000);
  const requested = withheld.map((r) => toSampleRange(r, rate));
  // What the copy will state and the check measures: the request, outward to whole ms (inside the guard).
  const perMs = rate / 1000;
  const stated = requested.map((r) => ({
    start: Math.floor(r.start / perMs) * perMs,
    end: Math.ceil(r.end / perMs) * perMs,
  }));
  const guarded = requested.map((r) => widen(r, guard));
  const spans = mergeRanges(guarded);

  const notice = opts.notice ? await noticeSamples(opts.notice, { signal, tools }) : Buffer.alloc(0);
  const prefix = notice.length / 2;

  const expectedMs = opts.onProgress
    ? (opts.durationMs ?? (await statedDurationMs(opts.input, { signal, tools: opts.tools })))
    : undefined;
  const expectedSamples = expectedMs ? (expectedMs * rate) / 1000 : undefined;
  const verify = opts.verify ?? true;
  const encodeShare = verify ? 0.9 : 0.99;
  let lastReported = 0;
  const report = (fraction: number): void => {
    if (!opts.onProgress || fraction - lastReported < 0.01) return;
    lastReported = fraction;
    opts.onProgress(fraction);
  };

  let total = 0;
  let padding = 0;
  const rejectOutside = (): void => {
    const outside = requested.findIndex((r) => r.start >= total);
    if (outside >= 0)
      throw new InvalidRedactionError(
        `Withheld range ${outside + 1} starts after the end of the recording`,
        'withheld',
      );
  };
  // The release check, the same whichever way the copy was made.
  const check = async (tmp: string, share: number): Promise<void> => {
    if (!verify) return;
    // Exactly the spans the copy states: nothing stated as withheld goes unmeasured.
    const checkRanges = stated.map((r) => ({ start: r.start + prefix, end: Math.min(r.end, total) + prefix }));
    // Cut at the recording's end, where the redactor fades a tone out.
    const shifted = spans.map((r) => ({ start: r.start + prefix, end: Math.min(r.end, total) + prefix }));
    await checkRedactedCopy({
      file: tmp,
      expectedSamples: prefix + total + padding,
      checkRanges,
      fill,
      fillOf: new SampleRedactor({ ranges: shifted, fill, sampleRate: rate }),
      tools,
      signal,
      timeoutMs,
      onSamples: (n) => report(share + (n / (prefix + total + padding)) * (0.99 - share)),
    });
  };

  let method: CopyMethod = 'full';
  let fallbackReason: string | undefined;
  let splice: SpliceStats | undefined;
  if (opts.playbackCopy) {
    const playbackCopy = opts.playbackCopy;
    try {
      await writeAtomically(opts.output, async (tmp) => {
        const made = await makeSplicedCopy({
          playbackCopy,
          output: tmp,
          notice,
          spans,
          fill,
          durationMs: opts.durationMs,
          tools,
          signal,
          timeoutMs,
        });
        total = made.recordingSamples;
        splice = made.stats;
        padding = 0;
        rejectOutside();
        report(0.2);
        await check(tmp, 0.2);
      });
      method = 'spliced';
    } catch (err) {
      if (signal?.aborted || err instanceof InvalidRedactionError) throw err;
      if (err instanceof AudioProcessingError && err.code !== 'TOOL_FAILED') throw err;
      if (!(err instanceof SpliceUnavailable) && !(err instanceof AudioProcessingError)) throw err;
      fallbackReason = err.message;
    }
  }
  if (method === 'full') {
    await writeAtomically(opts.output, async (tmp) => {
      const redactor = new SampleRedactor({
        ranges: spans,
        fill,
        sampleRate: rate,
        onSamples: (n) => {
          if (expectedSamples) report(Math.min(encodeShare, (n / expectedSamples) * encodeShare));
        },
      });
      ({ recording: total, padding } = await encodeRedacted({
        input: opts.input,
        tmp,
        notice,
        redactor,
        tools,
        signal,
        timeoutMs,
      }));
      rejectOutside();
      await check(tmp, encodeShare);
    });
  }
  const { sha256, sizeBytes } = await sha256File(opts.output);
  opts.onProgress?.(1);
  const inCopy = (r: SampleRange): OutputRange => {
    const startSample = prefix + Math.min(r.start, total);
    const endSample = prefix + Math.min(r.end, total);
    return { startMs: (startSample * 1000) / rate, endMs: (endSample * 1000) / rate, startSample, endSample };
  };
  const outputRanges = guarded.map(inCopy);
  return {
    durationMs: ((prefix + total + padding) * 1000) / rate,
    outputRanges,
    statedRanges: stated.map(inCopy),
    sha256,
    sizeBytes,
    sampleRate: rate,
    noticeSamples: prefix,
    endPaddingSamples: padding,
    totalSamples: prefix + total + padding,
    method,
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    ...(splice ? { splice } : {}),
  };
}

/**
 * decoder (ffmpeg: recording → raw samples on stdout) → SampleRedactor → encoder (ffmpeg: raw samples
 * on stdin → MP3 file), with the notice written to the encoder first and, last, any silence
 * frameEdgePadding asks for. Returns the number of samples of the recording and of that padding.
 * Either process failing, or an abort, kills both.
 */
async function encodeRedacted(args: {
  input: string;
  tmp: string;
  notice: Buffer;
  redactor: SampleRedactor;
  tools: AudioToolPaths;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}): Promise<{ recording: number; padding: number }> {
  const { tools, signal, timeoutMs } = args;
  // `-xerror`: a frame that fails to decode stops the copy instead of being skipped, which would move
  // every later sample on the timeline (probeAudio has already refused any file where that happens).
  const decoder = startTool(
    tools.ffmpeg,
    [
      ...QUIET,
      '-xerror',
      ...recordingInput(args.input),
      ...monoDecodeOptions(WORKING_SAMPLE_RATE),
      ...RAW_S16LE_TO_STDOUT,
    ],
    {
      signal,
      timeoutMs,
      stdout: 'pipe',
    },
  );
  let encoder: RunningTool;
  try {
    encoder = startTool(
      tools.ffmpeg,
      [
        ...QUIET,
        // `-f s16le -ar 48000 -ac 1 -i pipe:0`: the input is raw samples exactly as the redactor wrote
        // them; nothing about them is guessed.
        '-f',
        's16le',
        '-ar',
        String(WORKING_SAMPLE_RATE),
        '-ac',
        '1',
        '-i',
        'pipe:0',
        ...MP3_CBR_64K,
        '-y',
        `file:${args.tmp}`,
      ],
      { signal, timeoutMs, stdin: 'pipe' },
    );
  } catch (err) {
    decoder.kill();
    await decoder.exited.catch(() => undefined);
    throw err;
  }
  const notice = args.notice;
  const redactor = args.redactor;
  let padding = 0;
  const flow = pipeline(
    decoder.stdout!,
    redactor,
    async function* (redacted: AsyncIterable<Buffer>) {
      if (notice.length > 0) yield notice;
      yield* redacted;
      // The whole length is known only now: keep it out of the window that decodes too long.
      padding = frameEdgePadding(notice.length / 2 + redactor.samples);
      if (padding > 0) yield Buffer.alloc(2 * padding);
    },
    encoder.stdin!,
  );
  const results = await Promise.allSettled([flow, decoder.exited, encoder.exited]);
  const failed =
    results.some((r) => r.status === 'rejected') ||
    results.some((r) => r.status === 'fulfilled' && r.value && r.value.code !== 0);
  if (failed) {
    decoder.kill();
    encoder.kill();
    const [, decoded, encoded] = results;
    // An abort or time-out is reported as such; then a tool's own failure; then the stream's.
    for (const r of [decoded, encoded]) if (r.status === 'rejected') throw r.reason;
    if (decoded.status === 'fulfilled' && decoded.value.code !== 0)
      throw new AudioProcessingError('TOOL_FAILED', 'Decoding the recording failed', decoded.value.stderr);
    if (encoded.status === 'fulfilled' && encoded.value.code !== 0)
      throw new AudioProcessingError('TOOL_FAILED', 'Encoding the copy failed', encoded.value.stderr);
    throw (results[0] as PromiseRejectedResult).reason;
  }
  return { recording: redactor.samples, padding };
}
