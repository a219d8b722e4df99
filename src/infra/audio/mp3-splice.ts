import { open } from 'node:fs/promises';
import { crc16, infoFrame } from './mp3-frames.ts';
import {
  LAME_STREAM_DELAY,
  LEAD_FRAMES,
  type SpliceOptions,
  type SpliceStats,
  SpliceUnavailable,
  playbackFrames,
  readPlaybackSource,
} from './mp3-source.ts';
import { WORKING_SAMPLE_RATE } from './pcm.ts';
import { type Fill, type SampleRange, SampleRedactor } from './sample-redactor.ts';
import { encodeRegions } from './splice-regions.ts';
import type { AudioToolPaths } from './tools.ts';

export { SpliceUnavailable, readPlaybackSource } from './mp3-source.ts';
export type { PlaybackSource, SpliceOptions, SpliceStats } from './mp3-source.ts';

/** Frames re-encoded on each side of the frames that decode samples of a withheld span (see spliceRedactedCopy). */
export const SEAM_FRAMES = 2;
/** Copied runs shorter than this between two re-encoded regions are re-encoded too (fewer seams). */
export const MIN_COPIED_RUN = 8;
const SAMPLES = 1152;

/**
 * Makes the copy: output sample s is notice sample s for s < prefix, then recording sample s − prefix.
 *
 * The copy's encoder delay is chosen (LAME_STREAM_DELAY + e, e < 1152) so that playback frame k falls
 * exactly on a frame of the copy, frame k + shift; such frames are copied byte for byte. A frame that
 * decodes any sample of the notice or of a withheld span, and SEAM_FRAMES frames either side of it,
 * are re-encoded instead: the playback copy is decoded over that region (with lead-in), the span is
 * filled by the same SampleRedactor the full path uses, the result is encoded with the bit reservoir
 * off starting exactly LEAD_FRAMES frames earlier on the copy's frame grid, and its frames replace
 * the region's. A decoded MP3 frame's samples depend only on it and the frame before (the IMDCT
 * overlap and the synthesis filter's 512 samples), so every sample of a withheld span comes from
 * re-encoded frames alone. An Info / LAME header stating the new delay and padding goes first, so the
 * copy decodes to exactly prefix + total samples. Returns that number.
 */
export async function spliceRedactedCopy(opts: SpliceOptions): Promise<{ totalSamples: number; stats: SpliceStats }> {
  const { source, notice } = opts;
  const prefix = notice.length / 2;
  const T = source.total;
  const e = mod(source.delay - prefix - LAME_STREAM_DELAY, SAMPLES);
  const delayOut = LAME_STREAM_DELAY + e;
  const shift = (delayOut + prefix - source.delay) / SAMPLES;
  if (!Number.isInteger(shift) || shift < 0) throw new SpliceUnavailable('the playback copy has an unusual delay');
  const nFrames = source.layout.frameOffsets.length + shift;
  const frameOf = (s: number): number => Math.floor((s + delayOut) / SAMPLES);

  // Frames to re-encode, as [from, to) intervals of the copy's frames.
  const dirty: Array<[number, number]> = [];
  if (shift > 0 || prefix > 0) dirty.push([0, frameOf(prefix) + 1 + SEAM_FRAMES]);
  for (const span of opts.spans)
    dirty.push([frameOf(prefix + span.start) - SEAM_FRAMES, frameOf(prefix + span.end - 1) + 1 + SEAM_FRAMES]);
  const regions: Array<[number, number]> = [];
  for (const [a0, b0] of dirty) {
    const a = Math.max(0, a0);
    const b = Math.min(nFrames, b0);
    const last = regions.at(-1);
    if (last && a - last[1] < MIN_COPIED_RUN) last[1] = Math.max(last[1], b);
    else regions.push([a, b]);
  }
  // Anything left of the copy's end within MIN_COPIED_RUN joins the last region.
  const tail = regions.at(-1);
  if (tail && nFrames - tail[1] < MIN_COPIED_RUN) tail[1] = nFrames;

  const fillOf = new SampleRedactor({
    ranges: opts.spans.map((r) => ({ start: r.start + prefix, end: r.end + prefix })),
    fill: opts.fill,
    sampleRate: WORKING_SAMPLE_RATE,
  });
  const frameLength = source.layout.first.length;
  const segments = splitSilentInteriors(regions, opts.fill === 'silence' ? opts.spans : [], (s) => frameOf(prefix + s));
  const toEncode = segments.filter((g) => g.kind === 'encode');
  const { frames: encodedFrames, silent } = await encodeRegions(
    { ...opts, prefix, delayOut, fillOf, total: T, frameLength },
    toEncode,
    segments.length > toEncode.length,
  );
  const encoded = new Map(toEncode.map((g, i) => [g, encodedFrames[i]!]));
  const parts: Buffer[] = [];
  let copiedFrom = 0; // next frame of the copy not yet written
  let reencodedFrames = 0;
  let silentFrames = 0;
  for (const g of segments) {
    if (g.a > copiedFrom) parts.push(playbackFrames(source, copiedFrom - shift, g.a - shift));
    if (g.kind === 'encode') {
      parts.push(encoded.get(g)!);
      reencodedFrames += g.b - g.a;
    } else {
      for (let j = g.a; j < g.b; j++) parts.push(silent!);
      silentFrames += g.b - g.a;
    }
    copiedFrom = g.b;
  }
  if (copiedFrom < nFrames) parts.push(playbackFrames(source, copiedFrom - shift, nFrames - shift));

  const audioBytes = parts.reduce((n, p) => n + p.length, 0);
  if (audioBytes !== nFrames * frameLength) throw new Error('The spliced frames do not add up');
  const padding = nFrames * SAMPLES - (delayOut - 529) - (prefix + T);
  let audioCrc = 0;
  for (const p of parts) audioCrc = crc16(p, audioCrc);
  const info = source.layout.info!;
  const head = infoFrame({
    template: source.buf.subarray(info.offset),
    header: info.header,
    tag: info.tag,
    frames: nFrames,
    audioBytes,
    frameOffsets: Array.from({ length: nFrames }, (_, i) => i * frameLength),
    delay: delayOut - 529,
    padding,
    audioCrc,
  });
  const fh = await open(opts.output, 'w');
  try {
    for (const part of [head, ...parts]) {
      let written = 0;
      while (written < part.length) written += (await fh.write(part, written)).bytesWritten;
    }
  } finally {
    await fh.close();
  }
  return {
    totalSamples: prefix + T,
    stats: { copiedFrames: nFrames - reencodedFrames - silentFrames, reencodedFrames, silentFrames },
  };
}

interface Segment {
  kind: 'encode' | 'silent';
  /** Frames [a, b) of the copy. */
  a: number;
  b: number;
}

/** Frames kept re-encoded inside each end of a silent span, before frames of digital silence are repeated. */
const SILENT_EDGE_FRAMES = SEAM_FRAMES + LEAD_FRAMES + 1;

/**
 * The regions to re-encode, with the middle of each long silent span taken out as `silent`: frames
 * that decode only samples of the span, as do the frames before them, so each can be the same
 * frame of digital silence instead of being encoded (the release check still decodes every one).
 */
function splitSilentInteriors(
  regions: ReadonlyArray<[number, number]>,
  spans: readonly SampleRange[],
  frameOf: (sample: number) => number,
): Segment[] {
  const segments: Segment[] = [];
  let s = 0;
  for (const [a, b] of regions) {
    let from = a;
    while (s < spans.length && frameOf(spans[s]!.end - 1) < b) {
      const span = spans[s++]!;
      const ia = Math.max(from, frameOf(span.start) + SILENT_EDGE_FRAMES);
      const ib = frameOf(span.end - 1) - SILENT_EDGE_FRAMES;
      if (ib - ia < 2 * LEAD_FRAMES) continue;
      segments.push({ kind: 'encode', a: from, b: ia }, { kind: 'silent', a: ia, b: ib });
      from = ib;
    }
    segments.push({ kind: 'encode', a: from, b });
  }
  return segments;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/**
 * How each re-encoded region is encoded: as MP3_CBR_64K (pcm.ts), with the bit reservoir off so each
 * frame stands alone, and without an Info header (the spliced copy gets its own).
 */
export const SPLICE_ENCODE_OPTIONS = [
  '-c:a',
  'libmp3lame',
  '-b:a',
  '64k',
  '-reservoir',
  '0',
  '-write_xing',
  '0',
  '-id3v2_version',
  '0',
  '-map_metadata',
  '-1',
  '-fflags',
  '+bitexact',
  '-flags',
  '+bitexact',
  '-f',
  'mp3',
] as const;

/**
 * The spliced copy of the recording whose playback copy is `playbackCopy`, written to `output`
 * (unchecked: the caller checks it as it checks every copy). `spans` are the guarded, merged spans in
 * recording samples. Throws SpliceUnavailable when the playback copy cannot be spliced safely: it
 * uses the bit reservoir or is not constant 64 kb/s mono MP3 with an Info / LAME header, or its
 * length disagrees with the recording's (`durationMs`), or it ends where its header may state too
 * little padding (redaction.ts, FRAME_EDGE_WINDOW).
 */
export async function makeSplicedCopy(args: {
  playbackCopy: string;
  output: string;
  notice: Buffer;
  spans: readonly SampleRange[];
  fill: Fill;
  durationMs: number | undefined;
  tools: AudioToolPaths;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}): Promise<{ recordingSamples: number; stats: SpliceStats }> {
  const source = await readPlaybackSource(args.playbackCopy);
  const T = source.total;
  if (T % SAMPLES === 47) throw new SpliceUnavailable('the playback copy may state too little end padding');
  if (args.durationMs !== undefined && Math.abs((T * 1000) / WORKING_SAMPLE_RATE - args.durationMs) > 1)
    throw new SpliceUnavailable("the playback copy's length differs from the recording's");
  const spans = args.spans.map((r) => ({ start: r.start, end: Math.min(r.end, T) })).filter((r) => r.end > r.start);
  const made = await spliceRedactedCopy({
    source,
    output: args.output,
    notice: args.notice,
    spans,
    fill: args.fill,
    encodeOptions: SPLICE_ENCODE_OPTIONS,
    tools: args.tools,
    signal: args.signal,
    timeoutMs: args.timeoutMs,
  });
  return { recordingSamples: T, stats: made.stats };
}
