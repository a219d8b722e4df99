// Making a long recording playable: the checks, the playback copy and the waveform from one decode (makePlayable),
// against one plain ffmpeg MP3 encode of the same file measured in the same run, and the separate decodes they
// replaced. `node bench/audio.ts` (BENCH_AUDIO_MINUTES, default 120: a 2-hour 48 kHz mono WAV, 691 MB, made in the
// temporary folder and removed afterwards). Disclosure copies are measured by bench/disclosure.ts.
import { readFile, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computePeaks, makePlaybackCopy, makePlayable, probeAudio } from '../src/infra/audio/index.ts';
import { ffmpeg, fixtureDir } from '../test/support/audio-fixtures.ts';
import { roomLikeWav } from './fixtures.ts';
import { report } from './report.ts';

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

/**
 * CPU seconds used so far by this process and by the children it has waited for (ffmpeg, ffprobe), from
 * /proc/self/stat (cutime and cstime, in the kernel's 100 ticks a second); undefined where there is no /proc. On a
 * machine shared with other work, CPU time moves far less with the load than the time on the clock does.
 */
async function cpuSeconds(): Promise<number | undefined> {
  const text = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The fields after the command name in parentheses, from field 3 (state): cutime is field 16, cstime 17.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const { user, system } = process.cpuUsage();
  return (Number(fields[13]) + Number(fields[14])) / 100 + (user + system) / 1e6;
}

interface Timed<T> {
  wall: number;
  cpu: number | undefined;
  result: T;
}

async function seconds<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const cpu0 = await cpuSeconds();
  const t0 = performance.now();
  const result = await run();
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = await cpuSeconds();
  return { wall, cpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, result };
}

const mean = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined ? (a + b) / 2 : undefined;

export async function benchAudio(minutes = Number(process.env['BENCH_AUDIO_MINUTES'] ?? 120)): Promise<void> {
  const length = minutes * 60;
  const wavBytes = length * 48_000 * 2;
  const label = minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  const fx = await fixtureDir('cpcr-bench-audio-');
  try {
    const fs = await statfs(fx.dir);
    const free = fs.bavail * fs.bsize;
    // The WAV, four MP3s of ~58 MB each at two hours, and room to spare.
    if (free < wavBytes * 1.5 + 512 * 1048576) {
      console.log(`audio: skipped, ${mib(free)} free in ${path.dirname(fx.dir)} and ${mib(wavBytes * 1.5)} needed`);
      return;
    }
    const wav = fx.file('recording.wav');
    const { wall: made } = await seconds(() => roomLikeWav(wav, length, { seed: 7, toneHz: 220 }));
    console.log(
      `audio (${minutes} min, 48 kHz mono WAV, ${mib((await stat(wav)).size)}, made in ${made.toFixed(1)} s)`,
    );

    // The anchor: one plain ffmpeg MP3 encode of the same file at the playback copy's rate, no checks, no waveform.
    // Measured before and after the figure, and averaged, so a change in the machine's load during the run shows.
    const plain = (): Promise<Timed<void>> =>
      seconds(() => ffmpeg(['-i', wav, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', fx.file('plain.mp3')]));
    const before = await plain();
    const onePass = await seconds(() => makePlayable(wav, fx.file('playback.mp3'), { peaksPerSecond: 10 }));
    const after = await plain();
    const playable = onePass.result;
    if (Math.abs(playable.probe.durationMs - length * 1000) > 1)
      throw new Error(`makePlayable measured ${playable.probe.durationMs} ms`);
    if (playable.peaks.length !== length * 10) throw new Error(`${playable.peaks.length} peaks`);
    console.log(
      `  anchor runs ${before.wall.toFixed(1)} s and ${after.wall.toFixed(1)} s; playback copy ${mib(playable.copy.sizeBytes)}, ${playable.peaks.length} peaks`,
    );
    const anchor = { what: 'one ffmpeg MP3 encode of the same file', value: (before.wall + after.wall) / 2 };
    const what = `${label} WAV until playable (checks, playback copy and waveform from one decode)`;
    report({
      what,
      value: onePass.wall,
      unit: 's',
      anchor,
      target: '≤ 1.2× anchor',
      met: onePass.wall <= 1.2 * anchor.value,
    });
    const anchorCpu = mean(before.cpu, after.cpu);
    if (onePass.cpu !== undefined && anchorCpu !== undefined)
      report({
        what: `${what}, CPU time`,
        value: onePass.cpu,
        unit: 's',
        anchor: { what: 'CPU time of one ffmpeg MP3 encode of the same file', value: anchorCpu },
        target: '≤ 1.2× anchor',
        met: onePass.cpu <= 1.2 * anchorCpu,
      });

    // What it replaced: the probe's own decode, the copy, a decode of the copy to measure it, and another for peaks.
    const separate = await seconds(async () => {
      await probeAudio(wav);
      await makePlaybackCopy(wav, fx.file('separate.mp3'));
      await probeAudio(fx.file('separate.mp3'));
      await computePeaks(fx.file('separate.mp3'), { peaksPerSecond: 10 });
    });
    report({
      what: `${label} WAV until playable as before (probe, copy, decode of the copy, decode for peaks)`,
      value: separate.wall,
      unit: 's',
      anchor,
    });
    if (separate.cpu !== undefined && anchorCpu !== undefined)
      report({
        what: `${label} WAV until playable as before, CPU time`,
        value: separate.cpu,
        unit: 's',
        anchor: { what: 'CPU time of one ffmpeg MP3 encode of the same file', value: anchorCpu },
      });
  } finally {
    await fx.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchAudio();
