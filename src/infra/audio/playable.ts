import { AudioProcessingError } from './errors.ts';
import { sha256File, writeAtomically } from './files.ts';
import { RAW_S16LE_TO_STDOUT, WORKING_SAMPLE_RATE, monoDecodeOptions } from './pcm.ts';
import {
  type DerivedFile,
  MP3_PLAYBACK,
  PEAKS_SAMPLE_RATE,
  PeakMeter,
  peaksPerSecond as checkedPeaksPerSecond,
} from './playback.ts';
import {
  type AudioProbe,
  DECODE_COUNT_OUTPUT,
  type ProbeOptions,
  decodeCheck,
  decodeOutcome,
  inspectAudio,
  judgeDecode,
} from './probe.ts';
import { QUIET, followProgress, recordingInput, startTool, toolPaths } from './tools.ts';

export interface PlayableOptions extends ProbeOptions {
  /** The waveform's windows per second of audio; default 20. */
  peaksPerSecond?: number;
  /** Called with 0..1 as the copy is made (at most every 1 %), and with 1 when it is complete. */
  onProgress?: (fraction: number) => void;
  /** Time allowed for the one pass; default 30 minutes. */
  timeoutMs?: number;
}

/** A recording made playable: what it is (as probeAudio says), its playback copy and its waveform. */
export interface Playable {
  probe: AudioProbe;
  /** The MP3 at the output path (as makePlaybackCopy makes it); its duration is `probe.durationMs`. */
  copy: DerivedFile;
  /** As computePeaks measures them from the same recording. */
  peaks: number[];
}

/**
 * Makes a recording playable from ONE decode of its first audio track: the decode that checks it (as
 * probeAudio does: every sample decoded and counted, no error, a length that agrees with the
 * container's) also feeds the playback copy (as makePlaybackCopy) and the waveform (as computePeaks).
 * One ffmpeg process, three outputs of the same decoded track:
 *   0. DECODE_COUNT_OUTPUT: one byte per native sample to /dev/null; `-progress` (on file descriptor 3)
 *      reports its size, the decoded sample count;
 *   1. the playback copy: mono 48 kHz, MP3_PLAYBACK (CBR 64 kb/s, no bit reservoir), written atomically;
 *   2. mono 8 kHz s16le on stdout, measured into the waveform as it streams past.
 * The checks before decoding (ffprobe, the container's bookkeeping) run first, on the file, exactly as
 * in probeAudio; `-xerror` stops the pass at the first decoding error.
 *
 * A pass that does not end cleanly (an error exit or any error line) may have failed on its input or on
 * its outputs (a full disk). The file is then decoded again on its own, as probeAudio decodes it, and
 * that decode judges it: the same rejection as probeAudio's for a damaged file, TOOL_FAILED (AudioProcessingError)
 * when the file is sound and the pass itself failed. A cut end that acceptCutEnd allows is kept.
 * Throws AudioRejectedError for an unusable file, the signal's reason on abort; on any failure no
 * copy is left at `outputPath`.
 */
export async function makePlayable(
  inputPath: string,
  outputPath: string,
  opts: PlayableOptions = {},
): Promise<Playable> {
  const perSecond = checkedPeaksPerSecond(opts.peaksPerSecond);
  const tools = toolPaths(opts.tools);
  const inspection = await inspectAudio(inputPath, opts);
  return writeAtomically(outputPath, async (tmp) => {
    const tool = startTool(
      tools.ffmpeg,
      [
        ...QUIET,
        '-xerror',
        '-progress',
        'pipe:3',
        '-nostats',
        ...recordingInput(inputPath),
        ...DECODE_COUNT_OUTPUT,
        ...monoDecodeOptions(WORKING_SAMPLE_RATE),
        ...MP3_PLAYBACK,
        '-y',
        `file:${tmp}`,
        ...monoDecodeOptions(PEAKS_SAMPLE_RATE),
        ...RAW_S16LE_TO_STDOUT,
      ],
      { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 30 * 60_000, stdout: 'pipe', fd3: 'pipe' },
    );
    let progress = '';
    tool.fd3!.on('data', (chunk: string | Buffer) => {
      // Only the last block matters; the text is kept bounded however long the pass.
      progress = (progress + String(chunk)).slice(-8192);
    });
    followProgress(tool.fd3!, inspection.statedMs, opts.onProgress);
    const meter = new PeakMeter(perSecond);
    try {
      for await (const data of tool.stdout!) meter.add(data as Buffer);
    } catch (err) {
      tool.kill();
      await tool.exited.catch(() => undefined);
      throw err;
    }
    const exit = await tool.exited;
    const pass = decodeOutcome(exit.code, progress, exit.stderr);
    if (pass.finished && !pass.errors) return { probe: judgeDecode(inspection, pass), peaks: meter.finish() };
    // The file decoded on its own judges it: a damaged recording is refused exactly as probeAudio refuses it.
    const decoded = await decodeCheck(inputPath, opts);
    const probe = judgeDecode(inspection, decoded);
    // Accepted: either it decodes cleanly, so what failed was this pass, or it has a cut end that is allowed,
    // and then the pass must have ended and counted the same samples.
    if (!decoded.errors || !pass.finished || pass.samples !== decoded.samples)
      throw new AudioProcessingError('TOOL_FAILED', 'Making the recording playable failed', exit.stderr);
    const peaks = meter.finish();
    return { probe, peaks };
  }).then(async ({ probe, peaks }) => {
    opts.onProgress?.(1);
    return { probe, copy: await sha256File(outputPath), peaks };
  });
}
