/**
 * Audio fixtures made on the spot with ffmpeg's built-in sources (tones, chirps, silence, test
 * pictures) and espeak-ng speech when it is installed, so no recording is ever checked in. Each test
 * file makes its fixtures once in its own temporary folder and removes the folder afterwards.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AudioProcessingError } from '../../src/infra/audio/errors.ts';
import { QUIET, defaultToolPaths, runTool, startTool } from '../../src/infra/audio/tools.ts';

export interface FixtureDir {
  dir: string;
  file(name: string): string;
  cleanup(): Promise<void>;
}

export async function fixtureDir(prefix = 'cpcr-audio-'): Promise<FixtureDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg with the given arguments (overwriting the output); fails with its error output. */
export async function ffmpeg(args: readonly string[], input?: Buffer): Promise<void> {
  const result = await runTool(defaultToolPaths.ffmpeg, [...QUIET, '-y', ...args], {
    timeoutMs: 10 * 60_000,
    ...(input ? { input } : {}),
  });
  if (result.code !== 0)
    throw new AudioProcessingError('TOOL_FAILED', `ffmpeg ${args.join(' ')} failed`, result.stderr);
}

/**
 * A file made by ffmpeg from its built-in sources alone (no input file), kept once per ffmpeg binary
 * and arguments in the system's temporary folder and copied to `out`: many test files ask for the
 * same tones, and on a busy machine each generation takes a second or more.
 */
async function generated(out: string, args: readonly string[]): Promise<string> {
  const tool = await stat(defaultToolPaths.ffmpeg);
  const key = createHash('sha256')
    .update(JSON.stringify([defaultToolPaths.ffmpeg, tool.size, tool.mtimeMs, args, path.extname(out)]))
    .digest('hex')
    .slice(0, 24);
  const dir = path.join(os.tmpdir(), 'cpcr-audio-fixtures');
  const kept = path.join(dir, `${key}${path.extname(out)}`);
  const present = await stat(kept).then(
    (st) => st.size > 0,
    () => false,
  );
  if (!present) {
    await mkdir(dir, { recursive: true });
    // Made under a name of its own, then renamed: another worker may be making the same file.
    const partial = path.join(dir, `${key}.${process.pid}.partial${path.extname(out)}`);
    await ffmpeg([...args, partial]);
    await rename(partial, kept);
  }
  await copyFile(kept, out);
  return out;
}

export interface ToneOptions {
  seconds: number;
  frequencyHz?: number;
  /** Peak amplitude, 0..1 of full scale. Default 0.5 (−6 dBFS). */
  amplitude?: number;
  sampleRate?: number;
  channels?: number;
}

/**
 * A sine tone as 16-bit PCM WAV, computed per sample by `aevalsrc` (so sample n is exactly
 * amplitude·sin(2π·f·n/rate), before 16-bit rounding).
 */
export async function toneWav(out: string, o: ToneOptions): Promise<string> {
  const { seconds, frequencyHz = 440, amplitude = 0.5, sampleRate = 48_000, channels = 1 } = o;
  const expr = Array.from({ length: channels }, () => `${amplitude}*sin(2*PI*${frequencyHz}*t)`).join('|');
  return generated(out, ['-f', 'lavfi', '-i', `aevalsrc=${expr}:s=${sampleRate}:d=${seconds}`, '-c:a', 'pcm_s16le']);
}

/** A rising chirp (300 Hz upward by 80 Hz a second): no two stretches of it look alike, for alignment. */
export async function chirpWav(out: string, seconds: number, sampleRate = 48_000): Promise<string> {
  return generated(out, [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=0.5*sin(2*PI*(300*t+40*t*t)):s=${sampleRate}:d=${seconds}`,
    '-c:a',
    'pcm_s16le',
  ]);
}

export async function silenceWav(out: string, seconds: number, sampleRate = 48_000): Promise<string> {
  return generated(out, [
    '-f',
    'lavfi',
    '-i',
    `anullsrc=r=${sampleRate}:cl=mono`,
    '-t',
    String(seconds),
    '-c:a',
    'pcm_s16le',
  ]);
}

export async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export const espeakAvailable = (): Promise<boolean> => isExecutable(defaultToolPaths.espeakNg);

/** Speech by espeak-ng, as a WAV at its own rate (22 050 Hz); the text goes in on stdin. */
export async function speechWav(out: string, text: string): Promise<string> {
  const result = await runTool(defaultToolPaths.espeakNg, ['-v', 'en-gb', '-w', out, '--stdin'], {
    input: text,
    timeoutMs: 60_000,
  });
  if (result.code !== 0) throw new AudioProcessingError('TOOL_FAILED', 'espeak-ng failed', result.stderr);
  return out;
}

/** Re-encodes `input` with the given output options (e.g. `['-c:a', 'libmp3lame', '-b:a', '64k']`). */
export async function encode(input: string, out: string, outputOptions: readonly string[]): Promise<string> {
  await ffmpeg(['-i', input, ...outputOptions, out]);
  return out;
}

/**
 * WebM / Opus written as a browser's MediaRecorder writes it: as a live stream to a pipe, so the
 * muxer can never go back to fill in the duration or the cue index.
 */
export async function liveWebm(input: string, out: string): Promise<string> {
  const tool = startTool(
    defaultToolPaths.ffmpeg,
    [...QUIET, '-i', input, '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', '-live', '1', 'pipe:1'],
    { stdout: 'pipe' },
  );
  const fh = await open(out, 'w');
  try {
    for await (const chunk of tool.stdout!) await fh.write(chunk as Buffer);
  } finally {
    await fh.close();
  }
  const exit = await tool.exited;
  if (exit.code !== 0) throw new AudioProcessingError('TOOL_FAILED', 'live WebM failed', exit.stderr);
  return out;
}

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * A real browser recording: headless Chromium's MediaRecorder (audio/webm;codecs=opus, 500 ms
 * chunks, as the product's recorder uses) capturing a 440 Hz oscillator for `seconds`. The chunks
 * are joined as they arrive, which is how a browser recording is stored.
 */
export async function chromiumRecording(out: string, seconds: number): Promise<string> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const page = await browser.newPage();
    // Browser code as text: this project's TypeScript has no DOM types.
    const base64 = await page.evaluate<string>(`(async () => {
      const context = new AudioContext({ sampleRate: 48000 });
      const oscillator = context.createOscillator();
      oscillator.frequency.value = 440;
      const destination = context.createMediaStreamDestination();
      oscillator.connect(destination);
      oscillator.start();
      const recorder = new MediaRecorder(destination.stream, { mimeType: 'audio/webm;codecs=opus' });
      const parts = [];
      recorder.ondataavailable = (e) => parts.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start(500);
      await new Promise((resolve) => setTimeout(resolve, ${Math.round(seconds * 1000)}));
      recorder.stop();
      await stopped;
      const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      return btoa(text);
    })()`);
    await writeFile(out, Buffer.from(base64, 'base64'));
    return out;
  } finally {
    await browser.close();
  }
}

/** An MP4 like MS Teams writes: H.264 picture and an AAC sound track from `audio`. */
export async function videoWithAudio(audio: string, out: string, seconds: number): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc=d=${seconds}:s=160x120:r=10`,
    '-i',
    audio,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-shortest',
    out,
  ]);
  return out;
}

export async function videoWithoutAudio(out: string, seconds: number): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc=d=${seconds}:s=160x120:r=10`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    out,
  ]);
  return out;
}

export async function picture(out: string, codec: 'png' | 'mjpeg' = 'png'): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x64', '-frames:v', '1', '-c:v', codec, '-f', 'image2', out]);
  return out;
}

/** A copy of `input` holding only the first `fraction` of its bytes (plus `extraBytes`). */
export async function truncatedCopy(input: string, out: string, fraction: number, extraBytes = 0): Promise<string> {
  const { size } = await stat(input);
  const keep = Math.floor(size * fraction) + extraBytes;
  const fh = await open(input, 'r');
  try {
    const buf = Buffer.alloc(keep);
    await fh.read(buf, 0, keep, 0);
    await writeFile(out, buf);
  } finally {
    await fh.close();
  }
  return out;
}

/**
 * The file's first audio track decoded by ffmpeg as mono 16-bit samples at `sampleRate` (for MP3,
 * ffmpeg's decoder drops the encoder delay and padding the file's LAME header declares).
 */
export async function decodeToPcm(input: string, sampleRate = 48_000): Promise<Int16Array> {
  const tool = startTool(
    defaultToolPaths.ffmpeg,
    [...QUIET, '-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', 'pipe:1'],
    { stdout: 'pipe' },
  );
  const chunks: Buffer[] = [];
  for await (const chunk of tool.stdout!) chunks.push(chunk as Buffer);
  const exit = await tool.exited;
  if (exit.code !== 0) throw new AudioProcessingError('TOOL_FAILED', 'decoding failed', exit.stderr);
  const bytes = Buffer.concat(chunks);
  const aligned = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < aligned.length; i++) aligned[i] = bytes.readInt16LE(i * 2);
  return aligned;
}

/** Root mean square of samples [start, end) relative to full scale, in dBFS (−Infinity for digital silence). */
export function rmsDbfs(pcm: Int16Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += (pcm[i]! / 32768) ** 2;
  const n = end - start;
  return n > 0 ? 10 * Math.log10(sum / n) : Number.NEGATIVE_INFINITY;
}

/** Largest absolute sample in [start, end), in dBFS. */
export function peakDbfs(pcm: Int16Array, start: number, end: number): number {
  let peak = 0;
  for (let i = start; i < end; i++) peak = Math.max(peak, Math.abs(pcm[i]!));
  return peak > 0 ? 20 * Math.log10(peak / 32768) : Number.NEGATIVE_INFINITY;
}

/** A WAV whose container is whole (its data chunk all there) but whose audio is in a format nothing decodes. */
export function undecodableWav(): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(0x1234, 8); // no such audio format
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(8000, 12);
  fmt.writeUInt32LE(16000, 16);
  fmt.writeUInt16LE(2, 20);
  fmt.writeUInt16LE(16, 22);
  const samples = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 37) % 251));
  const data = Buffer.concat([Buffer.from('data', 'latin1'), Buffer.alloc(4), samples]);
  data.writeUInt32LE(samples.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, data]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
