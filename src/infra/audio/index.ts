/**
 * The audio toolkit for conference recordings, over Debian's ffmpeg, ffprobe
 * and (optionally) espeak-ng, always run with argument arrays and paths the service chose:
 * - probeAudio: what a file is, judged by its content, after a full decode check;
 * - makePlaybackCopy / computePeaks: the browser's copy (seekable CBR MP3) and its waveform;
 * - makePlayable: probeAudio's checks, the playback copy and the waveform from one decode;
 * - makeRedactedCopy: a disclosure copy with withheld ranges replaced to the sample, checked before
 *   it is released.
 * Every derived file is on the recording's decoded timeline (pcm.ts).
 */
import { speechAvailable } from './notice.ts';
import {
  type DerivedFile,
  type PeaksOptions,
  type PlaybackCopyOptions,
  computePeaks,
  makePlaybackCopy,
} from './playback.ts';
import { type Playable, type PlayableOptions, makePlayable } from './playable.ts';
import { type AudioProbe, type ProbeOptions, probeAudio } from './probe.ts';
import { type RedactedCopy, type RedactionOptions, makeRedactedCopy } from './redaction.ts';
import { type AudioToolPaths, toolPaths } from './tools.ts';

export { AudioProcessingError, AudioRejectedError, InvalidRedactionError } from './errors.ts';
export type { AudioProcessingCode, AudioRejectionCode } from './errors.ts';
export { DEFAULT_MAX_DURATION_MS, probeAudio } from './probe.ts';
export type { AudioContainer, AudioProbe, ProbeOptions } from './probe.ts';
export { MP3_PLAYBACK, PEAKS_SAMPLE_RATE, computePeaks, makePlaybackCopy } from './playback.ts';
export { makePlayable } from './playable.ts';
export type { Playable, PlayableOptions } from './playable.ts';
export type { DerivedFile, PeaksOptions, PlaybackCopyOptions } from './playback.ts';
export { DEFAULT_GUARD_MS, makeRedactedCopy } from './redaction.ts';
export type { OutputRange, RedactedCopy, RedactionOptions } from './redaction.ts';
export { MAX_NOTICE_MS, speechAvailable } from './notice.ts';
export type { NoticeOptions } from './notice.ts';
export type { Fill, MsRange } from './sample-redactor.ts';
export { WORKING_SAMPLE_RATE } from './pcm.ts';
export { defaultToolPaths } from './tools.ts';
export type { AudioToolPaths } from './tools.ts';

/** The toolkit bound to one set of program paths, for the composition root. */
export interface AudioToolkit {
  probe(path: string, opts?: Omit<ProbeOptions, 'tools'>): Promise<AudioProbe>;
  makePlaybackCopy(input: string, output: string, opts?: Omit<PlaybackCopyOptions, 'tools'>): Promise<DerivedFile>;
  computePeaks(input: string, opts?: Omit<PeaksOptions, 'tools'>): Promise<number[]>;
  /** probe + makePlaybackCopy + computePeaks from one decode (playable.ts). */
  makePlayable(input: string, output: string, opts?: Omit<PlayableOptions, 'tools'>): Promise<Playable>;
  makeRedactedCopy(opts: Omit<RedactionOptions, 'tools'>): Promise<RedactedCopy>;
  /** Whether a spoken notice ({ kind: 'speech' } in NoticeOptions) can be made here. */
  speechAvailable(): Promise<boolean>;
}

export function createAudioToolkit(paths: Partial<AudioToolPaths> = {}): AudioToolkit {
  const tools = toolPaths(paths);
  return {
    probe: (path, opts = {}) => probeAudio(path, { ...opts, tools }),
    makePlaybackCopy: (input, output, opts = {}) => makePlaybackCopy(input, output, { ...opts, tools }),
    computePeaks: (input, opts = {}) => computePeaks(input, { ...opts, tools }),
    makePlayable: (input, output, opts = {}) => makePlayable(input, output, { ...opts, tools }),
    makeRedactedCopy: (opts) => makeRedactedCopy({ ...opts, tools }),
    speechAvailable: () => speechAvailable(tools),
  };
}
