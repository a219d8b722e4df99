// `./scripts/start` is how a council runs the service, by hand or under systemd or Docker: Ctrl-C and
// SIGTERM sent to the process it started must stop the server cleanly (final audit checkpoint written,
// embedded database closed and unlocked, port released), not leave it running without a parent.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareEnv } from '../cli/support.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Starting Node, opening the embedded database and applying migrations takes seconds on a busy machine. */
const READY_WITHIN_MS = 150_000;
const STOPPED_WITHIN_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined, or fails naming `what`. */
async function waitFor<T>(what: string, withinMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('./scripts/start', () => {
  let dataDir: string;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-start-'));
  });

  afterAll(async () => {
    // Only matters when a test failed: stop anything left of what this file started (each script's
    // process group, which holds the server even when the script itself has exited).
    for (const child of started) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // nothing left
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  // The second run also starts on an existing data directory, as every restart does.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the server cleanly on %s to the script’s process',
    async (signal) => {
      const port = await freePort();
      const script = spawn(path.join(ROOT, 'scripts/start'), [], {
        cwd: ROOT,
        env: bareEnv({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a failed test can clean up everything it started.
        detached: true,
      });
      started.push(script);
      let output = '';
      script.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      script.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        script.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );

      await waitFor(`/health on port ${port}`, READY_WITHIN_MS, async () => {
        if (script.exitCode !== null) throw new Error(`./scripts/start exited with ${script.exitCode}:\n${output}`);
        const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return res?.ok ? true : undefined;
      });
      // The process holding the embedded database is the server, wherever it sits under the script.
      const serverPid = Number((await readFile(path.join(dataDir, 'cpcr.lock'), 'utf8')).trim());
      expect(serverPid).toBeGreaterThan(0);

      process.kill(script.pid!, signal);

      const exit = await exited;
      await waitFor(`the server (pid ${serverPid}) to exit`, STOPPED_WITHIN_MS, async () =>
        processExists(serverPid) ? undefined : true,
      );
      expect(exit, output).toEqual({ code: 0, signal: null });
      expect(await portOpen(port)).toBe(false);
      // A clean shutdown closes the embedded database and releases its lock.
      await expect(readFile(path.join(dataDir, 'cpcr.lock'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
      expect(output).not.toMatch(/"level":(50|60)/);
    },
    240_000,
  );
});
