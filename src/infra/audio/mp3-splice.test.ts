import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureDir, decodeToPcm, ffmpeg, fixtureDir } from '../../../test/support/audio-fixtures.ts';
import { crc16, mainDataBegin, parseFrameHeader, scanMp3 } from './mp3-frames.ts';
import { MIN_COPIED_RUN, SEAM_FRAMES } from './mp3-splice.ts';
import { MP3_CBR_64K } from './pcm.ts';
import { type RedactedCopy, VERIFY_MAX_DEVIATION, makeRedactedCopy } from './redaction.ts';
import type { MsRange } from './sample-redactor.ts';

// a disclosure copy spliced from the playback copy (only the frames around each withheld
// range re-encoded) must be exactly as silent inside every withheld range as one made in full, and
// decode to exactly as many samples; everywhere away from the seams it is the playback copy itself.

const RATE = 48_000;
const FRAME = 1152;
let fx: FixtureDir;
const f = (name: string): string => fx.file(name);
let playback: Int16Array;

/** The playback copy as makePlaybackCopy makes it, with or without the bit reservoir. */
async function playbackCopy(input: string, out: string, reservoir: boolean): Promise<void> {
  await ffmpeg([
    '-i',
    input,
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-ar',
    String(RATE),
    ...MP3_CBR_64K,
    ...(reservoir ? [] : ['-reservoir', '0']),
    out,
  ]);
}

beforeAll(async () => {
  fx = await fixtureDir('cpcr-splice-');
  // Pink noise under a tone: broadband, so every frame carries real sound and real bits.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'anoisesrc=d=40:c=pink:r=48000:a=0.2:seed=11',
    '-f',
    'lavfi',
    '-i',
    'sine=f=330:r=48000:d=40',
    '-filter_complex',
    'amix=inputs=2:normalize=0',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    f('room.wav'),
  ]);
  await Promise.all([
    playbackCopy(f('room.wav'), f('playback.mp3'), false),
    playbackCopy(f('room.wav'), f('reservoir.mp3'), true),
  ]);
  playback = await decodeToPcm(f('playback.mp3'));
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

describe('scanMp3 on MP3s ffmpeg made', () => {
  it('reads every frame, the Info / LAME header and its delay, and sees no reservoir in a -reservoir 0 copy', async () => {
    const buf = await readFile(f('playback.mp3'));
    const layout = scanMp3(buf);
    expect(layout.info?.tag.kind).toBe('Info');
    expect(layout.info?.tag.frames).toBe(layout.frameOffsets.length);
    expect(layout.info?.tag.lame).toMatchObject({ delay: 576 });
    expect(layout.first).toMatchObject({ version: 1, bitrateKbps: 64, sampleRate: RATE, mono: true, length: 192 });
    expect(layout.uniform).toBe(true);
    expect(layout.usesReservoir).toBe(false);
    expect(layout.trailingBytes).toBe(0);
    expect(buf.length).toBe(192 * (layout.frameOffsets.length + 1));
    // Frames × 1152 − delay − padding is what the copy decodes to.
    const lame = layout.info!.tag.lame!;
    expect(layout.frameOffsets.length * FRAME - lame.delay - lame.padding).toBe(playback.length);
    expect(playback.length).toBe(40 * RATE);
    // The music CRC the muxer wrote is crc16 over the audio frames.
    expect(buf.readUInt16BE(layout.info!.tag.lame!.offset + 32)).toBe(crc16(buf.subarray(192)));
  });

  it('sees the bit reservoir in a copy made without -reservoir 0', async () => {
    const buf = await readFile(f('reservoir.mp3'));
    const layout = scanMp3(buf);
    expect(layout.usesReservoir).toBe(true);
    const h = parseFrameHeader(buf, layout.frameOffsets[10]!)!;
    expect(layout.frameOffsets.some((o) => mainDataBegin(buf, o, h) > 0)).toBe(true);
  });

  it('refuses what is not MPEG audio, and free format', () => {
    expect(() => scanMp3(Buffer.from('RIFF....WAVEfmt '))).toThrow(/No MPEG audio frame/);
    expect(parseFrameHeader(Buffer.from([0xff, 0xfb, 0x04, 0xc0]), 0)).toBeUndefined();
    expect(parseFrameHeader(Buffer.from([0xff, 0xfb, 0x54, 0xc0]), 0)).toMatchObject({ length: 192 });
  });
});

/** Samples of the output a withheld range's seam may change: its re-encoded frames and the decoder's overlap after them. */
const SEAM = (SEAM_FRAMES + MIN_COPIED_RUN + 2) * FRAME;

async function spliced(name: string, withheld: MsRange[], fill: 'silence' | 'tone', notice = true) {
  const copy = await makeRedactedCopy({
    input: f('room.wav'),
    playbackCopy: f('playback.mp3'),
    output: f(name),
    withheld,
    fill,
    ...(notice ? { notice: { kind: 'tone' as const, seconds: 1 } } : {}),
  });
  return { copy, pcm: await decodeToPcm(f(name)) };
}

function expectFilled(copy: RedactedCopy, pcm: Int16Array, fill: 'silence' | 'tone'): void {
  for (const r of copy.statedRanges) {
    let worst = 0;
    for (let k = r.startSample; k < r.endSample; k++) worst = Math.max(worst, Math.abs(pcm[k]!));
    // Silence is exact zeros; a tone stays at its own level (−30 dBFS), far below the room's noise peaks.
    if (fill === 'silence') expect(worst).toBeLessThanOrEqual(VERIFY_MAX_DEVIATION.silence);
    else expect(worst).toBeLessThanOrEqual(Math.round(32767 * 10 ** (-30 / 20)) + VERIFY_MAX_DEVIATION.tone);
  }
}

/** Where the copy's recording differs from the playback copy: every such sample lies within a seam. */
function expectPlaybackOutsideSeams(copy: RedactedCopy, pcm: Int16Array, withheld: MsRange[]): void {
  const prefix = copy.noticeSamples;
  const near = (t: number): boolean =>
    t < SEAM ||
    withheld.some((r) => t >= (r.startMs * RATE) / 1000 - SEAM - 2400 && t < (r.endMs * RATE) / 1000 + SEAM + 2400);
  let same = 0;
  for (let t = 0; t < playback.length; t++) {
    if (pcm[prefix + t] === playback[t]) same++;
    else if (!near(t))
      throw new Error(`sample ${t} of the recording differs from the playback copy, away from any seam`);
  }
  expect(same).toBeGreaterThan(playback.length * 0.5);
}

describe('makeRedactedCopy spliced from a playback copy without the bit reservoir (A-3, A-6)', () => {
  it.each([
    ['silence', false],
    ['tone', true],
  ] as const)(
    'fills the ranges to the sample (%s, notice %s) and copies the rest unchanged',
    async (fill, notice) => {
      const withheld: MsRange[] = [
        { startMs: 0, endMs: 700 }, // at the very start
        { startMs: 5000.3, endMs: 5010.1 }, // shorter than a frame (24 ms)
        { startMs: 9990, endMs: 10_030 }, // across a frame edge
        { startMs: 15_000, endMs: 17_000 }, // overlapping the next
        { startMs: 16_500, endMs: 18_000 },
        { startMs: 18_000, endMs: 18_500 }, // touching the last
        { startMs: 30_000, endMs: 32_000 },
        { startMs: 39_400, endMs: 40_000 }, // to the very end
      ];
      const { copy, pcm } = await spliced(`spliced-${fill}.mp3`, withheld, fill, notice);
      expect(copy.method).toBe('spliced');
      expect(copy.fallbackReason).toBeUndefined();
      expect(pcm.length).toBe(copy.totalSamples);
      expect(copy.totalSamples).toBe(copy.noticeSamples + playback.length);
      expect(copy.endPaddingSamples).toBe(0);
      // Most of the copy is the playback copy's own frames; a long silent span's middle is repeated silence.
      expect(copy.splice!.copiedFrames).toBeGreaterThan(copy.splice!.reencodedFrames * 2);
      if (fill === 'silence') expect(copy.splice!.silentFrames).toBeGreaterThan(50);
      expectFilled(copy, pcm, fill);
      expectPlaybackOutsideSeams(copy, pcm, withheld);
    },
    120_000,
  );

  it('with nothing withheld and no notice, is the playback copy decoded sample for sample', async () => {
    const { copy, pcm } = await spliced('spliced-none.mp3', [], 'silence', false);
    expect(copy.method).toBe('spliced');
    expect(pcm).toEqual(playback);
  }, 60_000);

  it('takes the full path for a playback copy that uses the bit reservoir, and says so', async () => {
    const copy = await makeRedactedCopy({
      input: f('room.wav'),
      playbackCopy: f('reservoir.mp3'),
      output: f('from-reservoir.mp3'),
      withheld: [{ startMs: 2000, endMs: 3000 }],
      fill: 'silence',
    });
    expect(copy.method).toBe('full');
    expect(copy.fallbackReason).toMatch(/bit reservoir/);
    const pcm = await decodeToPcm(f('from-reservoir.mp3'));
    expect(pcm.length).toBe(copy.totalSamples);
    expectFilled(copy, pcm, 'silence');
  }, 120_000);

  it('takes the full path when the playback copy is not the recording’s length', async () => {
    const copy = await makeRedactedCopy({
      input: f('room.wav'),
      playbackCopy: f('playback.mp3'),
      output: f('wrong-length.mp3'),
      withheld: [{ startMs: 2000, endMs: 3000 }],
      fill: 'silence',
      durationMs: 41_000,
    });
    expect(copy.method).toBe('full');
    expect(copy.fallbackReason).toMatch(/length/);
  }, 120_000);
});
