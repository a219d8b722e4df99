// Start: time from `npm start` (and from `node src/web/server.ts`) to `/health` 200 on a fresh and an existing
// PGlite data folder and on PostgreSQL, and the idle resident memory of the server run by node directly (as the
// container image runs it) and of the whole `npm start` tree, each beside a bare Fastify server started the same
// way in the same run, printed through report.ts against the targets (≤ 3 s existing, ≤ 5 s fresh, ≤ 400 MB on
// PGlite and ≤ 200 MB on PostgreSQL).
// `node bench/start.ts`. BENCH_START_RUNS sets the runs per figure (the median is printed, 3 by default);
// PostgreSQL runs against a database made for the bench and dropped after, on BENCH_START_POSTGRES_URL
// (postgres://postgres@127.0.0.1:5432 by default; skipped when it cannot be reached).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { report } from './report.ts';

// BENCH_START_ROOT measures another checkout of the service (an earlier commit, say) with this bench.
const root = path.resolve(
  process.env['BENCH_START_ROOT'] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PAGE = 4096;
/** The server run directly, as the README says to under a process manager. */
const serverArgs = ['--liftoff-only', '--max-semi-space-size=8', 'src/web/server.ts'];
/**
 * The compile cache named from the start, as the container image (and `npm start`) name it: the entry point's
 * modules are read from it too, so Node's TypeScript stripper is not loaded on a warm start.
 */
const nodeEnv = { NODE_COMPILE_CACHE: path.join(root, '.build/compile-cache') };
/** How long after `/health` first answers the server is left alone before its memory is read. */
const SETTLE_MS = 3000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * Resident bytes of a process and every process below it, and the CPU time they have used (with that of
 * children already waited for, such as npm's `prestart`), read from /proc.
 */
async function treeStats(pid: number): Promise<{ rss: number; cpuMs: number }> {
  const parents = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may hold spaces and brackets: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (!Number.isFinite(ppid)) continue;
    // utime, stime, cutime, cstime: fields 14 to 17 of stat, 11 to 14 counted from the state.
    cpu.set(Number(entry), [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) * TICK_MS);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  let rss = 0;
  let cpuMs = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    const statm = await readFile(`/proc/${p}/statm`, 'utf8').catch(() => '');
    rss += Number(statm.split(' ')[1] ?? 0) * PAGE;
    cpuMs += cpu.get(p) ?? 0;
    queue.push(...(parents.get(p) ?? []));
  }
  return { rss, cpuMs };
}

interface StartRun {
  ms: number;
  /** CPU time the process tree used until /health answered: steadier than `ms` on a busy machine. */
  cpuMs: number;
  idleRss: number;
  peakRss: number;
}

/** Starts `command` in its own process group, times it until `/health` answers 200, reads its memory, stops it. */
async function timeStart(command: string, args: string[], env: Record<string, string>): Promise<StartRun> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  let peakRss = 0;
  const untilHealthy = async (): Promise<{ ms: number; cpuMs: number }> => {
    for (;;) {
      if (exited) throw new Error(`${command} ${args.join(' ')} stopped before /health answered:\n${stderr}`);
      peakRss = Math.max(peakRss, (await treeStats(child.pid!)).rss);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return { ms: performance.now() - t0, cpuMs: (await treeStats(child.pid!)).cpuMs };
      if (performance.now() - t0 > 120_000) throw new Error(`no /health within 2 minutes:\n${stderr}`);
      await sleep(20);
    }
  };
  try {
    const { ms, cpuMs } = await untilHealthy();
    const until = performance.now() + SETTLE_MS;
    while (performance.now() < until) {
      peakRss = Math.max(peakRss, (await treeStats(child.pid!)).rss);
      await sleep(100);
    }
    const idleRss = (await treeStats(child.pid!)).rss;
    return { ms, cpuMs, idleRss, peakRss: Math.max(peakRss, idleRss) };
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await done;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const MiB = 1024 * 1024;
const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function runs(n: number, once: (i: number) => Promise<StartRun>): Promise<StartRun> {
  const all: StartRun[] = [];
  for (let i = 0; i < n; i++) all.push(await once(i));
  return {
    ms: median(all.map((r) => r.ms)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    idleRss: median(all.map((r) => r.idleRss)),
    peakRss: Math.max(...all.map((r) => r.peakRss)),
  };
}

/** A database of its own for the bench on the PostgreSQL server, or null when the server cannot be reached. */
async function benchDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `${serverUrl}/${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: `${serverUrl}/postgres` });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function benchStart(n = Number(process.env['BENCH_START_RUNS'] ?? 3)): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'cpcr-bench-start-'));
  try {
    // The anchor: a bare Fastify server answering /health, started by npm the same way as the service.
    const anchorDir = path.join(scratch, 'anchor');
    await rm(anchorDir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(anchorDir));
    const anchorScript = path.join(anchorDir, 'server.mjs');
    await writeFile(
      anchorScript,
      `import Fastify from ${JSON.stringify(path.join(root, 'node_modules/fastify/fastify.js'))};\n` +
        `const app = Fastify();\napp.get('/health', async () => ({ status: 'ok' }));\n` +
        `await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });\n` +
        `process.on('SIGTERM', () => app.close().then(() => process.exit(0)));\n`,
    );
    await writeFile(
      path.join(anchorDir, 'package.json'),
      JSON.stringify({ name: 'anchor', private: true, type: 'module', scripts: { start: 'node server.mjs' } }),
    );
    const anchorNpm = await runs(n, () => timeStart(npm, ['start', '--prefix', anchorDir], {}));
    const anchorNode = await runs(n, () => timeStart(process.execPath, [anchorScript], {}));

    const dataDir = (i: number) => path.join(scratch, `data-${i}`);
    const fresh = await runs(n, (i) => timeStart(npm, ['start'], { DATA_DIR: dataDir(i) }));
    const existing = await runs(n, () => timeStart(npm, ['start'], { DATA_DIR: dataDir(0) }));
    const existingNode = await runs(n, () =>
      timeStart(process.execPath, serverArgs, { ...nodeEnv, DATA_DIR: dataDir(0) }),
    );

    console.log(
      `start (${n} runs each, median; memory summed over the process tree, ${SETTLE_MS / 1000} s after ready)`,
    );
    const npmAnchor = { what: 'bare Fastify to its first response, npm start', value: anchorNpm.ms / 1000 };
    const nodeAnchor = { what: 'bare Fastify to its first response, node', value: anchorNode.ms / 1000 };
    const started = (what: string, r: StartRun, anchor: { what: string; value: number }, limitS: number) =>
      report({
        what: `${what} (CPU ${secs(r.cpuMs)}, peak ${mib(r.peakRss)})`,
        value: r.ms / 1000,
        unit: 's',
        anchor,
        target: `≤ ${limitS} s`,
        met: r.ms <= limitS * 1000,
      });
    // Memory targets are in MB (10^6 bytes): 400 MB is 381 MiB, 200 MB is 191 MiB.
    const idle = (what: string, r: StartRun, anchor: StartRun, anchorWhat: string, limitMb?: number) =>
      report({
        what,
        value: r.idleRss / MiB,
        unit: 'MiB',
        anchor: { what: anchorWhat, value: anchor.idleRss / MiB },
        ...(limitMb
          ? { target: `≤ ${limitMb} MB (${((limitMb * 1e6) / MiB).toFixed(0)} MiB)`, met: r.idleRss <= limitMb * 1e6 }
          : {}),
      });
    started('start to /health, PGlite, fresh data folder, npm start', fresh, npmAnchor, 5);
    started('start to /health, PGlite, existing data folder, npm start', existing, npmAnchor, 3);
    started('start to /health, PGlite, existing data folder, node directly', existingNode, nodeAnchor, 3);
    // The service's own process, run by node directly as the container image and a process manager do.
    idle('idle RSS, PGlite, node directly', existingNode, anchorNode, 'bare Fastify idle RSS, node', 400);
    // With npm start, npm itself stays in memory as the parent: the whole tree, beside bare Fastify under npm.
    idle('idle RSS of the tree, PGlite, npm start', existing, anchorNpm, 'bare Fastify idle RSS, npm start');

    const server = process.env['BENCH_START_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
    const database = await benchDatabase(server, 'cpcr_bench_start');
    if (!database) {
      console.log(`  PostgreSQL: skipped, ${server} cannot be reached`);
      return;
    }
    try {
      const env = { DATA_DIR: path.join(scratch, 'data-postgres'), DATABASE_URL: database.url };
      const pgFresh = await timeStart(npm, ['start'], env);
      const pgExisting = await runs(n, () => timeStart(npm, ['start'], env));
      const pgNode = await runs(n, () => timeStart(process.execPath, serverArgs, { ...nodeEnv, ...env }));
      started('start to /health, PostgreSQL, new database (migrations applied), npm start', pgFresh, npmAnchor, 5);
      started('start to /health, PostgreSQL, migrated database, npm start', pgExisting, npmAnchor, 3);
      started('start to /health, PostgreSQL, migrated database, node directly', pgNode, nodeAnchor, 3);
      idle('idle RSS, PostgreSQL, node directly', pgNode, anchorNode, 'bare Fastify idle RSS, node', 200);
      idle('idle RSS of the tree, PostgreSQL, npm start', pgExisting, anchorNpm, 'bare Fastify idle RSS, npm start');
    } finally {
      await database.drop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStart();
