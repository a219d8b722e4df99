// The audio record end to end (issue 4): a long 48 kHz mono WAV uploaded and ingested through
// RecordingService exactly as the service does it (staging → hash → probe with a full decode → age
// encryption → fsync → read back → playback copy and its peaks), timed against a plain `cp` of the
// same file in the same run; the Node process's peak RSS; and the time to first byte of HTTP Range
// requests for the playback copy at 20 random offsets, against the running Fastify app.
// `node bench/recording-ingest.ts` (BENCH_INGEST_MINUTES, default 120: a 2-hour WAV, 691 MB, made
// in the temporary folder with the database and removed afterwards).
import { spawn } from 'node:child_process';
import { copyFile, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordingServiceDeps } from '../src/app/recordings/recording-service.ts';
import { staff } from '../test/support/people.ts';
import { ffmpeg, fixtureDir } from '../test/support/audio-fixtures.ts';
import { siblingGroupConference } from '../test/support/conferences.ts';
import { createTestServices } from '../test/support/services.ts';
import { TEST_PASSWORD, testApp } from '../test/support/web.ts';

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;
const mbps = (bytes: number, ms: number): string => `${(bytes / 1048576 / (ms / 1000)).toFixed(0)} MiB/s`;
/** Peak resident set size of this Node process so far (ffmpeg and cp are separate processes). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

async function run(cmd: string, args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

/** Cookies set by a response, as a `cookie` header for the next request. */
function cookiesOf(res: Response, jar: Map<string, string>): string {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export async function benchRecordingIngest(
  minutes = Number(process.env['BENCH_INGEST_MINUTES'] ?? 120),
): Promise<void> {
  const seconds = minutes * 60;
  const wavBytes = seconds * 48_000 * 2;
  const fx = await fixtureDir('cpcr-bench-ingest-');
  try {
    const fs = await statfs(fx.dir);
    const free = fs.bavail * fs.bsize;
    // The WAV, its cp copy, the upload (moved into staging), the encrypted original, the playback MP3
    // (~1/11 of the WAV, twice: scratch and encrypted), the database and room to spare.
    const needed = wavBytes * 4.3 + 1024 * 1048576;
    if (free < needed) {
      console.log(
        `recording ingest: skipped, ${mib(free)} free in ${path.dirname(fx.dir)} and ${mib(needed)} needed (set BENCH_INGEST_MINUTES lower)`,
      );
      return;
    }
    const wav = fx.file('recording.wav');
    const made = performance.now();
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `anoisesrc=d=${seconds}:c=pink:r=48000:a=0.15:seed=11`,
      '-f',
      'lavfi',
      '-i',
      `sine=f=180:r=48000:d=${seconds}`,
      '-filter_complex',
      'amix=inputs=2:normalize=0',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      wav,
    ]);
    const size = (await stat(wav)).size;
    console.log(
      `recording ingest (${minutes} min, 48 kHz mono WAV, ${mib(size)}, made in ${((performance.now() - made) / 1000).toFixed(1)} s; Node peak RSS before ${mib(peakRss())})`,
    );

    // The baseline: a plain copy of the same file on the same disk, flushed like the service flushes.
    await run('sync', [wav]);
    const c0 = performance.now();
    await run('cp', [wav, fx.file('copy.wav')]);
    await run('sync', [fx.file('copy.wav')]);
    const cpMs = performance.now() - c0;
    await rm(fx.file('copy.wav'));
    console.log(
      `  cp + sync of the same file             ${(cpMs / 1000).toFixed(1).padStart(6)} s  ${mbps(size, cpMs).padStart(10)}`,
    );

    const ctx = await createTestServices('pglite', { RECORDING_MAX_BYTES: String(size * 2) }, { ingest: 'manual' });
    try {
      const service = ctx.services.recordings;
      // Each step of ingest, timed by wrapping the service's own dependencies (the bench's only intrusion).
      const deps = (service as unknown as { deps: RecordingServiceDeps }).deps;
      const spent = new Map<string, number>();
      const timed =
        <A extends unknown[], R>(label: string, fn: (...a: A) => Promise<R>) =>
        async (...a: A): Promise<R> => {
          const t = performance.now();
          try {
            return await fn(...a);
          } finally {
            spent.set(label, (spent.get(label) ?? 0) + performance.now() - t);
          }
        };
      const puts: number[] = [];
      const put = deps.blobs.put.bind(deps.blobs);
      deps.blobs.put = async (...a) => {
        const t = performance.now();
        const r = await put(...a);
        puts.push(performance.now() - t);
        return r;
      };
      const audio = deps.audio;
      audio.probe = timed('probe (ffprobe + full decode)', audio.probe.bind(audio));
      audio.makePlaybackCopy = timed('playback copy (MP3)', audio.makePlaybackCopy.bind(audio));
      audio.computePeaks = timed('waveform peaks', audio.computePeaks.bind(audio));

      const support = await staff(ctx, 'Bench Support', ['business_support']);
      const sw = await staff(ctx, 'Bench Worker', ['social_worker']);
      const chair = await staff(ctx, 'Bench Chair', ['chair']);
      const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
      const as = { actor: { id: support.id, label: support.name }, requestId: 'bench' };
      const r = await service.createUpload(support, as, g.conferenceId, {
        kind: 'meeting',
        source: 'dictaphone',
        partId: g.partId,
      });
      // What a finished tus upload leaves: the file in the uploads folder, handed to the service.
      const upload = path.join(ctx.dataDir, `upload-${r.id}`);
      await copyFile(wav, upload);
      await run('sync', [upload]);

      // The process's peak RSS includes PGlite starting; the RSS sampled during ingest shows what ingest adds.
      const rssBefore = process.memoryUsage.rss();
      let rssDuring = rssBefore;
      const sampler = setInterval(() => (rssDuring = Math.max(rssDuring, process.memoryUsage.rss())), 50);
      const t0 = performance.now();
      await service.completeUpload(support, as, r.id, upload);
      const status = await service.ingest(r.id);
      const ingestMs = performance.now() - t0;
      clearInterval(sampler);
      if (status !== 'stored') throw new Error(`ingest ended ${status}`);
      const detail = await service.detail(support, as, r.id);
      if (detail.recording.originalSize !== size) throw new Error('stored size differs');

      const [originalPut = 0, playbackPut = 0] = puts;
      const rest = ingestMs - [...spent.values()].reduce((a, b) => a + b, 0) - originalPut - playbackPut;
      console.log(
        `  ingest end to end                      ${(ingestMs / 1000).toFixed(1).padStart(6)} s  ${mbps(size, ingestMs).padStart(10)}  ${(seconds / (ingestMs / 1000)).toFixed(0)}x real time  ${(ingestMs / cpMs).toFixed(1)}x the cp`,
      );
      console.log(
        `    age encrypt + fsync of the original  ${(originalPut / 1000).toFixed(1).padStart(6)} s  ${mbps(size, originalPut).padStart(10)}  ${(originalPut / cpMs).toFixed(2)}x the cp`,
      );
      for (const [label, ms] of spent) console.log(`    ${label.padEnd(36)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
      console.log(`    encrypt + fsync of the playback copy ${(playbackPut / 1000).toFixed(1).padStart(6)} s`);
      console.log(`    hashing, read-back check, database   ${(rest / 1000).toFixed(1).padStart(6)} s`);
      console.log(
        `  Node RSS ${mib(rssBefore)} before ingest, at most ${mib(rssDuring)} during it (sampled every 50 ms); process peak RSS ${mib(peakRss())}`,
      );

      // Time to first byte of Range requests at random offsets of the playback copy, over HTTP.
      const app = await testApp(ctx);
      try {
        const base = await app.listen({ host: '127.0.0.1', port: 0 });
        const jar = new Map<string, string>();
        const signInPage = await fetch(`${base}/sign-in`);
        let cookie = cookiesOf(signInPage, jar);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())?.[1] ?? '';
        const email = `${support.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.gov.uk`;
        const signedIn = await fetch(`${base}/sign-in`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, email, password: TEST_PASSWORD }).toString(),
        });
        if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status}`);
        cookie = cookiesOf(signedIn, jar);
        await service.startListening(support, as, r.id, 'Benchmark: seeking through the recording');
        const playbackSize = detail.playback!.size;
        const ttfb: number[] = [];
        let seed = 20_260_302;
        const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
        for (let i = 0; i < 21; i++) {
          const start = Math.floor(random() * (playbackSize - 70_000));
          const t = performance.now();
          const res = await fetch(`${base}/recordings/${r.id}/audio`, {
            headers: { cookie, range: `bytes=${start}-${start + 65_535}` },
          });
          if (res.status !== 206) throw new Error(`range request answered ${res.status}`);
          const reader = res.body!.getReader();
          const first = await reader.read();
          const ms = performance.now() - t;
          if (first.done || first.value.length === 0) throw new Error('no bytes');
          // Read the rest (64 KiB) so the connection is free for the next request and the server can close.
          while (!(await reader.read()).done);
          if (i > 0) ttfb.push(ms); // the first request warms the connection and the code
        }
        ttfb.sort((a, b) => a - b);
        console.log(
          `  Range TTFB at 20 random offsets of the ${mib(playbackSize)} playback copy: median ${percentile(ttfb, 50).toFixed(1)} ms, p95 ${percentile(ttfb, 95).toFixed(1)} ms, max ${ttfb.at(-1)!.toFixed(1)} ms`,
        );
        // Where the time goes, in process: the access check and lookup, then reading and decrypting the range.
        const lookup: number[] = [];
        const decrypt: number[] = [];
        for (let i = 0; i < 20; i++) {
          const start = Math.floor(random() * (playbackSize - 70_000));
          const t = performance.now();
          const player = await service.playback(support, as, r.id);
          const t1 = performance.now();
          await player.read(start, start + 65_535);
          lookup.push(t1 - t);
          decrypt.push(performance.now() - t1);
        }
        lookup.sort((a, b) => a - b);
        decrypt.sort((a, b) => a - b);
        console.log(
          `    in process: access check and lookup median ${percentile(lookup, 50).toFixed(1)} ms (p95 ${percentile(lookup, 95).toFixed(1)}), read and decrypt 64 KiB median ${percentile(decrypt, 50).toFixed(1)} ms (p95 ${percentile(decrypt, 95).toFixed(1)})`,
        );
      } finally {
        await app.close();
      }
    } finally {
      await ctx.dispose();
    }
  } finally {
    await fx.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchRecordingIngest();
