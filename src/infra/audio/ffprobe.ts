import { z } from 'zod';
import { type AudioToolPaths, recordingInput, runTool, toolPaths } from './tools.ts';

/** The kinds of file a recording may arrive in, by what their content is, not their name. */
export type AudioContainer =
  'wav' | 'mp3' | 'mp4' | 'webm' | 'matroska' | 'ogg' | 'aac' | 'flac' | 'asf' | 'amr' | 'dss' | 'aiff';

const numeric = z
  .union([z.string(), z.number()])
  .transform((v) => Number(v))
  .pipe(z.number().finite());

export const ffprobeOutput = z.object({
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        sample_rate: numeric.optional(),
        channels: z.number().optional(),
        duration: numeric.optional(),
        bit_rate: numeric.optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
      }),
    )
    .default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numeric.optional(),
      bit_rate: numeric.optional(),
    })
    .default({}),
});
export type FfprobeOutput = z.infer<typeof ffprobeOutput>;

/**
 * ffprobe, restricted to the fields used here: `-show_entries` instead of `-show_format
 * -show_streams` so tags (titles, names a device wrote into the file) are never read, and the output
 * stays small whatever the file holds. `-v warning` so "Estimating duration from bitrate" (a duration
 * guessed from the file size, not stated by the file) can be recognised.
 */
export function ffprobeArgs(filePath: string): string[] {
  return [
    '-hide_banner',
    '-v',
    'warning',
    '-print_format',
    'json',
    '-show_entries',
    'format=format_name,duration,bit_rate:stream=index,codec_type,codec_name,sample_rate,channels,duration,bit_rate:stream_disposition=attached_pic',
    ...recordingInput(filePath),
  ];
}

export function containerOf(formatName: string, streams: FfprobeOutput['streams']): AudioContainer | undefined {
  const names = formatName.split(',');
  const first = names[0] ?? '';
  if (first === 'mov') return 'mp4';
  if (first === 'matroska') {
    const webm = new Set(['opus', 'vorbis', 'vp8', 'vp9', 'av1']);
    return streams.every((s) => s.codec_name === undefined || webm.has(s.codec_name)) ? 'webm' : 'matroska';
  }
  const known: readonly string[] = ['wav', 'mp3', 'ogg', 'aac', 'flac', 'asf', 'amr', 'dss', 'aiff'];
  return known.includes(first) ? (first as AudioContainer) : undefined;
}

/**
 * The duration the container states, from ffprobe alone (no decoding), or undefined when it does not
 * say (a browser's WebM). For progress reporting only: never a substitute for probeAudio's checks.
 */
export async function statedDurationMs(
  filePath: string,
  opts: { signal?: AbortSignal | undefined; tools?: Partial<AudioToolPaths> | undefined } = {},
): Promise<number | undefined> {
  const probed = await runTool(toolPaths(opts.tools).ffprobe, ffprobeArgs(filePath), {
    signal: opts.signal,
    timeoutMs: 30_000,
  });
  if (probed.code !== 0) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(probed.stdout);
  } catch {
    return undefined;
  }
  const parsed = ffprobeOutput.safeParse(json);
  const seconds = parsed.success
    ? (parsed.data.streams.find((s) => s.codec_type === 'audio')?.duration ?? parsed.data.format.duration)
    : undefined;
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : undefined;
}
