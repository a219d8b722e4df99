import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AudioProcessingError, InvalidRedactionError } from './errors.ts';
import { RAW_S16LE_TO_STDOUT, WORKING_SAMPLE_RATE, monoDecodeOptions } from './pcm.ts';
import { type AudioToolPaths, QUIET, assertSucceeded, recordingInput, runTool, toolPaths } from './tools.ts';

/**
 * A short announcement put before a disclosure copy, so the listener knows parts were withheld:
 * - `speech`: the text spoken by espeak-ng (when installed; see speechAvailable);
 * - `wav`: a recorded announcement, by a path the service chose;
 * - `tone`: a plain tone of the given length.
 * `gapMs` of silence (default 500) follows the announcement, before the recording starts.
 */
export type NoticeOptions =
  | { kind: 'speech'; text: string; voice?: string; gapMs?: number }
  | { kind: 'wav'; path: string; gapMs?: number }
  | { kind: 'tone'; seconds: number; frequencyHz?: number; gapMs?: number };

/** The longest announcement accepted, gap included. */
export const MAX_NOTICE_MS = 120_000;

const gapMs = z.number().int().min(0).max(10_000).default(500);
const noticeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('speech'),
    text: z.string().trim().min(1, 'The notice has no words').max(2000, 'The notice is longer than 2000 characters'),
    // espeak-ng voice names: "en-gb", "en-gb-x-rp", "cy", "en+f3".
    voice: z
      .string()
      .regex(/^[a-z]{2,3}([-+][a-z0-9]{1,8})*$/i, 'Not a voice name')
      .default('en-gb'),
    gapMs,
  }),
  z.object({ kind: z.literal('wav'), path: z.string().min(1), gapMs }),
  z.object({
    kind: z.literal('tone'),
    seconds: z.number().positive().max(30, 'A notice tone is at most 30 seconds'),
    frequencyHz: z.number().min(50).max(8000).default(1000),
    gapMs,
  }),
]);

export async function speechAvailable(tools: Partial<AudioToolPaths> = {}): Promise<boolean> {
  const file = toolPaths(tools).espeakNg;
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * The announcement as raw mono 16-bit samples at the working rate, ready to go before the recording.
 * Its length in samples is exactly how far every withheld range moves in the copy.
 */
export async function noticeSamples(
  given: NoticeOptions,
  opts: { signal?: AbortSignal | undefined; tools: AudioToolPaths },
): Promise<Buffer> {
  const parsed = noticeSchema.safeParse(given);
  if (!parsed.success)
    throw new InvalidRedactionError(parsed.error.issues[0]?.message ?? 'The notice is not valid', 'notice');
  const notice = parsed.data;
  const rate = WORKING_SAMPLE_RATE;
  let sound: Buffer;
  if (notice.kind === 'tone') {
    sound = tone(Math.round(notice.seconds * rate), notice.frequencyHz, rate);
  } else if (notice.kind === 'wav') {
    sound = await decodeNotice(notice.path, opts);
  } else {
    if (!(await speechAvailable(opts.tools)))
      throw new AudioProcessingError('TOOL_MISSING', 'Spoken notices need espeak-ng, which is not installed');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-notice-'));
    try {
      const wav = path.join(dir, 'notice.wav');
      // `-w`: write a WAV file; `--stdin`: the words come on stdin, so no text is ever read as an option.
      const spoken = await runTool(opts.tools.espeakNg, ['-v', notice.voice, '-w', wav, '--stdin'], {
        input: notice.text,
        signal: opts.signal,
        timeoutMs: 60_000,
      });
      assertSucceeded(spoken, 'Speaking the notice');
      sound = await decodeNotice(wav, opts);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const gap = Buffer.alloc(2 * Math.round((notice.gapMs * rate) / 1000));
  const all = Buffer.concat([sound, gap]);
  if (all.length / 2 > (MAX_NOTICE_MS * rate) / 1000)
    throw new InvalidRedactionError('The notice is longer than 2 minutes', 'notice');
  return all;
}

async function decodeNotice(
  file: string,
  opts: { signal?: AbortSignal | undefined; tools: AudioToolPaths },
): Promise<Buffer> {
  const maxBytes = 2 * ((MAX_NOTICE_MS * WORKING_SAMPLE_RATE) / 1000);
  const decoded = await runTool(
    opts.tools.ffmpeg,
    [...QUIET, ...recordingInput(file), ...monoDecodeOptions(WORKING_SAMPLE_RATE), ...RAW_S16LE_TO_STDOUT],
    {
      signal: opts.signal,
      timeoutMs: 60_000,
      maxStdoutBytes: maxBytes,
    },
  ).catch((err: unknown) => {
    if (err instanceof AudioProcessingError && /more than/.test(err.message))
      throw new InvalidRedactionError('The notice is longer than 2 minutes', 'notice');
    throw err;
  });
  if (decoded.code !== 0) throw new InvalidRedactionError('The notice recording could not be read as audio', 'notice');
  const bytes = decoded.stdoutBytes;
  return bytes.subarray(0, bytes.length & ~1);
}

/** A sine at −20 dBFS with 10 ms rises and falls, as 16-bit samples. */
function tone(samples: number, hz: number, rate: number): Buffer {
  const out = Buffer.alloc(samples * 2);
  const amplitude = 32767 * 10 ** (-20 / 20);
  const fade = Math.round(rate * 0.01);
  for (let n = 0; n < samples; n++) {
    const edge = Math.min(n + 0.5, samples - n - 0.5) / fade;
    const envelope = edge >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * edge);
    out.writeInt16LE(Math.round(amplitude * envelope * Math.sin((2 * Math.PI * hz * n) / rate)), 2 * n);
  }
  return out;
}
