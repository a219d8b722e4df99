// Seek: time to the first byte of an open-ended Range request (`bytes=N-`, as audio elements send) for a
// recording's playback copy, at the start, the middle and near the end, against a static file server sending the
// same bytes in the same run, with the ratio. Target: p95 ≤ 50 ms, within 2× the static server, flat in the offset.
// `node bench/seek.ts` (BENCH_SEEK_MINUTES, default 30: the length of the recording; BENCH_SEEK_REQUESTS, default 60
// per offset). PGlite, as the tests use it; PostgreSQL when TEST_DATABASE_URL is set (a new database made and dropped).
// The requests carry the session and the playback grant the player page sets, as a browser's audio element does.
import { createReadStream } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/web/app.ts';
import { sessionCookieName } from '../src/web/plugins/auth.ts';
import { fixtureDir, toneWav } from '../test/support/audio-fixtures.ts';
import { siblingGroupConference } from '../test/support/conferences.ts';
import { staff } from '../test/support/people.ts';
import { createTestServices } from '../test/support/services.ts';
import { report } from './report.ts';

const REQUESTS = Number(process.env['BENCH_SEEK_REQUESTS'] ?? 60);
const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;

/** Milliseconds until the first byte of the body of `bytes=start-`. */
async function once(url: string, start: number, cookie: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie, range: `bytes=${start}-` } });
  const reader = res.body!.getReader();
  const first = await reader.read();
  const ms = performance.now() - t0;
  await reader.cancel();
  if (res.status !== 206 || first.done) throw new Error(`${url} bytes=${start}-: ${res.status}`);
  return ms;
}

/**
 * Our server's and the anchor's TTFB, one request at a time, alternating, so a busy machine slows both alike;
 * each sorted.
 */
async function ttfb(
  ours: string,
  anchor: string,
  start: number,
  cookie: string,
): Promise<{ ours: number[]; anchor: number[] }> {
  const times = { ours: [] as number[], anchor: [] as number[] };
  for (let i = 0; i < REQUESTS; i++) {
    times.ours.push(await once(ours, start, cookie));
    times.anchor.push(await once(anchor, start, ''));
  }
  times.ours.sort((a, b) => a - b);
  times.anchor.sort((a, b) => a - b);
  return times;
}

/** A bare static file server with single Range support, the anchor: no session, no lookup, no decryption. */
function staticServer(file: string, size: number): Promise<Server> {
  const server = createServer((req, res) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, {
      'content-type': 'audio/mpeg',
      'content-length': String(size - start),
      ...(m ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    createReadStream(file, { start }).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function benchSeek(minutes = Number(process.env['BENCH_SEEK_MINUTES'] ?? 30)): Promise<void> {
  const fx = await fixtureDir('cpcr-bench-seek-');
  const kind = process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite';
  const ctx = await createTestServices(kind);
  let anchorServer: Server | null = null;
  const app = await buildApp(ctx.services, { logger: false });
  try {
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'in-progress' });
    const as = (a: { id: string; name: string }) => ({ actor: { id: a.id, label: a.name }, requestId: 'bench' });
    const wav = await toneWav(fx.file('meeting.wav'), { seconds: minutes * 60 });
    const recordings = ctx.services.recordings;
    const r = await recordings.createUpload(support, as(support), g.conferenceId, {
      kind: 'meeting',
      source: 'teams',
      partId: g.partId,
      clientSha256: null,
    });
    const upload = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(wav, upload);
    await recordings.completeUpload(support, as(support), r.id, upload);
    await recordings.startListening(sw, as(sw), r.id, 'Preparing the core group meeting');
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const session = `${sessionCookieName(false)}=${await ctx.services.accounts.startSession(sw.id, { secondFactorDue: false })}`;
    // The player page sets the playback grant its audio element's requests carry.
    const player = await fetch(`${base}/recordings/${r.id}/listen`, { headers: { cookie: session } });
    const grant = /^(cpcr_play=[^;]+)/.exec(
      player.headers.getSetCookie().find((c) => c.startsWith('cpcr_play=')) ?? '',
    );
    if (player.status !== 200 || !grant) throw new Error(`the player page: ${player.status}, no playback grant`);
    const cookie = `${session}; ${grant[1]}`;
    const url = `${base}/recordings/${r.id}/audio`;
    // The anchor serves the very bytes the player gets.
    const whole = Buffer.from(await (await fetch(url, { headers: { cookie } })).arrayBuffer());
    await writeFile(fx.file('playback.mp3'), whole);
    anchorServer = await staticServer(fx.file('playback.mp3'), whole.length);
    const anchorUrl = `http://127.0.0.1:${(anchorServer.address() as AddressInfo).port}/playback.mp3`;
    console.log(
      `seek (${minutes} min recording, playback copy ${(whole.length / 1048576).toFixed(1)} MiB, ${REQUESTS} requests per offset, ${kind === 'pglite' ? 'PGlite' : 'PostgreSQL'})`,
    );
    for (const [label, start] of [
      ['start', 0],
      ['middle', Math.floor(whole.length / 2)],
      ['near the end', whole.length - 1000],
    ] as const) {
      await ttfb(url, anchorUrl, start, cookie); // warm-up
      const times = await ttfb(url, anchorUrl, start, cookie);
      const ours = p95(times.ours);
      const anchor = p95(times.anchor);
      const what = `Range TTFB p95, bytes=${start}- (${label})`;
      const anchored = { what: 'static file server p95', value: anchor };
      report({ what, value: ours, unit: 'ms', target: '≤ 50 ms', met: ours <= 50 });
      report({ what, value: ours, unit: 'ms', anchor: anchored, target: '≤ 2× static', met: ours <= 2 * anchor });
      const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
      report({
        what: `Range TTFB median, bytes=${start}- (${label})`,
        value: median(times.ours),
        unit: 'ms',
        anchor: { what: 'static file server median', value: median(times.anchor) },
      });
    }
  } finally {
    anchorServer?.close();
    await app.close();
    await ctx.dispose();
    await fx.cleanup();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchSeek();
