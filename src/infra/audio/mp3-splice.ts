import { open, readFile } from 'node:fs/promises';
import { AudioProcessingError } from './errors.ts';
import { type FrameHeader, type Mp3Layout, crc16, infoFrame, scanMp3 } from './mp3-frames.ts';
import { WORKING_SAMPLE_RATE } from './pcm.ts';
import { type Fill, type SampleRange, SampleRedactor } from './sample-redactor.ts';
import { type AudioToolPaths, QUIET, runTool } from './tools.ts';

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
/** Frames re-encoded on each side of the frames that decode samples of a withheld span (see spliceRedactedCopy). */
export const SEAM_FRAMES = 2;
/** Frames encoded and thrown away before the first frame kept from each re-encoding, so the encoder has warmed up. */
const LEAD_FRAMES = 2;
/** Copied runs shorter than this between two re-encoded regions are re-encoded too (fewer seams). */
export const MIN_COPIED_RUN = 8;
const SAMPLES = 1152;

/** What the playback copy's frames look like: CBR MPEG-1 Layer III, mono, 48 kHz, no reservoir, an Info / LAME header. */
interface PlaybackSource {
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
export async function spliceRedactedCopy(
  opts: SpliceOptions,
): Promise<{ totalSamples: number; reencodedFrames: number }> {
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
  const parts: Buffer[] = [];
  let copiedFrom = 0; // next copy frame not yet written
  let reencodedFrames = 0;
  for (const [a, b] of regions) {
    if (a > copiedFrom) parts.push(playbackFrames(source, copiedFrom - shift, a - shift));
    const frames = await encodeRegion({ ...opts, a, b, prefix, delayOut, fillOf, total: T, frameLength });
    parts.push(frames);
    reencodedFrames += b - a;
    copiedFrom = b;
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
    await fh.writev([head, ...parts]);
  } finally {
    await fh.close();
  }
  return { totalSamples: prefix + T, reencodedFrames };
}

/** The playback copy's audio frames [from, to), as one slice of its bytes. */
function playbackFrames(source: PlaybackSource, from: number, to: number): Buffer {
  const offsets = source.layout.frameOffsets;
  const start = offsets[from]!;
  const end = to < offsets.length ? offsets[to]! : source.buf.length;
  return source.buf.subarray(start, end);
}

/**
 * Re-encodes the copy's frames [a, b): the copy's samples from LEAD_FRAMES frames before `a` (never
 * before its first frame) to two frames after `b`, with the spans filled, encoded so that the
 * encoding's frames fall on the copy's frame grid; returns its frames for [a, b).
 */
async function encodeRegion(
  args: SpliceOptions & {
    a: number;
    b: number;
    prefix: number;
    delayOut: number;
    fillOf: SampleRedactor;
    total: number;
    frameLength: number;
  },
): Promise<Buffer> {
  const { a, b, prefix, delayOut, total } = args;
  const lead = Math.min(a, LEAD_FRAMES);
  const x0 = SAMPLES * (a - lead) + LAME_STREAM_DELAY - delayOut;
  const x1 = SAMPLES * (b + 2) - delayOut;
  const pcm = Buffer.alloc(2 * (x1 - x0));
  // The notice, where the region reaches it.
  for (let s = Math.max(x0, 0); s < Math.min(x1, prefix); s++)
    pcm.writeInt16LE(args.notice.readInt16LE(2 * s), 2 * (s - x0));
  // The recording, decoded from the playback copy's own frames.
  const t0 = Math.max(0, x0 - prefix);
  const t1 = Math.min(total, x1 - prefix);
  if (t1 > t0) {
    const decoded = await decodeRecording(args, t0, t1);
    decoded.copy(pcm, 2 * (t0 + prefix - x0));
  }
  // The spans, filled exactly as the full path fills them.
  for (let s = x0; s < x1; s++) {
    const value = args.fillOf.valueAt(s);
    if (value !== undefined) pcm.writeInt16LE(value, 2 * (s - x0));
  }
  const encoded = await runTool(
    args.tools.ffmpeg,
    [
      ...QUIET,
      '-f',
      's16le',
      '-ar',
      String(WORKING_SAMPLE_RATE),
      '-ac',
      '1',
      '-i',
      'pipe:0',
      ...args.encodeOptions,
      'pipe:1',
    ],
    { input: pcm, signal: args.signal, timeoutMs: args.timeoutMs, maxStdoutBytes: 64 * 1024 * 1024 },
  );
  if (encoded.code !== 0)
    throw new AudioProcessingError('TOOL_FAILED', 'Encoding a part of the copy failed', encoded.stderr);
  const layout = scanMp3(encoded.stdoutBytes);
  const h: FrameHeader = layout.first;
  if (
    layout.info ||
    !layout.uniform ||
    layout.usesReservoir ||
    h.length !== args.frameLength ||
    layout.trailingBytes !== 0
  )
    throw new SpliceUnavailable('the encoder wrote frames unlike the playback copy');
  const wanted = b - a;
  if (layout.frameOffsets.length < lead + wanted) throw new SpliceUnavailable('the encoder wrote too few frames');
  const from = layout.frameOffsets[lead]!;
  return encoded.stdoutBytes.subarray(from, from + wanted * args.frameLength);
}

/** Recording samples [t0, t1), decoded from the playback copy's frames with LEAD_FRAMES of lead-in. */
async function decodeRecording(args: SpliceOptions, t0: number, t1: number): Promise<Buffer> {
  const { source } = args;
  const count = source.layout.frameOffsets.length;
  const k0 = Math.max(0, Math.floor((t0 + source.delay) / SAMPLES) - LEAD_FRAMES);
  const k1 = Math.min(count, Math.ceil((t1 + source.delay) / SAMPLES) + 1);
  const decoded = await runTool(
    args.tools.ffmpeg,
    [...QUIET, '-f', 'mp3', '-i', 'pipe:0', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'],
    {
      input: playbackFrames(source, k0, k1),
      signal: args.signal,
      timeoutMs: args.timeoutMs,
      maxStdoutBytes: 2 * SAMPLES * (k1 - k0) + 1024,
    },
  );
  if (decoded.code !== 0)
    throw new AudioProcessingError('TOOL_FAILED', 'Decoding a part of the playback copy failed', decoded.stderr);
  const first = t0 + source.delay - SAMPLES * k0;
  const pcm = decoded.stdoutBytes.subarray(2 * first, 2 * (first + t1 - t0));
  if (pcm.length !== 2 * (t1 - t0)) throw new SpliceUnavailable('a part of the playback copy decoded short');
  return pcm;
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
}): Promise<{ recordingSamples: number; reencodedFrames: number }> {
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
  return { recordingSamples: T, reencodedFrames: made.reencodedFrames };
}
