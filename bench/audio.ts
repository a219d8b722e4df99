// Audio toolkit on a long recording: probe (with its full decode check), playback copy, waveform peaks
// and a checked disclosure copy, each timed against the recording's length, with the Node process's
// peak RSS. `node bench/audio.ts` (BENCH_AUDIO_MINUTES, default 120: a 2-hour 48 kHz mono WAV, 691 MB,
// made in the temporary folder and removed afterwards).
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computePeaks, makePlaybackCopy, makeRedactedCopy, probeAudio } from '../src/infra/audio/index.ts';
import { ffmpeg, fixtureDir, liveWebm } from '../test/support/audio-fixtures.ts';

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;
/** Peak resident set size of this Node process so far (the ffmpeg processes are not included). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export async function benchAudio(minutes = Number(process.env['BENCH_AUDIO_MINUTES'] ?? 120)): Promise<void> {
  const seconds = minutes * 60;
  const wavBytes = seconds * 48_000 * 2;
  const fx = await fixtureDir('cpcr-bench-audio-');
  try {
    const fs = await statfs(fx.dir);
    const free = fs.bavail * fs.bsize;
    // The WAV, three MP3s of ~58 MB each at two hours, and room to spare.
    if (free < wavBytes * 1.5 + 512 * 1048576) {
      console.log(`audio: skipped, ${mib(free)} free in ${path.dirname(fx.dir)} and ${mib(wavBytes * 1.5)} needed`);
      return;
    }
    const wav = fx.file('recording.wav');
    const made = performance.now();
    // Pink noise under a tone: broadband like a room, so the encoder has real work to do.
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `anoisesrc=d=${seconds}:c=pink:r=48000:a=0.15:seed=7`,
      '-f',
      'lavfi',
      '-i',
      `sine=f=220:r=48000:d=${seconds}`,
      '-filter_complex',
      'amix=inputs=2:normalize=0',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
    const startRss = peakRss();
    console.log(
      `audio (${minutes} min, 48 kHz mono WAV, ${mib((await stat(wav)).size)}, made in ${((performance.now() - made) / 1000).toFixed(1)} s; Node peak RSS before ${mib(startRss)})`,
    );

    const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const result = await run();
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  ${label.padEnd(36)} ${s.toFixed(1).padStart(6)} s  ${(seconds / s).toFixed(0).padStart(5)}x real time  Node peak RSS ${mib(peakRss())}`,
      );
      return result;
    };

    const probe = await step('probeAudio (ffprobe + full decode)', () => probeAudio(wav));
    if (Math.abs(probe.durationMs - seconds * 1000) > 1) throw new Error(`probe measured ${probe.durationMs} ms`);
    const playback = await step('makePlaybackCopy (MP3 64k CBR)', () =>
      makePlaybackCopy(wav, fx.file('playback.mp3'), { durationMs: probe.durationMs }),
    );
    const peaks = await step('computePeaks (20 a second)', () => computePeaks(wav, { peaksPerSecond: 20 }));
    if (peaks.length !== seconds * 20) throw new Error(`${peaks.length} peaks`);
    // 40 withheld ranges of 5 to 90 seconds spread through the recording, and a 3-second notice.
    const withheld = Array.from({ length: 40 }, (_, i) => {
      const startMs = ((i + 0.3) * seconds * 1000) / 40;
      return { startMs, endMs: startMs + 5_000 + ((i * 7919) % 85_000) };
    });
    const copy = await step('makeRedactedCopy (checked)', () =>
      makeRedactedCopy({
        input: wav,
        output: fx.file('disclosure.mp3'),
        withheld,
        fill: 'silence',
        notice: { kind: 'tone', seconds: 3 },
        durationMs: probe.durationMs,
      }),
    );
    // Issue 5's figure: a disclosure copy with 10 withheld ranges of 90 s against a plain ffmpeg transcode
    // of the same file to the same MP3 settings, in this run.
    const plain = await step('plain ffmpeg transcode (MP3 64k)', async () => {
      const t0 = performance.now();
      await ffmpeg(['-i', wav, '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', fx.file('plain.mp3')]);
      return (performance.now() - t0) / 1000;
    });
    const tenRanges = Array.from({ length: 10 }, (_, i) => {
      const startMs = ((i + 0.5) * seconds * 1000) / 10;
      return { startMs, endMs: Math.min(startMs + 90_000, seconds * 1000) };
    });
    const t10 = performance.now();
    await step('makeRedactedCopy 10 ranges (checked)', () =>
      makeRedactedCopy({
        input: wav,
        output: fx.file('disclosure-10.mp3'),
        withheld: tenRanges,
        fill: 'silence',
        notice: { kind: 'tone', seconds: 3 },
        durationMs: probe.durationMs,
      }),
    );
    console.log(
      `  disclosure copy with 10 ranges took ${((performance.now() - t10) / 1000 / plain).toFixed(2)}x the plain transcode`,
    );
    await step('makeRedactedCopy (tone, unchecked)', () =>
      makeRedactedCopy({
        input: wav,
        output: fx.file('disclosure-tone.mp3'),
        withheld,
        fill: 'tone',
        verify: false,
        durationMs: probe.durationMs,
      }),
    );
    await step('probeAudio of the playback MP3', () => probeAudio(fx.file('playback.mp3')));
    // What a browser's MediaRecorder uploads: WebM / Opus with no duration in its header.
    await liveWebm(wav, fx.file('recorder.webm'));
    await step('probeAudio of a browser WebM / Opus', () => probeAudio(fx.file('recorder.webm')));
    console.log(
      `  playback copy ${mib(playback.sizeBytes)}, disclosure copy ${mib(copy.sizeBytes)}, ${peaks.length} peaks`,
    );
  } finally {
    await fx.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchAudio();
