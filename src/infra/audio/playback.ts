import { endianness } from 'node:os';
import { z } from 'zod';
import { AudioProcessingError } from './errors.ts';
import { sha256File, writeAtomically } from './files.ts';
import { MP3_CBR_64K, RAW_S16LE_TO_STDOUT, WORKING_SAMPLE_RATE, monoDecodeOptions } from './pcm.ts';
import { statedDurationMs } from './probe.ts';
import {
  type AudioToolPaths,
  QUIET,
  assertSucceeded,
  followProgress,
  recordingInput,
  startTool,
  toolPaths,
} from './tools.ts';

export interface PlaybackCopyOptions {
  signal?: AbortSignal;
  /** Called with 0..1 as the copy is made (at most every 1 %), and with 1 when it is complete. */
  onProgress?: (fraction: number) => void;
  /** The input's duration, when known (from probeAudio), for progress; otherwise read from the file's header. */
  durationMs?: number;
  /** Default 30 minutes. */
  timeoutMs?: number;
  tools?: Partial<AudioToolPaths>;
}

/**
 * The playback copy's encoding: MP3_CBR_64K (pcm.ts) with LAME's bit reservoir off (`-reservoir 0`).
 * With the reservoir, a frame may keep part of its audio in the frames before it (its side info's
 * main_data_begin points back into them); without it, main_data_begin is 0 in every frame, so every
 * frame decodes on its own and a frame can be copied unchanged into another MP3 (a disclosure copy
 * re-encodes only around its withheld ranges) without taking bits that belong to its neighbours. The
 * cost is a little quality at the same constant 64 kb/s: a frame cannot borrow bits for a hard passage.
 */
export const MP3_PLAYBACK = [...MP3_CBR_64K, '-reservoir', '0'] as const;

export interface DerivedFile {
  sha256: string;
  sizeBytes: number;
}

/**
 * The copy staff listen to in the browser: MP3, mono, 48 kHz, constant 64 kb/s (see MP3_CBR_64K), on
 * the recording's decoded timeline (see pcm.ts). The original is only read. The copy appears
 * at `outputPath` only when it is complete.
 */
export async function makePlaybackCopy(
  inputPath: string,
  outputPath: string,
  opts: PlaybackCopyOptions = {},
): Promise<DerivedFile> {
  const tools = toolPaths(opts.tools);
  opts.signal?.throwIfAborted();
  const expectedMs = opts.onProgress
    ? (opts.durationMs ?? (await statedDurationMs(inputPath, { signal: opts.signal, tools: opts.tools })))
    : undefined;
  await writeAtomically(outputPath, async (tmp) => {
    const tool = startTool(
      tools.ffmpeg,
      [
        ...QUIET,
        // `-xerror`: as for disclosure copies (redaction.ts), a frame that fails to decode stops the
        // copy rather than being skipped, so the two copies can never disagree about the timeline.
        '-xerror',
        ...recordingInput(inputPath),
        ...monoDecodeOptions(WORKING_SAMPLE_RATE),
        ...MP3_PLAYBACK,
        // `-progress pipe:1`: key=value progress blocks on stdout (out_time_us) for onProgress;
        // `-nostats`: no status line on stderr, which then holds only errors.
        '-progress',
        'pipe:1',
        '-nostats',
        '-y',
        `file:${tmp}`,
      ],
      { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 30 * 60_000, stdout: 'pipe' },
    );
    followProgress(tool.stdout!, expectedMs, opts.onProgress);
    assertSucceeded(await tool.exited, 'Making the playback copy');
  });
  opts.onProgress?.(1);
  return sha256File(outputPath);
}

export interface PeaksOptions {
  /** Windows per second of audio; default 20 (one value per 50 ms). */
  peaksPerSecond?: number;
  signal?: AbortSignal;
  /** Default 15 minutes. */
  timeoutMs?: number;
  tools?: Partial<AudioToolPaths>;
}

/** The rate the waveform is measured at: plenty for a picture of speech, and a sixth of the work. */
export const PEAKS_SAMPLE_RATE = 8_000;

const peaksPerSecondSchema = z.number().int().min(1).max(1000);

/** The waveform's windows per second: 1..1000, default 20. */
export function peaksPerSecond(given: number | undefined): number {
  return peaksPerSecondSchema.parse(given ?? 20);
}

/**
 * The waveform: for each window of 1/peaksPerSecond seconds of the decoded timeline, the largest
 * absolute sample, 0..1 of full scale (mono). The audio is streamed through (`-f s16le -ac 1 -ar 8000`
 * on stdout) and never held in memory: a two-hour recording is 115 MB of samples, and 144 000 numbers
 * at 20 a second.
 */
export async function computePeaks(inputPath: string, opts: PeaksOptions = {}): Promise<number[]> {
  const perSecond = peaksPerSecond(opts.peaksPerSecond);
  const tools = toolPaths(opts.tools);
  const tool = startTool(
    tools.ffmpeg,
    [...QUIET, ...recordingInput(inputPath), ...monoDecodeOptions(PEAKS_SAMPLE_RATE), ...RAW_S16LE_TO_STDOUT],
    {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 15 * 60_000,
      stdout: 'pipe',
    },
  );
  const meter = new PeakMeter(perSecond);
  try {
    for await (const data of tool.stdout!) meter.add(data as Buffer);
  } catch (err) {
    tool.kill();
    await tool.exited.catch(() => undefined);
    throw err;
  }
  assertSucceeded(await tool.exited, 'Measuring the waveform');
  return meter.finish();
}

/**
 * The waveform measured from raw mono s16le samples at PEAKS_SAMPLE_RATE as they stream past (chunks
 * may split a sample): window k covers samples [floor(k·rate/perSecond), floor((k+1)·rate/perSecond)),
 * exact even when the rate is not a multiple of perSecond; a last short window is kept.
 */
export class PeakMeter {
  private readonly peaks: number[] = [];
  private windowIndex = 0;
  private windowEnd: number;
  private sampleIndex = 0;
  private peak = 0;
  private inWindow = 0;
  private carry: Buffer | undefined;

  private readonly perSecond: number;

  constructor(perSecond: number) {
    this.perSecond = perSecond;
    this.windowEnd = Math.floor(PEAKS_SAMPLE_RATE / perSecond);
  }

  /** Samples measured so far. */
  get samples(): number {
    return this.sampleIndex;
  }

  add(data: Buffer): void {
    let chunk = data;
    if (this.carry) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    const whole = chunk.length & ~1;
    if (whole < chunk.length) this.carry = chunk.subarray(whole);
    const samples = int16View(chunk.subarray(0, whole));
    let { peak, inWindow, sampleIndex, windowEnd } = this;
    for (let i = 0; i < samples.length; i++) {
      const v = Math.abs(samples[i]!);
      if (v > peak) peak = v;
      inWindow++;
      sampleIndex++;
      if (sampleIndex === windowEnd) {
        this.peaks.push(round(peak / 32768));
        peak = 0;
        inWindow = 0;
        this.windowIndex++;
        windowEnd = Math.floor(((this.windowIndex + 1) * PEAKS_SAMPLE_RATE) / this.perSecond);
      }
    }
    this.peak = peak;
    this.inWindow = inWindow;
    this.sampleIndex = sampleIndex;
    this.windowEnd = windowEnd;
  }

  /** The peaks, once every sample has been added; fails when there were none. */
  finish(): number[] {
    if (this.inWindow > 0) {
      this.peaks.push(round(this.peak / 32768));
      this.inWindow = 0;
    }
    if (this.sampleIndex === 0) throw new AudioProcessingError('TOOL_FAILED', 'The recording decoded to no sound');
    return this.peaks;
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Whole little-endian 16-bit samples as numbers: a view of the same memory where it can be (a third of the work). */
function int16View(bytes: Buffer): Int16Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0)
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const samples = new Int16Array(bytes.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
  return samples;
}

/** Four decimal places: finer than any waveform can show, and a third of the JSON. */
function round(x: number): number {
  return Math.round(Math.min(1, x) * 10_000) / 10_000;
}
