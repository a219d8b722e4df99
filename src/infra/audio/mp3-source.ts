import { readFile } from 'node:fs/promises';
import { type Mp3Layout, scanMp3 } from './mp3-frames.ts';
import { WORKING_SAMPLE_RATE } from './pcm.ts';
import type { Fill, SampleRange } from './sample-redactor.ts';
import type { AudioToolPaths } from './tools.ts';

/**
 * A disclosure copy made from the playback copy by re-encoding only around each withheld span and
 * copying every other frame unchanged (see spliceRedactedCopy). When the playback copy is not one
 * this can be done with safely, SpliceUnavailable says why, and the caller makes the copy in full.
 */
export class SpliceUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SpliceUnavailable';
  }
}

/** LAME's encoder delay (576) plus the decoder's (529): where sample 0 of its input is in the decoded stream. */
export const LAME_STREAM_DELAY = 576 + 529;
/** Frames encoded and thrown away before the first frame kept from each re-encoding, so the encoder has warmed up. */
export const LEAD_FRAMES = 2;
const SAMPLES = 1152;

/** What the playback copy's frames look like: CBR MPEG-1 Layer III, mono, 48 kHz, no reservoir, an Info / LAME header. */
export interface PlaybackSource {
  buf: Buffer;
  layout: Mp3Layout;
  /** Samples of the recording it decodes to. */
  total: number;
  /** Where recording sample 0 is in its decoded stream (LAME delay + decoder delay). */
  delay: number;
}

/** Reads the playback copy and refuses (SpliceUnavailable) anything but frames that each stand alone. */
export async function readPlaybackSource(file: string): Promise<PlaybackSource> {
  const buf = await readFile(file);
  let layout: Mp3Layout;
  try {
    layout = scanMp3(buf);
  } catch (err) {
    throw new SpliceUnavailable(`the playback copy is not a plain MP3 (${(err as Error).message})`);
  }
  const lame = layout.info?.tag.lame;
  const h = layout.first;
  if (!layout.info || !lame || layout.info.tag.frames !== layout.frameOffsets.length)
    throw new SpliceUnavailable('the playback copy has no usable Info / LAME header');
  if (layout.leadingBytes !== 0 || layout.trailingBytes !== 0)
    throw new SpliceUnavailable('the playback copy has tags or bytes outside its frames');
  if (!layout.uniform || h.version !== 1 || !h.mono || h.sampleRate !== WORKING_SAMPLE_RATE || h.bitrateKbps !== 64)
    throw new SpliceUnavailable('the playback copy is not constant 64 kb/s mono at 48 kHz');
  if (layout.usesReservoir) throw new SpliceUnavailable('the playback copy uses the bit reservoir');
  const total = layout.frameOffsets.length * SAMPLES - lame.delay - lame.padding;
  if (total <= 0) throw new SpliceUnavailable('the playback copy is empty');
  return { buf, layout, total, delay: lame.delay + 529 };
}

/** How a spliced copy's frames were made. */
export interface SpliceStats {
  /** Frames copied byte for byte from the playback copy. */
  copiedFrames: number;
  /** Frames re-encoded around the notice and each withheld span. */
  reencodedFrames: number;
  /** Frames of digital silence repeated in the middle of long silent spans. */
  silentFrames: number;
}

export interface SpliceOptions {
  source: PlaybackSource;
  /** Where the copy goes (the caller's temporary file). */
  output: string;
  /** The notice (and gap) before the recording, as samples at 48 kHz. */
  notice: Buffer;
  /** Guarded, merged spans in recording samples, each cut at the recording's end. */
  spans: readonly SampleRange[];
  fill: Fill;
  /** Output options for the encoder (MP3_CBR_64K with the bit reservoir off, no Info header). */
  encodeOptions: readonly string[];
  tools: AudioToolPaths;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/** The playback copy's audio frames [from, to), as one slice of its bytes. */
export function playbackFrames(source: PlaybackSource, from: number, to: number): Buffer {
  const offsets = source.layout.frameOffsets;
  const start = offsets[from]!;
  const end = to < offsets.length ? offsets[to]! : source.buf.length;
  return source.buf.subarray(start, end);
}

/** The parts of [from, to) outside every span (sorted, merged). */
export function outside(from: number, to: number, spans: readonly SampleRange[]): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  let at = from;
  for (const span of spans) {
    if (span.end <= at) continue;
    if (span.start >= to) break;
    if (span.start > at) gaps.push([at, span.start]);
    at = Math.max(at, span.end);
  }
  if (at < to) gaps.push([at, to]);
  return gaps;
}
