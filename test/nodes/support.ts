/**
 * Service processes for the multi-node test: `node src/web/server.ts` started as a child with its own data folder
 * and port, sharing the database, the bucket and the key files with every other node, as a council's nodes behind
 * a load balancer do. A tiny cookie-keeping HTTP client speaks to any of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../src/web/server.ts', import.meta.url));

export interface ServiceNode {
  name: string;
  base: string;
  child: ChildProcess;
  /** Everything the process printed (JSON log lines). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('No port');
  return address.port;
}

/** Starts a node and waits for its "service ready" line (or its exit, with what it printed). */
export async function startNode(name: string, env: Record<string, string>): Promise<ServiceNode> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `cpcr-node-${name}-`));
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env['PATH'] ?? '', ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (out.includes('"service ready"')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`node ${name} exited before it was ready:\n${out.slice(-4000)}`)));
  });
  return {
    name,
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** A browser's cookie jar, sent to whichever node a request goes to. */
export class Browser {
  private readonly jar = new Map<string, string>();
  lastHtml = '';

  cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: this.cookie() } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  async page(url: string): Promise<Response & { html: string }> {
    const res = await this.request(url);
    const html = await res.text();
    this.lastHtml = html;
    return Object.assign(res, { html });
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m?.[1]) throw new Error('No CSRF token on the page');
    return m[1];
  }

  /** Posts a form with `csrf` (by default the token on the last page fetched, from whichever node served it). */
  async post(url: string, form: Record<string, string>, csrf = this.csrf()): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
  }
}

/** Polls `check` until it returns a value (not undefined), or fails naming `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
