import { AudioProcessingError } from './errors.ts';
import { RAW_S16LE_TO_STDOUT, WORKING_SAMPLE_RATE, monoDecodeOptions } from './pcm.ts';
import { type Fill, type SampleRange, type SampleRedactor, mergeRanges } from './sample-redactor.ts';
import { type AudioToolPaths, QUIET, startTool, toolPaths } from './tools.ts';

/**
 * Largest difference allowed, when the copy is checked, between a decoded sample inside a withheld
 * span and the fill written there. Silence: −60 dBFS (measured: MP3 decodes it as exact zeros).
 * Tone: −45 dBFS (measured: MP3 at 64 kb/s reproduces the −30 dBFS tone to within −56 dBFS,
 * including where a span reaches either end of the file). Withheld speech left in place by a
 * misplaced span would peak 20 dB and more above either limit.
 */
export const VERIFY_MAX_DEVIATION: Readonly<Record<Fill, number>> = {
  silence: Math.round(32768 * 10 ** (-60 / 20)),
  tone: Math.round(32768 * 10 ** (-45 / 20)),
};

/**
 * Decodes the finished MP3 (ffmpeg's decoder honours its Info / LAME header) and checks that it has
 * exactly `expectedSamples`, and that inside each check range every sample is within
 * VERIFY_MAX_DEVIATION of the fill written there. A copy that fails is never released.
 */
export async function checkRedactedCopy(args: {
  file: string;
  expectedSamples: number;
  /** The withheld spans the copy states (moved by the notice, without the guard): each sample in them is measured. */
  checkRanges: SampleRange[];
  fill: Fill;
  /** A redactor over the copy's own spans, which says what was written at each sample. */
  fillOf: SampleRedactor;
  tools?: AudioToolPaths;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  onSamples?: (n: number) => void;
}): Promise<void> {
  const tools = args.tools ?? toolPaths();
  const checks = mergeRanges(args.checkRanges);
  const decoder = startTool(
    tools.ffmpeg,
    // The copy is our own MP3: read it with the mp3 demuxer only, as raw samples at the working rate.
    [
      ...QUIET,
      '-protocol_whitelist',
      'file',
      '-f',
      'mp3',
      '-i',
      `file:${args.file}`,
      ...monoDecodeOptions(WORKING_SAMPLE_RATE),
      ...RAW_S16LE_TO_STDOUT,
    ],
    { signal: args.signal, timeoutMs: args.timeoutMs, stdout: 'pipe' },
  );
  let n = 0;
  let next = 0;
  let worst = 0;
  let carry: Buffer | undefined;
  try {
    for await (const data of decoder.stdout!) {
      let chunk = data as Buffer;
      if (carry) {
        chunk = Buffer.concat([carry, chunk]);
        carry = undefined;
      }
      const whole = chunk.length & ~1;
      if (whole < chunk.length) carry = chunk.subarray(whole);
      const first = n;
      const last = first + whole / 2;
      while (next < checks.length && checks[next]!.end <= first) next++;
      for (let i = next; i < checks.length && checks[i]!.start < last; i++) {
        const range = checks[i]!;
        const from = Math.max(range.start, first);
        const to = Math.min(range.end, last);
        if (args.fill === 'silence') {
          // What silence writes is 0 at every sample (SampleRedactor), so the deviation is the sample itself.
          for (let k = from; k < to; k++) {
            const deviation = Math.abs(chunk.readInt16LE(2 * (k - first)));
            if (deviation > worst) worst = deviation;
          }
        } else {
          for (let k = from; k < to; k++) {
            const deviation = Math.abs(chunk.readInt16LE(2 * (k - first)) - (args.fillOf.valueAt(k) ?? 0));
            if (deviation > worst) worst = deviation;
          }
        }
      }
      n = last;
      args.onSamples?.(n);
    }
  } catch (err) {
    decoder.kill();
    await decoder.exited.catch(() => undefined);
    throw err;
  }
  const exit = await decoder.exited;
  if (exit.code !== 0)
    throw new AudioProcessingError(
      'TOOL_FAILED',
      'The disclosure copy could not be decoded for its check',
      exit.stderr,
    );
  if (n !== args.expectedSamples) {
    throw new AudioProcessingError(
      'TOOL_FAILED',
      `The disclosure copy failed its check: it decodes to ${n} samples, not ${args.expectedSamples}`,
    );
  }
  if (worst > VERIFY_MAX_DEVIATION[args.fill]) {
    throw new AudioProcessingError(
      'TOOL_FAILED',
      `The disclosure copy failed its check: a withheld range holds more than its ${args.fill} (deviation ${worst})`,
    );
  }
}
