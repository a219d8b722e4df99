import { AudioProcessingError } from './errors.ts';
import { scanMp3 } from './mp3-frames.ts';
import {
  LAME_STREAM_DELAY,
  LEAD_FRAMES,
  type SpliceOptions,
  SpliceUnavailable,
  outside,
  playbackFrames,
} from './mp3-source.ts';
import { WORKING_SAMPLE_RATE } from './pcm.ts';
import type { SampleRedactor } from './sample-redactor.ts';
import { QUIET, runTool } from './tools.ts';

const SAMPLES = 1152;
/** Frames of the region's own audio encoded after its last kept frame, so the encoder never sees the next region there. */
const TRAIL_FRAMES = 2;
/** Frames of digital silence encoded at the end, for the frame repeated in long silent spans. */
const SILENCE_FRAMES = 12;

export interface RegionContext extends SpliceOptions {
  /** Samples of notice before the recording in the copy. */
  prefix: number;
  /** Where the copy's sample 0 is in its decoded stream. */
  delayOut: number;
  /** The spans in the copy's samples, as the full path fills them. */
  fillOf: SampleRedactor;
  /** Samples of the recording. */
  total: number;
  frameLength: number;
}

interface Region {
  /** Frames [a, b) of the copy. */
  a: number;
  b: number;
}

interface Planned {
  /** Frames encoded and dropped before the first kept one. */
  lead: number;
  /** The copy's sample at the start of this region's audio, and how many frames of audio it is. */
  x0: number;
  frames: number;
  /** Where this region's audio starts in the one stream given to the encoder, in frames. */
  at: number;
}

/**
 * The copy's frames for each region, re-encoded: the region's audio (notice, the recording decoded
 * from the playback copy, each span filled by `fillOf`) from LEAD_FRAMES frames before it to
 * TRAIL_FRAMES after, placed so that its encoded frames fall exactly on the copy's frame grid. Every
 * region goes through one decoder and one encoder: each region's audio is a whole number of frames,
 * so in the one stream each still starts on a frame edge, and the frames where two regions meet are
 * lead and trail, which are dropped. With `silence`, one frame of digital silence too.
 */
export async function encodeRegions(
  ctx: RegionContext,
  regions: readonly Region[],
  silence: boolean,
): Promise<{ frames: Buffer[]; silent: Buffer | undefined }> {
  if (regions.length === 0 && !silence) return { frames: [], silent: undefined };
  const planned: Planned[] = [];
  let at = 0;
  for (const { a, b } of regions) {
    const lead = Math.min(a, LEAD_FRAMES);
    const frames = lead + (b - a) + TRAIL_FRAMES;
    planned.push({ lead, x0: SAMPLES * (a - lead) + LAME_STREAM_DELAY - ctx.delayOut, frames, at });
    at += frames;
  }
  const pcm = Buffer.alloc(2 * SAMPLES * (at + (silence ? SILENCE_FRAMES : 0)));
  await decodeInto(ctx, planned, pcm);
  for (const p of planned) {
    const base = p.at * SAMPLES;
    const x1 = p.x0 + p.frames * SAMPLES;
    // The notice, where the region reaches it.
    for (let s = Math.max(p.x0, 0); s < Math.min(x1, ctx.prefix); s++)
      pcm.writeInt16LE(ctx.notice.readInt16LE(2 * s), 2 * (base + s - p.x0));
    // The spans, filled exactly as the full path fills them.
    for (let s = p.x0; s < x1; s++) {
      const value = ctx.fillOf.valueAt(s);
      if (value !== undefined) pcm.writeInt16LE(value, 2 * (base + s - p.x0));
    }
  }
  const encoded = await runTool(
    ctx.tools.ffmpeg,
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
      ...ctx.encodeOptions,
      'pipe:1',
    ],
    {
      input: pcm,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      maxStdoutBytes: (pcm.length / 2 / SAMPLES + 8) * ctx.frameLength,
    },
  );
  if (encoded.code !== 0)
    throw new AudioProcessingError('TOOL_FAILED', 'Encoding the parts of the copy failed', encoded.stderr);
  const out = encoded.stdoutBytes;
  const layout = scanMp3(out);
  if (
    layout.info ||
    !layout.uniform ||
    layout.usesReservoir ||
    layout.first.length !== ctx.frameLength ||
    layout.trailingBytes !== 0
  )
    throw new SpliceUnavailable('the encoder wrote frames unlike the playback copy');
  if (layout.frameOffsets.length < at + (silence ? SILENCE_FRAMES : 0))
    throw new SpliceUnavailable('the encoder wrote too few frames');
  const slice = (frame: number, count: number): Buffer => {
    const from = layout.frameOffsets[frame]!;
    return out.subarray(from, from + count * ctx.frameLength);
  };
  return {
    frames: planned.map((p, i) => slice(p.at + p.lead, regions[i]!.b - regions[i]!.a)),
    silent: silence ? slice(at + SILENCE_FRAMES / 2, 1) : undefined,
  };
}

/**
 * Writes into `pcm` the recording's samples each region needs outside the spans, decoded from the
 * playback copy's frames: every piece, with LEAD_FRAMES frames of lead-in (the decoder's memory of
 * the frames before), through one decoder. Without an Info header the decoder drops nothing, so
 * each frame gives exactly 1152 samples and each piece's samples are where its frames put them.
 */
async function decodeInto(ctx: RegionContext, planned: readonly Planned[], pcm: Buffer): Promise<void> {
  const { source } = ctx;
  const count = source.layout.frameOffsets.length;
  const pieces: Array<{ g0: number; g1: number; k0: number; k1: number; dest: number }> = [];
  for (const p of planned) {
    const t0 = Math.max(0, p.x0 - ctx.prefix);
    const t1 = Math.min(ctx.total, p.x0 + p.frames * SAMPLES - ctx.prefix);
    for (const [g0, g1] of outside(t0, t1, ctx.spans)) {
      const k0 = Math.max(0, Math.floor((g0 + source.delay) / SAMPLES) - LEAD_FRAMES);
      const k1 = Math.min(count, Math.ceil((g1 + source.delay) / SAMPLES) + 1);
      pieces.push({ g0, g1, k0, k1, dest: p.at * SAMPLES + g0 + ctx.prefix - p.x0 });
    }
  }
  if (pieces.length === 0) return;
  // A piece from the first frame decodes as the whole file does; any other must not come first.
  pieces.sort((x, y) => x.k0 - y.k0);
  const frames = pieces.reduce((n, q) => n + q.k1 - q.k0, 0);
  const decoded = await runTool(
    ctx.tools.ffmpeg,
    [...QUIET, '-f', 'mp3', '-i', 'pipe:0', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'],
    {
      input: Buffer.concat(pieces.map((q) => playbackFrames(source, q.k0, q.k1))),
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      maxStdoutBytes: 2 * SAMPLES * frames + 1024,
    },
  );
  if (decoded.code !== 0)
    throw new AudioProcessingError('TOOL_FAILED', 'Decoding parts of the playback copy failed', decoded.stderr);
  if (decoded.stdoutBytes.length !== 2 * SAMPLES * frames)
    throw new SpliceUnavailable('parts of the playback copy decoded to an unexpected length');
  let base = 0;
  for (const q of pieces) {
    const first = base + q.g0 + source.delay - SAMPLES * q.k0;
    decoded.stdoutBytes.copy(pcm, 2 * q.dest, 2 * first, 2 * (first + q.g1 - q.g0));
    base += SAMPLES * (q.k1 - q.k0);
  }
}
