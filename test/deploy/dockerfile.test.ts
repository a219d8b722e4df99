// The container image's essential properties, read from the Dockerfile and .dockerignore (docs/deployment.md):
// built on Node 24 with `npm ci` and `npm run build` at build time, run as a non-root user by node directly
// (SIGTERM reaches the server; no npm or shell in between), a health check on liveness, and no data, key or
// secret ever copied into the image.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped, grouped by stage. */
function stages(text: string): Instruction[][] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const result: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    if (ins.op === 'FROM') result.push([]);
    // Instructions before the first FROM (global ARGs) belong to no stage.
    result[result.length - 1]?.push(ins);
  }
  return result;
}

const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const all = stages(dockerfile);
const build = all[0]!;
const runtime = all[all.length - 1]!;
const ops = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op);

describe('the Dockerfile', () => {
  it('builds in a separate stage on Node 24: npm ci, then npm run build (assets at build time, not at start)', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(nodeImage).toMatch(/^node:24[.-]/);
    const runs = ops(build, 'RUN').map((i) => i.args);
    const ci = runs.findIndex((r) => /\bnpm ci\b/.test(r));
    const assets = runs.findIndex((r) => /\bnpm run build\b/.test(r));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(assets).toBeGreaterThan(ci);
    expect(ops(runtime, 'RUN').some((i) => /\bnpm (ci|install|run)\b/.test(i.args))).toBe(false);
  });

  it('runs as a named non-root user in the final stage', () => {
    const users = ops(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.args.split(':')[0]!;
    expect(['root', '0', '']).not.toContain(user);
  });

  it('starts the server with node directly, in exec form (no npm, no shell)', () => {
    expect(ops(runtime, 'ENTRYPOINT')).toEqual([]);
    const cmd = ops(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    const argv = JSON.parse(cmd[0]!.args) as string[];
    expect(argv[0]).toBe('node');
    expect(argv[argv.length - 1]).toBe('src/web/server.ts');
    expect(argv.join(' ')).not.toMatch(/\bnpm\b|\bsh\b/);
  });

  it('fills the compile cache at build time with the node options the server runs with, the entry point included', () => {
    // V8 keeps its compile cache per set of options: a cache made with other options is never read, and the
    // image's file system is read-only, so every start would then strip and compile every module again.
    const argv = JSON.parse(ops(runtime, 'CMD')[0]!.args) as string[];
    const serverOptions = argv.slice(1, -1);
    const warm = ops(build, 'RUN')
      .map((i) => /NODE_COMPILE_CACHE=(\S+) node ((?:--\S+\s+)*)-e "(.*)"/.exec(i.args))
      .find((m) => m !== null);
    expect(warm).toBeDefined();
    const [, dir, options, script] = warm!;
    expect(options!.split(/\s+/).filter((o) => o && o !== '--input-type=module')).toEqual(serverOptions);
    expect(script).toContain("import('./src/web/server.ts')");
    const runtimeEnv = ops(runtime, 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(runtimeEnv).toContain(`NODE_COMPILE_CACHE=${dir}`);
  });

  it('checks health on the liveness probe', () => {
    const health = ops(runtime, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toContain('/livez');
  });

  it('copies no data, key or secret into the image, and sets no secret in its environment', () => {
    // The final stage takes only named paths from the build stage, never the build context.
    for (const copy of ops(runtime, 'COPY')) expect(copy.args).toMatch(/^--from=build\s/);
    expect(ops(runtime, 'ADD')).toEqual([]);
    const sources = [...ops(build, 'COPY'), ...ops(runtime, 'COPY')].map((i) => i.args);
    for (const s of sources) expect(s).not.toMatch(/\.env|\.pem|\.key\b|agekey|\bdata\b|\/etc\/cpcr/);
    const env = [...ops(build, 'ENV'), ...ops(runtime, 'ENV'), ...ops(runtime, 'ARG')].map((i) => i.args).join(' ');
    expect(env).not.toMatch(/SECRET|PASSWORD|TOKEN|API_KEY|ACCESS_KEY/);
  });

  it('keeps the writable places out of the image: the data folder and the audit checkpoints are volumes', () => {
    const volumes = ops(runtime, 'VOLUME').flatMap((i) => JSON.parse(i.args) as string[]);
    expect(volumes).toEqual(expect.arrayContaining(['/data', '/var/lib/cpcr-audit']));
    expect(
      ops(runtime, 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/DATA_DIR=\/data\b/);
  });

  it('installs ffmpeg (recordings are checked and converted with it) in the image the service runs in', () => {
    expect(ops(runtime, 'RUN').some((i) => /apt-get install[^&]*\bffmpeg\b/.test(i.args))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps local data, installed modules, keys and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(
      expect.arrayContaining(['.git', 'node_modules', 'data', '.env', '*.pem', '*.key', '*.agekey']),
    );
  });
});
