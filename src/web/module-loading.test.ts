// The resolve cache must give exactly what Node's own resolution gives: the same files for the same imports,
// loaded as the same kind of module. Each side runs in its own plain Node process (Vitest resolves differently).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

const SPECIFIERS = ['drizzle-orm', 'drizzle-orm/pg-core', 'drizzle-orm/pglite', 'date-fns', 'fastify', 'zod', 'pg'];

/** What a process resolves and loads for each specifier: its URL and the names it exports. */
async function loaded(withCache: boolean): Promise<unknown> {
  const script = `
    ${withCache ? `(await import(${JSON.stringify(path.join(root, 'src/web/module-loading.ts'))})).speedUpModuleLoading();` : ''}
    const out = {};
    for (const s of ${JSON.stringify(SPECIFIERS)}) {
      const m = await import(s);
      out[s] = { url: import.meta.resolve(s), exports: Object.keys(m).sort() };
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  return JSON.parse(stdout);
}

describe('module loading at start', () => {
  it('resolves and loads the same modules as Node does without the cache', { timeout: 120_000 }, async () => {
    const [plain, cached] = await Promise.all([loaded(false), loaded(true)]);
    expect(cached).toEqual(plain);
  });
});
