// A disclosure copy of a long recording with 10 withheld ranges, spliced from the playback copy (only the frames
// around each range re-encoded, the rest copied) and checked, against a plain ffmpeg MP3 transcode of the same
// recording and a frame copy of the playback copy (`-c copy`), both measured in the same run; the full path (every
// sample decoded, redacted and encoded) is timed too. `node bench/disclosure.ts` (BENCH_DISCLOSURE_MINUTES, default
// 120: a 2-hour 48 kHz mono WAV, 691 MB, made in the temporary folder and removed afterwards).
import { readFile, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MP3_PLAYBACK, makeRedactedCopy } from '../src/infra/audio/index.ts';
import { ffmpeg, fixtureDir } from '../test/support/audio-fixtures.ts';
import { roomLikeWav } from './fixtures.ts';
import { report } from './report.ts';

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

/**
 * CPU seconds used so far by this process and the ffmpeg processes it has waited for (Linux /proc: utime, stime,
 * cutime, cstime), so a figure can be read apart from how busy the machine was.
 */
async function cpuSeconds(): Promise<number | undefined> {
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of proc(5), counted from 1 with pid and comm as fields 1 and 2.
    const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0);
    return ticks / 100;
  } catch {
    return undefined;
  }
}

export async function benchDisclosure(minutes = Number(process.env['BENCH_DISCLOSURE_MINUTES'] ?? 120)): Promise<void> {
  const length = minutes * 60;
  const wavBytes = length * 48_000 * 2;
  const fx = await fixtureDir('cpcr-bench-disclosure-');
  try {
    const fs = await statfs(fx.dir);
    if (fs.bavail * fs.bsize < wavBytes * 1.5 + 512 * 1048576) {
      console.log(`disclosure: skipped, not enough free space in ${path.dirname(fx.dir)}`);
      return;
    }
    const wav = fx.file('recording.wav');
    await roomLikeWav(wav, length, { seed: 7, toneHz: 220 });
    // The playback copy as the service makes it: 64 kb/s CBR with the bit reservoir off.
    const playback = fx.file('playback.mp3');
    await ffmpeg(['-i', wav, '-map', '0:a:0', '-ac', '1', '-ar', '48000', ...MP3_PLAYBACK, playback]);
    const label = minutes === 120 ? '2 h' : `${minutes} min`;
    console.log(`disclosure (${label}, 48 kHz mono, 10 withheld ranges of 90 s, a 3-second notice)`);

    let t0 = performance.now();
    await ffmpeg(['-i', wav, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', fx.file('plain.mp3')]);
    const plain = seconds(t0);
    t0 = performance.now();
    await ffmpeg(['-i', playback, '-c', 'copy', '-f', 'mp3', fx.file('copied.mp3')]);
    const copied = seconds(t0);

    // Issue 5's ranges: 10 of 90 s spread through the recording.
    const withheld = Array.from({ length: 10 }, (_, i) => {
      const startMs = ((i + 0.5) * length * 1000) / 10;
      return { startMs, endMs: Math.min(startMs + 90_000, length * 1000) };
    });
    const options = {
      input: wav,
      withheld,
      fill: 'silence' as const,
      notice: { kind: 'tone' as const, seconds: 3 },
      durationMs: length * 1000,
    };
    t0 = performance.now();
    const cpu0 = await cpuSeconds();
    const spliced = await makeRedactedCopy({ ...options, playbackCopy: playback, output: fx.file('spliced.mp3') });
    const splicedSeconds = seconds(t0);
    const cpu1 = await cpuSeconds();
    if (spliced.method !== 'spliced') throw new Error(`the copy was made in full: ${spliced.fallbackReason}`);
    const s = spliced.splice!;
    console.log(
      `  spliced: ${s.copiedFrames} frames copied, ${s.reencodedFrames} re-encoded, ${s.silentFrames} of repeated silence` +
        (cpu0 !== undefined && cpu1 !== undefined
          ? `; ${(cpu1 - cpu0).toFixed(2)} CPU s (Node and ffmpeg) in ${splicedSeconds.toFixed(2)} s`
          : ''),
    );
    t0 = performance.now();
    await makeRedactedCopy({ ...options, output: fx.file('full.mp3') });
    const full = seconds(t0);

    const what = `disclosure copy, ${label}, 10 withheld ranges`;
    const anchor = { what: 'plain ffmpeg MP3 transcode', value: plain };
    report({
      what,
      value: splicedSeconds,
      unit: 's',
      anchor,
      target: '≤ 1.15× anchor',
      met: splicedSeconds <= plain * 1.15,
    });
    if (minutes === 120)
      report({
        what: `${what} (stretch)`,
        value: splicedSeconds,
        unit: 's',
        anchor: { what: 'ffmpeg -c copy of the playback copy', value: copied },
        target: '≤ 5 s',
        met: splicedSeconds <= 5,
      });
    report({ what: `${what}, full path (from the original)`, value: full, unit: 's', anchor });
  } finally {
    await fx.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchDisclosure();
