import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureDir,
  decodeToPcm,
  encode,
  ffmpeg,
  fixtureDir,
  liveWebm,
  silenceWav,
  toneWav,
  videoWithAudio,
} from '../../../test/support/audio-fixtures.ts';
import { AudioProcessingError } from './errors.ts';
import { computePeaks, makePlaybackCopy } from './playback.ts';
import { probeAudio } from './probe.ts';
import { defaultToolPaths, runTool } from './tools.ts';

let fx: FixtureDir;
const f = (name: string): string => fx.file(name);

beforeAll(async () => {
  fx = await fixtureDir('cpcr-playback-');
  await Promise.all([
    toneWav(f('tone.wav'), { seconds: 10 }),
    toneWav(f('stereo44.wav'), { seconds: 4, sampleRate: 44_100, channels: 2 }),
    silenceWav(f('long-silence.wav'), 600),
    // 1 s of silence, 1 s of a tone at half scale, 1 s at a quarter: the waveform's three plateaus.
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      "aevalsrc='if(lt(t,1),0,if(lt(t,2),0.5,0.25))*sin(2*PI*440*t)':s=48000:d=3",
      '-c:a',
      'pcm_s16le',
      f('steps.wav'),
    ]),
  ]);
  await Promise.all([
    encode(f('tone.wav'), f('tone.m4a'), ['-c:a', 'aac', '-b:a', '64k']),
    liveWebm(f('tone.wav'), f('recorder.webm')),
    videoWithAudio(f('tone.wav'), f('teams.mp4'), 10),
    encode(f('tone.wav'), f('titled.wav'), [
      '-c:a',
      'pcm_s16le',
      '-metadata',
      'title=Conference about Jane Example',
      '-metadata',
      'artist=Chair Person',
    ]),
  ]);
});

afterAll(async () => {
  await fx?.cleanup();
});

/** Sizes of every MP3 frame ffprobe finds in the file. */
async function frameSizes(file: string): Promise<number[]> {
  const out = await runTool(defaultToolPaths.ffprobe, [
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'packet=size',
    '-of',
    'csv=p=0',
    file,
  ]);
  return out.stdout
    .split('\n')
    .map((line) => line.split(',')[0]!.trim())
    .filter((size) => size !== '')
    .map(Number);
}

describe('makePlaybackCopy', () => {
  it.each([
    ['tone.wav', 480_000],
    ['stereo44.wav', 192_000],
    ['tone.m4a', undefined],
    ['recorder.webm', 480_000],
    ['teams.mp4', undefined],
  ])('turns %s into a constant-bit-rate mono 48 kHz MP3 on the same timeline', async (name, samples) => {
    const out = f(`${name}.playback.mp3`);
    const copy = await makePlaybackCopy(f(name), out);
    expect(copy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(copy.sizeBytes).toBe((await stat(out)).size);
    const probe = await probeAudio(out);
    expect(probe).toMatchObject({
      container: 'mp3',
      codec: 'mp3',
      sampleRate: 48_000,
      channels: 1,
      bitRate: 64_000,
      hasVideo: false,
    });
    // Every frame the same size, so a byte offset is a time (seeking with HTTP Range requests).
    expect(new Set(await frameSizes(out))).toEqual(new Set([192]));
    // Decoded, the copy has exactly the source's samples (encoder delay and padding are dropped).
    const decoded = await decodeToPcm(out);
    if (samples !== undefined) expect(decoded.length).toBe(samples);
    else expect(Math.abs(decoded.length - (await decodeToPcm(f(name))).length)).toBe(0);
  });

  it('copies no titles or names from the source file', async () => {
    const out = f('titled.playback.mp3');
    await makePlaybackCopy(f('titled.wav'), out);
    const bytes = await readFile(out);
    expect(bytes.includes('Jane Example')).toBe(false);
    expect(bytes.includes('Chair Person')).toBe(false);
    expect(bytes.subarray(0, 3).toString('latin1')).not.toBe('ID3');
  });

  it('is reproducible: the same source gives the same bytes', async () => {
    const a = await makePlaybackCopy(f('tone.wav'), f('repro-a.mp3'));
    const b = await makePlaybackCopy(f('tone.wav'), f('repro-b.mp3'));
    expect(a.sha256).toBe(b.sha256);
  });

  it('reports progress that rises to 1', async () => {
    const seen: number[] = [];
    await makePlaybackCopy(f('long-silence.wav'), f('progress.mp3'), { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.slice(0, -1).every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('stops when aborted, leaving no file behind', async () => {
    const controller = new AbortController();
    const before = await readdir(fx.dir);
    setTimeout(() => controller.abort(), 150);
    await expect(
      makePlaybackCopy(f('long-silence.wav'), f('aborted.mp3'), { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect((await readdir(fx.dir)).sort()).toEqual(before.sort());
  });

  it('fails with TOOL_FAILED on a file that is not audio, leaving no file behind', async () => {
    await writeFile(f('not-audio.txt'), 'not audio at all\n');
    const err = await makePlaybackCopy(f('not-audio.txt'), f('never.mp3')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioProcessingError);
    expect((err as AudioProcessingError).code).toBe('TOOL_FAILED');
    expect((await readdir(fx.dir)).some((n) => n.includes('never.mp3'))).toBe(false);
  });
});

describe('computePeaks', () => {
  it('gives the largest level in each window, 0..1, in time order', async () => {
    const peaks = await computePeaks(f('steps.wav'), { peaksPerSecond: 20 });
    expect(peaks).toHaveLength(60);
    // Each plateau, leaving out the window either side of a step (the resampler's filter rings).
    for (const p of peaks.slice(0, 19)) expect(p).toBeLessThan(0.001);
    for (const p of peaks.slice(21, 39)) expect(p).toBeCloseTo(0.5, 1);
    for (const p of peaks.slice(41, 60)) expect(p).toBeCloseTo(0.25, 1);
    expect(peaks.every((p) => p >= 0 && p <= 1)).toBe(true);
  });

  it('covers the whole recording at any rate, a last short window included', async () => {
    expect(await computePeaks(f('steps.wav'), { peaksPerSecond: 7 })).toHaveLength(21);
    // 4 s at 3 a second: 12 windows of 2666 or 2667 samples at 8 kHz, none left over.
    expect(await computePeaks(f('stereo44.wav'), { peaksPerSecond: 3 })).toHaveLength(12);
    // 10 s at 1000 a second: 8 samples a window.
    expect(await computePeaks(f('tone.wav'), { peaksPerSecond: 1000 })).toHaveLength(10_000);
    const last = await computePeaks(f('tone.m4a'), { peaksPerSecond: 1 });
    expect(last.length).toBe(11); // AAC's padding makes 10.005 s: a short eleventh window
  });

  it('refuses a rate outside 1..1000 per second', async () => {
    await expect(computePeaks(f('tone.wav'), { peaksPerSecond: 0 })).rejects.toThrow();
    await expect(computePeaks(f('tone.wav'), { peaksPerSecond: 2.5 })).rejects.toThrow();
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(computePeaks(f('long-silence.wav'), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
