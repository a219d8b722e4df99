import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  type FixtureDir,
  chromiumRecording,
  encode,
  espeakAvailable,
  fixtureDir,
  isExecutable,
  liveWebm,
  picture,
  silenceWav,
  speechWav,
  toneWav,
  truncatedCopy,
  videoWithAudio,
  videoWithoutAudio,
} from '../../../test/support/audio-fixtures.ts';
import { AudioRejectedError } from './errors.ts';
import { type AudioProbe, probeAudio } from './probe.ts';
import { defaultToolPaths, runTool } from './tools.ts';

// recordings arrive from MS Teams (MP4), a room or a dictaphone (MP3, WAV, M4A) and the browser
// (WebM / Opus); each is judged by its content, and an unusable file is refused with a plain reason.
let fx: FixtureDir;
const f = (name: string): string => fx.file(name);
let speech = false;

beforeAll(async () => {
  fx = await fixtureDir('cpcr-probe-');
  await toneWav(f('tone.wav'), { seconds: 10 });
  await toneWav(f('stereo44.wav'), { seconds: 4, sampleRate: 44_100, channels: 2 });
  await Promise.all([
    encode(f('tone.wav'), f('tone.mp3'), ['-c:a', 'libmp3lame', '-b:a', '64k']),
    encode(f('tone.wav'), f('tone.m4a'), ['-c:a', 'aac', '-b:a', '64k']),
    encode(f('tone.wav'), f('tone-faststart.m4a'), ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart']),
    encode(f('tone.wav'), f('tone.ogg'), ['-c:a', 'libopus', '-b:a', '32k']),
    encode(f('tone.wav'), f('tone.webm'), ['-c:a', 'libopus', '-b:a', '32k']),
    liveWebm(f('tone.wav'), f('recorder.webm')),
    videoWithAudio(f('tone.wav'), f('teams.mp4'), 10),
    videoWithoutAudio(f('silent-video.mp4'), 3),
    picture(f('picture.png')),
    picture(f('photo.jpg'), 'mjpeg'),
    silenceWav(f('header-only.wav'), 0),
  ]);
  // An MP3 with cover art: a picture stream that is not a video.
  await encode(f('tone.mp3'), f('cover.mp3'), [
    '-i',
    f('picture.png'),
    '-map',
    '0:a',
    '-map',
    '1:v',
    '-c',
    'copy',
    '-id3v2_version',
    '3',
    '-disposition:v',
    'attached_pic',
  ]);
  await encode(f('tone.wav'), f('teams-faststart.mp4'), [
    '-i',
    f('teams.mp4'),
    '-map',
    '1:v',
    '-map',
    '0:a',
    '-c:v',
    'copy',
    '-c:a',
    'aac',
    '-movflags',
    '+faststart',
  ]);
  speech = await espeakAvailable();
  if (speech) {
    await speechWav(
      f('speech.wav'),
      'The conference started at ten o clock. The chair explained that the meeting is recorded.',
    );
    await encode(f('speech.wav'), f('speech.mp3'), ['-c:a', 'libmp3lame', '-b:a', '48k']);
  }
});

afterAll(async () => {
  await fx?.cleanup();
});

async function rejection(file: string, opts: Parameters<typeof probeAudio>[1] = {}): Promise<AudioRejectedError> {
  const err = await probeAudio(file, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${file} should have been refused`).toBeInstanceOf(AudioRejectedError);
  return err as AudioRejectedError;
}

describe('probeAudio accepts the recordings R-5 names, judged by content', () => {
  const cases: Array<[string, Partial<AudioProbe>]> = [
    [
      'tone.wav',
      { container: 'wav', codec: 'pcm_s16le', sampleRate: 48_000, channels: 1, hasVideo: false, bitRate: 768_000 },
    ],
    ['stereo44.wav', { container: 'wav', codec: 'pcm_s16le', sampleRate: 44_100, channels: 2, durationMs: 4000 }],
    ['tone.mp3', { container: 'mp3', codec: 'mp3', sampleRate: 48_000, channels: 1, hasVideo: false, bitRate: 64_000 }],
    ['tone.m4a', { container: 'mp4', codec: 'aac', sampleRate: 48_000, hasVideo: false }],
    ['teams.mp4', { container: 'mp4', codec: 'aac', hasVideo: true }],
    ['tone.ogg', { container: 'ogg', codec: 'opus', sampleRate: 48_000 }],
    ['tone.webm', { container: 'webm', codec: 'opus', sampleRate: 48_000 }],
    ['recorder.webm', { container: 'webm', codec: 'opus', sampleRate: 48_000 }],
  ];
  it.each(cases)('%s', async (name, expected) => {
    const probe = await probeAudio(f(name));
    expect(probe).toMatchObject(expected);
    // Measured by decoding: within one codec frame of the 10-second source.
    const seconds = name === 'stereo44.wav' ? 4 : 10;
    expect(Math.abs(probe.durationMs - seconds * 1000)).toBeLessThanOrEqual(30);
  });

  it('measures a browser recording whose header has no duration by decoding it', async () => {
    const header = await runTool(defaultToolPaths.ffprobe, [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      f('recorder.webm'),
    ]);
    const format = (JSON.parse(header.stdout) as { format: Record<string, unknown> }).format;
    expect(format['duration']).toBeUndefined(); // the container does not say how long it is
    expect((await probeAudio(f('recorder.webm'))).durationMs).toBe(10_000);
  });

  it('goes by the bytes, not the name: a WAV named .mp3, and a file with no extension (a blob key)', async () => {
    await copyFile(f('tone.wav'), f('misnamed.mp3'));
    await copyFile(f('tone.mp3'), f('0b0e8c4a-6d5e-4a47-9d1c-2f4c3b9a7e10'));
    expect((await probeAudio(f('misnamed.mp3'))).container).toBe('wav');
    expect((await probeAudio(f('0b0e8c4a-6d5e-4a47-9d1c-2f4c3b9a7e10'))).container).toBe('mp3');
  });

  it('does not count cover art in an MP3 as video', async () => {
    expect(await probeAudio(f('cover.mp3'))).toMatchObject({ container: 'mp3', hasVideo: false });
  });

  it('accepts a real Chromium MediaRecorder recording (no duration in its header), and refuses one cut short', async () => {
    expect(await isExecutable(CHROMIUM), 'Chromium (installed by scripts/test) records the browser fixture').toBe(true);
    const webm = await chromiumRecording(f('chromium.webm'), 3);
    const probe = await probeAudio(webm);
    expect(probe).toMatchObject({ container: 'webm', codec: 'opus', sampleRate: 48_000, hasVideo: false });
    expect(probe.durationMs).toBeGreaterThan(2000);
    expect(probe.durationMs).toBeLessThan(4000);
    const cut = await truncatedCopy(webm, f('chromium-cut.webm'), 0.6);
    expect((await rejection(cut)).code).toBe('TRUNCATED_OR_CORRUPT');
    // A live recording whose laptop failed mid-meeting: what arrived is kept, and the cut is reported.
    const kept = await probeAudio(cut, { acceptCutEnd: true });
    expect(kept).toMatchObject({ container: 'webm', codec: 'opus', cutEnd: true });
    expect(kept.durationMs).toBeGreaterThan(500);
    expect(kept.durationMs).toBeLessThan(probe.durationMs);
    expect((await probeAudio(webm, { acceptCutEnd: true })).cutEnd).toBeUndefined();
  });

  it('accepts a cut end only for live-recording containers', async () => {
    const cut = await truncatedCopy(f('tone.m4a'), f('tone-cut-live.m4a'), 0.5);
    await expect(probeAudio(cut, { acceptCutEnd: true })).rejects.toMatchObject({ code: 'TRUNCATED_OR_CORRUPT' });
  });

  it('accepts speech (espeak-ng), at its own sample rate', async () => {
    expect(speech, 'espeak-ng (installed by scripts/test) makes the speech fixtures').toBe(true);
    const wav = await probeAudio(f('speech.wav'));
    expect(wav).toMatchObject({ container: 'wav', sampleRate: 22_050, channels: 1 });
    const mp3 = await probeAudio(f('speech.mp3'));
    expect(mp3.container).toBe('mp3');
    expect(Math.abs(mp3.durationMs - wav.durationMs)).toBeLessThanOrEqual(30);
  });
});

describe('probeAudio refuses files that are not usable recordings, saying why', () => {
  it('a text file named .mp3 is NOT_AUDIO', async () => {
    await writeFile(f('notes.mp3'), 'Minutes of the meeting, typed up afterwards.\n'.repeat(50));
    const err = await rejection(f('notes.mp3'));
    expect(err.code).toBe('NOT_AUDIO');
    expect(err.message).toMatch(/not a sound or video recording/);
  });

  it('random bytes are NOT_AUDIO', async () => {
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    await writeFile(f('random.bin'), bytes);
    expect((await rejection(f('random.bin'))).code).toBe('NOT_AUDIO');
  });

  it('a zero-length file is EMPTY, and so is a WAV header with no sound after it', async () => {
    await writeFile(f('empty.mp3'), '');
    expect((await rejection(f('empty.mp3'))).code).toBe('EMPTY');
    expect((await rejection(f('header-only.wav'))).code).toBe('EMPTY');
  });

  it('pictures are NOT_AUDIO and are called pictures, whatever their name', async () => {
    await copyFile(f('photo.jpg'), f('photo-named.m4a'));
    for (const name of ['picture.png', 'photo.jpg', 'photo-named.m4a']) {
      const err = await rejection(f(name));
      expect(err.code).toBe('NOT_AUDIO');
      expect(err.message).toMatch(/picture/);
    }
  });

  it('a video with no sound track is NO_AUDIO_TRACK', async () => {
    const err = await rejection(f('silent-video.mp4'));
    expect(err.code).toBe('NO_AUDIO_TRACK');
    expect(err.message).toMatch(/no sound track/);
  });

  // Cut at half the bytes (plus an odd byte, so a 16-bit sample is split too) and at an even half.
  const truncations: Array<[string, number]> = [
    ['tone.wav', 0],
    ['tone.wav', 1],
    ['tone.mp3', 0],
    ['tone.m4a', 0],
    ['tone-faststart.m4a', 0],
    ['teams-faststart.mp4', 0],
    ['tone.ogg', 0],
    ['tone.webm', 0],
  ];
  it.each(truncations)('%s cut at half its length (+%i bytes) is TRUNCATED_OR_CORRUPT', async (name, extra) => {
    const cut = await truncatedCopy(f(name), f(`cut-${extra}-${name}`), 0.5, extra);
    const err = await rejection(cut);
    expect(err.code).toBe('TRUNCATED_OR_CORRUPT');
    expect(err.message).toMatch(/incomplete or damaged/);
  });

  it('a WAV whose header promises more data than the file holds is TRUNCATED_OR_CORRUPT even when cut on a sample boundary', async () => {
    // 44-byte header + 10 000 whole samples: ffmpeg alone would play the 10 000 samples without a word.
    const cut = await truncatedCopy(f('tone.wav'), f('cut-boundary.wav'), 0, 44 + 20_000);
    expect((await rejection(cut)).code).toBe('TRUNCATED_OR_CORRUPT');
  });

  it('a recording longer than the limit is TOO_LONG, whether or not its header says how long it is', async () => {
    for (const name of ['tone.wav', 'recorder.webm']) {
      const err = await rejection(f(name), { maxDurationMs: 5_000 });
      expect(err.code).toBe('TOO_LONG');
      expect(err.message).toMatch(/longer than the limit of 5 seconds/);
    }
    expect((await probeAudio(f('tone.wav'), { maxDurationMs: 10_000 })).durationMs).toBe(10_000);
  });
});

describe('probeAudio can be stopped', () => {
  // A stand-in for a decode that takes a long time: a script that only sleeps.
  let slow: string;
  beforeAll(async () => {
    slow = f('slow-ffmpeg.sh');
    await writeFile(slow, '#!/bin/sh\nexec sleep 30\n');
    await chmod(slow, 0o755);
  });

  it('rejects at once with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(probeAudio(f('tone.wav'), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('kills a decode that is still running when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    await expect(
      probeAudio(f('tone.wav'), { signal: controller.signal, tools: { ffmpeg: slow } }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('times out a decode that runs too long', async () => {
    await expect(probeAudio(f('tone.wav'), { timeoutMs: 300, tools: { ffmpeg: slow } })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });
});
