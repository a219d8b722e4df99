import { chmod, copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureDir,
  encode,
  ffmpeg,
  fixtureDir,
  liveWebm,
  picture,
  silenceWav,
  toneWav,
  truncatedCopy,
  videoWithAudio,
  videoWithoutAudio,
} from '../../../test/support/audio-fixtures.ts';
import { AudioProcessingError, AudioRejectedError } from './errors.ts';
import { MP3_CBR_64K } from './pcm.ts';
import { type Playable, type PlayableOptions, makePlayable } from './playable.ts';
import { computePeaks, makePlaybackCopy } from './playback.ts';
import { type ProbeOptions, probeAudio } from './probe.ts';
import { defaultToolPaths } from './tools.ts';

// a recording is made playable from one decode, which checks it exactly as probeAudio does and also
// feeds the playback copy and the waveform.
let fx: FixtureDir;
const f = (name: string): string => fx.file(name);

beforeAll(async () => {
  fx = await fixtureDir('cpcr-playable-');
  await toneWav(f('tone.wav'), { seconds: 10 });
  await Promise.all([
    toneWav(f('stereo44.wav'), { seconds: 4, sampleRate: 44_100, channels: 2 }),
    encode(f('tone.wav'), f('tone.mp3'), ['-c:a', 'libmp3lame', '-b:a', '64k']),
    encode(f('tone.wav'), f('tone.m4a'), ['-c:a', 'aac', '-b:a', '64k']),
    encode(f('tone.wav'), f('tone.ogg'), ['-c:a', 'libopus', '-b:a', '32k']),
    liveWebm(f('tone.wav'), f('recorder.webm')),
    videoWithAudio(f('tone.wav'), f('teams.mp4'), 10),
    videoWithoutAudio(f('silent-video.mp4'), 3),
    picture(f('picture.png')),
    silenceWav(f('header-only.wav'), 0),
    // Pink noise under a falling tone: broadband sound at varied levels, which LAME would spread over frames
    // through its bit reservoir if it were allowed to.
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      "aevalsrc='(0.1+0.4*abs(sin(PI*t/3)))*sin(2*PI*(880-60*t)*t)':s=48000:d=6",
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=d=6:c=pink:r=48000:a=0.2:seed=3',
      '-filter_complex',
      'amix=inputs=2:normalize=0',
      '-c:a',
      'pcm_s16le',
      f('noisy.wav'),
    ]),
  ]);
});

afterAll(async () => {
  await fx?.cleanup();
});

let outputs = 0;
const playable = (file: string, opts: PlayableOptions = {}): Promise<Playable> =>
  makePlayable(file, f(`out-${++outputs}.mp3`), opts);

/** The error a promise fails with, or undefined. */
const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/** No copy, finished or partial, is left in the fixture folder under the given name. */
async function leftBehind(name: string): Promise<string[]> {
  return (await readdir(fx.dir)).filter((n) => n.includes(name));
}

/**
 * main_data_begin of every MPEG-1 Layer III frame: the first 9 bits of the side information, after the 4-byte
 * header and its 2-byte CRC when the protection bit says there is one. 0 means the frame's audio data starts in
 * the frame itself (no bit reservoir); anything else is a back-pointer into the frames before it.
 */
function mainDataBegins(mp3: Buffer): number[] {
  const BITRATES = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
  const RATES = [44_100, 48_000, 32_000];
  const begins: number[] = [];
  let offset = 0;
  while (offset + 4 <= mp3.length) {
    const header = mp3.readUInt32BE(offset);
    // Frame sync, MPEG-1 (version bits 11), Layer III (layer bits 01).
    if ((header & 0xfffe0000) >>> 0 !== 0xfffa0000) throw new Error(`no MPEG-1 Layer III frame at byte ${offset}`);
    const protectedByCrc = (header & 0x10000) === 0;
    const bitrate = BITRATES[(header >>> 12) & 0xf]! * 1000;
    const rate = RATES[(header >>> 10) & 0x3]!;
    const padding = (header >>> 9) & 1;
    const sideInfo = offset + 4 + (protectedByCrc ? 2 : 0);
    begins.push(mp3.readUInt16BE(sideInfo) >>> 7);
    offset += Math.floor((144 * bitrate) / rate) + padding;
  }
  expect(offset, 'the file ends at the end of a frame').toBe(mp3.length);
  return begins;
}

describe('makePlayable: one decode checks the recording as probeAudio does (R-5) and makes its playback copy (R-3)', () => {
  const accepted = ['tone.wav', 'stereo44.wav', 'tone.mp3', 'tone.m4a', 'teams.mp4', 'tone.ogg', 'recorder.webm'];
  it.each(accepted)('%s: the same facts as probeAudio, a copy of that duration, the same waveform', async (name) => {
    const made = await playable(f(name), { peaksPerSecond: 10 });
    expect(made.probe).toEqual(await probeAudio(f(name)));
    // The copy decodes to the recording's duration (within a sample at 48 kHz after resampling).
    const copy = await probeAudio(f(`out-${outputs}.mp3`));
    expect(copy).toMatchObject({ container: 'mp3', sampleRate: 48_000, channels: 1, bitRate: 64_000 });
    expect(Math.abs(copy.durationMs - made.probe.durationMs)).toBeLessThanOrEqual(1);
    // The waveform is computePeaks' own, measured from the same decoded timeline.
    expect(made.peaks).toEqual(await computePeaks(f(name), { peaksPerSecond: 10 }));
    expect(made.peaks).toHaveLength(Math.ceil((made.probe.durationMs / 1000) * 10));
  });

  it('writes the same bytes makePlaybackCopy writes', async () => {
    const made = await playable(f('tone.wav'));
    await makePlaybackCopy(f('tone.wav'), f('alone.mp3'));
    expect(await readFile(f(`out-${outputs}.mp3`))).toEqual(await readFile(f('alone.mp3')));
    expect(made.copy.sizeBytes).toBe((await readFile(f('alone.mp3'))).length);
  });

  it('gives the waveform the app measured from the MP3 before, to within the MP3’s coding noise', async () => {
    const made = await playable(f('noisy.wav'), { peaksPerSecond: 10 });
    const fromCopy = await computePeaks(f(`out-${outputs}.mp3`), { peaksPerSecond: 10 });
    expect(made.peaks).toHaveLength(fromCopy.length);
    for (const [i, v] of made.peaks.entries()) expect(Math.abs(v - fromCopy[i]!)).toBeLessThan(0.05);
  });

  it('reports progress that rises to 1', async () => {
    const seen: number[] = [];
    await playable(f('tone.wav'), { onProgress: (x) => seen.push(x) });
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

describe('makePlayable refuses what probeAudio refuses (R-5), with the same error, and leaves no copy', () => {
  beforeAll(async () => {
    await writeFile(f('empty.mp3'), '');
    await writeFile(f('notes.mp3'), 'Minutes of the meeting, typed up afterwards.\n'.repeat(50));
    await Promise.all([
      truncatedCopy(f('tone.wav'), f('cut-tone.wav'), 0.5, 1),
      truncatedCopy(f('tone.mp3'), f('cut-tone.mp3'), 0.5),
      truncatedCopy(f('tone.m4a'), f('cut-tone.m4a'), 0.5),
      truncatedCopy(f('tone.ogg'), f('cut-tone.ogg'), 0.5),
      truncatedCopy(f('recorder.webm'), f('cut-recorder.webm'), 0.5),
    ]);
  });

  const refused: Array<[string, ProbeOptions]> = [
    ['empty.mp3', {}],
    ['header-only.wav', {}],
    ['notes.mp3', {}],
    ['picture.png', {}],
    ['silent-video.mp4', {}],
    ['cut-tone.wav', {}],
    ['cut-tone.mp3', {}],
    ['cut-tone.m4a', {}],
    ['cut-tone.ogg', {}],
    ['cut-recorder.webm', {}],
    ['cut-tone.m4a', { acceptCutEnd: true }],
    ['tone.wav', { maxDurationMs: 5_000 }],
    ['recorder.webm', { maxDurationMs: 5_000 }],
  ];
  it.each(refused)('%s %o', async (name, opts) => {
    const before = outputs;
    const expected = await failure(probeAudio(f(name), opts));
    expect(expected, 'probeAudio refuses it').toBeInstanceOf(AudioRejectedError);
    const err = await failure(playable(f(name), opts));
    expect(err).toBeInstanceOf(AudioRejectedError);
    expect(err).toMatchObject({
      code: (expected as AudioRejectedError).code,
      message: (expected as AudioRejectedError).message,
    });
    expect(await leftBehind(`out-${before + 1}.mp3`)).toEqual([]);
  });

  it('keeps a live recording cut short when asked to, as probeAudio does, with a copy of what arrived', async () => {
    const expected = await probeAudio(f('cut-recorder.webm'), { acceptCutEnd: true });
    expect(expected.cutEnd).toBe(true);
    const made = await playable(f('cut-recorder.webm'), { acceptCutEnd: true, peaksPerSecond: 10 });
    expect(made.probe).toEqual(expected);
    const copy = await probeAudio(f(`out-${outputs}.mp3`));
    expect(Math.abs(copy.durationMs - expected.durationMs)).toBeLessThanOrEqual(1);
    expect(made.peaks).toHaveLength(Math.ceil((expected.durationMs / 1000) * 10));
  });
});

describe('makePlayable tells a failure of its own from a damaged recording', () => {
  let failingPass: string;
  beforeAll(async () => {
    // ffmpeg that fails the one pass (the only run with progress on file descriptor 3), as a full disk would,
    // and runs every other command (the decode check) as the real one.
    failingPass = f('failing-pass.sh');
    await writeFile(
      failingPass,
      `#!/bin/sh\ncase "$*" in *pipe:3*) echo "No space left on device" >&2; exit 1;; esac\nexec ${defaultToolPaths.ffmpeg} "$@"\n`,
    );
    await chmod(failingPass, 0o755);
  });

  it('a sound recording whose pass fails is TOOL_FAILED, never a rejection', async () => {
    const before = outputs;
    const err = await failure(playable(f('tone.wav'), { tools: { ffmpeg: failingPass } }));
    expect(err).toBeInstanceOf(AudioProcessingError);
    expect(err).toMatchObject({ code: 'TOOL_FAILED', detail: expect.stringMatching(/No space left/) });
    expect(await leftBehind(`out-${before + 1}.mp3`)).toEqual([]);
  });

  it('a damaged recording is still refused as damaged', async () => {
    const err = await failure(playable(f('cut-tone.mp3'), { tools: { ffmpeg: failingPass } }));
    expect(err).toMatchObject({ name: 'AudioRejectedError', code: 'TRUNCATED_OR_CORRUPT' });
  });

  it('stops when aborted, leaving no copy behind', async () => {
    const controller = new AbortController();
    await copyFile(f('tone.wav'), f('abort.wav'));
    const before = outputs;
    const run = playable(f('abort.wav'), { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await leftBehind(`out-${before + 1}.mp3`)).toEqual([]);
  });
});

describe('the playback copy has no bit reservoir', () => {
  it('every frame of the copy starts its own audio data (main_data_begin = 0)', async () => {
    await playable(f('noisy.wav'));
    const begins = mainDataBegins(await readFile(f(`out-${outputs}.mp3`)));
    expect(begins.length).toBeGreaterThan(6 * (48_000 / 1152));
    expect(begins.filter((b) => b !== 0)).toEqual([]);
  });

  it('makePlaybackCopy makes it the same way', async () => {
    await makePlaybackCopy(f('noisy.wav'), f('noisy-alone.mp3'));
    expect(mainDataBegins(await readFile(f('noisy-alone.mp3'))).filter((b) => b !== 0)).toEqual([]);
  });

  it('(the check can fail: the same sound encoded with the reservoir borrows from earlier frames)', async () => {
    await ffmpeg(['-i', f('noisy.wav'), '-ac', '1', ...MP3_CBR_64K, f('with-reservoir.mp3')]);
    const begins = mainDataBegins(await readFile(f('with-reservoir.mp3')));
    expect(begins.filter((b) => b !== 0).length).toBeGreaterThan(10);
  });
});
