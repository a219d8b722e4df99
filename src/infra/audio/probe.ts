import { stat } from 'node:fs/promises';
import { type EndCheck, checkOggEnd, checkWavEnd } from './container-checks.ts';
import { AudioRejectedError } from './errors.ts';
import { type AudioContainer, type FfprobeOutput, containerOf, ffprobeArgs, ffprobeOutput } from './ffprobe.ts';
import { type AudioToolPaths, QUIET, recordingInput, runTool, toolPaths } from './tools.ts';

export type { AudioContainer } from './ffprobe.ts';
export { statedDurationMs } from './ffprobe.ts';

export interface AudioProbe {
  container: AudioContainer;
  /** ffmpeg's name for the codec of the first audio track: pcm_s16le, mp3, aac, opus, … */
  codec: string;
  /** Measured by decoding every sample of the first audio track, not read from the header. */
  durationMs: number;
  sampleRate: number;
  channels: number;
  /** Bits per second, when the file says. */
  bitRate?: number;
  /** A moving picture besides the sound (an MS Teams MP4); cover art in an MP3 does not count. */
  hasVideo: boolean;
  /** Only with `acceptCutEnd`: the file stops part-way through its last block of audio. */
  cutEnd?: boolean;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Longer recordings are refused with TOO_LONG. Default 8 hours. */
  maxDurationMs?: number;
  /** Time allowed for the full decode check (ffprobe alone has 30 seconds). Default 15 minutes. */
  timeoutMs?: number;
  tools?: Partial<AudioToolPaths>;
  /**
   * A live recording from the browser whose sender stopped abruptly (a laptop failed mid-meeting)
   * ends inside a cluster or page: that file may be the only record of the meeting, so with this
   * option a cut END is accepted when everything before it decodes, and reported as `cutEnd`.
   */
  acceptCutEnd?: boolean;
}

export const DEFAULT_MAX_DURATION_MS = 8 * 60 * 60 * 1000;

/**
 * A container that states a duration (a WAV data size, an MP3 Info header, an MP4 index) and decodes
 * to less than this much shorter has lost its end. Codec priming and padding differ by tens of
 * milliseconds, never by this much.
 */
export const TRUNCATION_TOLERANCE_MS = 500;

const MESSAGES = {
  empty: 'The file is empty: it has no sound in it.',
  notAudio:
    'This file is not a sound or video recording. Upload the recording as MP3, M4A, WAV, WebM, Ogg or an MP4 video with sound.',
  picture: 'This file is a picture, not a sound recording. Upload the recording itself.',
  noAudioTrack: 'This video has no sound track, so there is no recording in it to keep.',
  truncated:
    'The recording is incomplete or damaged: its end is missing or part of it cannot be played. It may not have finished copying or uploading. Copy or export it again from where it was made and upload the new copy.',
  tooLong: (maxMs: number) =>
    `The recording is longer than the limit of ${formatHours(maxMs)}. Check it is the right file, or split it into parts.`,
};

function formatHours(ms: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'hour');
  if (ms >= 60_000) return plural(Math.round(ms / 60_000), 'minute');
  return plural(Math.round(ms / 1000), 'second');
}

/**
 * The decode check's output: every decoded sample of the first audio track, counted and discarded.
 * - `-map 0:a:0`: the first audio track only (the one every derived copy is made from); video is
 *   never decoded.
 * - `-ac 1 -c:a pcm_u8 -f u8`: one byte per sample, so the byte count ffmpeg reports as `total_size`
 *   (of its first output) is exactly the number of samples decoded (a duration to the sample, with no
 *   container's word for it).
 * - `-y /dev/null`: the decoded bytes are discarded without passing through this process.
 */
export const DECODE_COUNT_OUTPUT = ['-map', '0:a:0', '-ac', '1', '-c:a', 'pcm_u8', '-f', 'u8', '-y', '/dev/null'];

/**
 * The decode check: every packet of the first audio track is decoded; nothing is kept.
 * - `-xerror`: stop with a non-zero exit at the first decoding or reading error.
 * - `-progress pipe:1 -nostats`: machine-readable totals on stdout instead of the status line.
 */
function decodeCheckArgs(filePath: string): string[] {
  return [...QUIET, '-xerror', ...recordingInput(filePath), '-progress', 'pipe:1', '-nostats', ...DECODE_COUNT_OUTPUT];
}

/** What decoding the first audio track found (see decodeCheck). */
export interface DecodeOutcome {
  /** ffmpeg read to the end and exited 0. */
  finished: boolean;
  /** Samples per channel decoded. */
  samples: number;
  /** ffmpeg logged an error on the way. */
  errors: boolean;
}

/** Reads a decode's outcome from ffmpeg's exit and its `-progress` output (DECODE_COUNT_OUTPUT first). */
export function decodeOutcome(code: number | null, progress: string, stderr: string): DecodeOutcome {
  const last = [...progress.matchAll(/^total_size=(\d+)$/gm)].at(-1);
  const finished = code === 0 && last !== undefined && /^progress=end$/m.test(progress);
  return { finished, samples: last ? Number(last[1]) : 0, errors: stderr.trim() !== '' };
}

/** A file's container facts, checked before its audio is decoded (see inspectAudio). */
export interface Inspection {
  container: AudioContainer;
  codec: string;
  sampleRate: number;
  channels: number;
  bitRate?: number;
  hasVideo: boolean;
  /** The length the container states, when it states one (never one guessed from the file size). */
  statedMs?: number;
  end: EndCheck;
  /** A cut end may be accepted (acceptCutEnd, and a live-recording container). */
  cutAllowed: boolean;
  maxDurationMs: number;
}

/**
 * What a file is, judged by its content, after checking that it is a complete, decodable
 * recording: ffprobe reads the container; the container's own bookkeeping is checked where ffmpeg
 * does not (WAV sizes, Ogg's last page); then the whole audio track is decoded, and the decoded length
 * is compared with any length the container states. Throws AudioRejectedError with a message for the
 * person who supplied the file; AudioProcessingError when the tools fail; the signal's reason on abort.
 * makePlayable (playable.ts) makes the same checks on the decode that also makes the playback copy.
 */
export async function probeAudio(filePath: string, opts: ProbeOptions = {}): Promise<AudioProbe> {
  const inspection = await inspectAudio(filePath, opts);
  return judgeDecode(inspection, await decodeCheck(filePath, opts));
}

/**
 * The checks made before decoding: the file is not empty, ffprobe reads it as a recording with an
 * audio track, no longer than the limit by its own word, and its container's bookkeeping is whole.
 */
export async function inspectAudio(filePath: string, opts: ProbeOptions = {}): Promise<Inspection> {
  const tools = toolPaths(opts.tools);
  const maxDurationMs = opts.maxDurationMs ?? DEFAULT_MAX_DURATION_MS;
  opts.signal?.throwIfAborted();
  const { size } = await stat(filePath);
  if (size === 0) throw new AudioRejectedError('EMPTY', MESSAGES.empty);
  const probed = await runTool(tools.ffprobe, ffprobeArgs(filePath), { signal: opts.signal, timeoutMs: 30_000 });
  if (probed.code !== 0) throw rejectionForUnreadable(probed.stderr);
  let info: FfprobeOutput;
  try {
    info = ffprobeOutput.parse(JSON.parse(probed.stdout));
  } catch {
    throw new AudioRejectedError('NOT_AUDIO', MESSAGES.notAudio);
  }
  const container = containerOf(info.format.format_name ?? '', info.streams);
  if (!container) throw new AudioRejectedError('NOT_AUDIO', MESSAGES.notAudio);
  const audio = info.streams.find((s) => s.codec_type === 'audio');
  const hasVideo = info.streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!audio)
    throw new AudioRejectedError(
      hasVideo ? 'NO_AUDIO_TRACK' : 'NOT_AUDIO',
      hasVideo ? MESSAGES.noAudioTrack : MESSAGES.notAudio,
    );
  const sampleRate = audio.sample_rate ?? 0;
  const channels = audio.channels ?? 0;
  if (!audio.codec_name || sampleRate <= 0 || channels <= 0)
    throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);

  // A length the container states, for the truncation check: the audio track's own, or the file's
  // when there is nothing else in it; never one ffprobe guessed from the file size.
  const guessed = /Estimating duration from bitrate/i.test(probed.stderr);
  const statedSeconds = guessed ? undefined : (audio.duration ?? (hasVideo ? undefined : info.format.duration));
  const statedMs = statedSeconds !== undefined && statedSeconds > 0 ? statedSeconds * 1000 : undefined;
  if (statedMs !== undefined && statedMs > maxDurationMs + TRUNCATION_TOLERANCE_MS)
    throw new AudioRejectedError('TOO_LONG', MESSAGES.tooLong(maxDurationMs));

  const end =
    container === 'wav'
      ? await checkWavEnd(filePath, size)
      : container === 'ogg'
        ? await checkOggEnd(filePath, size)
        : 'unknown';
  const cutAllowed = opts.acceptCutEnd === true && (container === 'webm' || container === 'ogg');
  if (end === 'truncated' && !cutAllowed) throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);

  const bitRate = audio.bit_rate ?? (hasVideo ? undefined : info.format.bit_rate);
  return {
    container,
    codec: audio.codec_name,
    sampleRate,
    channels,
    ...(bitRate !== undefined && bitRate > 0 ? { bitRate: Math.round(bitRate) } : {}),
    hasVideo,
    ...(statedMs !== undefined ? { statedMs } : {}),
    end,
    cutAllowed,
    maxDurationMs,
  };
}

/**
 * The checks made on the decode: it read to the end without an error (a cut end only where allowed),
 * found sound, and its length agrees with any the container states and is within the limit.
 */
export function judgeDecode(inspection: Inspection, decoded: DecodeOutcome): AudioProbe {
  const { container, codec, sampleRate, channels, bitRate, hasVideo, statedMs, end, cutAllowed, maxDurationMs } =
    inspection;
  if (!decoded.finished) throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);
  // A header with no sound after it (ffmpeg may log that it found nothing to read, which is not damage).
  if (decoded.samples === 0) throw new AudioRejectedError('EMPTY', MESSAGES.empty);
  // Any error line counts, not only the exit code: some read errors (an MP4 whose data stops short,
  // a WebM cut inside a cluster) are logged while ffmpeg goes on to exit 0 with what it had.
  if (decoded.errors && !cutAllowed) throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);
  const cutEnd = cutAllowed && (decoded.errors || end === 'truncated');
  const samples = decoded.samples;
  const durationMs = Math.round((samples * 1000) / sampleRate);
  if (statedMs !== undefined && durationMs < statedMs - TRUNCATION_TOLERANCE_MS)
    throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);
  if (durationMs > maxDurationMs) throw new AudioRejectedError('TOO_LONG', MESSAGES.tooLong(maxDurationMs));

  return {
    container,
    codec,
    durationMs,
    sampleRate,
    channels,
    ...(bitRate !== undefined ? { bitRate } : {}),
    hasVideo,
    ...(cutEnd ? { cutEnd: true } : {}),
  };
}

function rejectionForUnreadable(stderr: string): AudioRejectedError {
  // An MP4 / M4A whose index (written last, unless the file was prepared for streaming) is missing.
  if (/moov atom not found/i.test(stderr)) return new AudioRejectedError('TRUNCATED_OR_CORRUPT', MESSAGES.truncated);
  // ffmpeg recognised the content but it is a format outside ACCEPTED_DEMUXERS; pictures say so.
  const refused = /\[([\w,]+) @ [^\]]*\] Format not on whitelist/.exec(stderr);
  if (refused && /(_pipe|^image2|^gif|^webp)/.test(refused[1]!))
    return new AudioRejectedError('NOT_AUDIO', MESSAGES.picture);
  return new AudioRejectedError('NOT_AUDIO', MESSAGES.notAudio);
}

/** Decodes the first audio track on its own (probeAudio; makePlayable when its one pass went wrong). */
export async function decodeCheck(filePath: string, opts: ProbeOptions = {}): Promise<DecodeOutcome> {
  const result = await runTool(toolPaths(opts.tools).ffmpeg, decodeCheckArgs(filePath), {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 15 * 60_000,
    maxStdoutBytes: 16 * 1024 * 1024,
  });
  return decodeOutcome(result.code, result.stdout, result.stderr);
}
