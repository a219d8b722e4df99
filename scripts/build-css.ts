// Compiles the service's stylesheet (GOV.UK Frontend with the council's settings) into .build/.
// Compiling takes seconds, so it is skipped when nothing it depends on has changed since the last build:
// the Sass sources under src/, the govuk-frontend and sass versions installed, and this script. `--force`
// compiles anyway.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, '.build/app.css');
const stampFile = path.join(root, '.build/app.css.stamp');

async function installedVersion(pkg: string): Promise<string> {
  const text = await readFile(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** A digest of everything the stylesheet is built from. */
async function sourcesDigest(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(path.join(root, 'src'), { recursive: true }))
    .filter((f) => f.endsWith('.scss') || f.endsWith('.sass'))
    .sort();
  for (const file of files) {
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(root, 'src', file)))
      .update('\0');
  }
  hash.update(`govuk-frontend ${await installedVersion('govuk-frontend')}\0sass ${await installedVersion('sass')}\0`);
  hash.update(await readFile(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

const digest = await sourcesDigest();
const built = await readFile(stampFile, 'utf8').catch(() => '');
const cssPresent = await readFile(output).then(
  (b) => b.length > 0,
  () => false,
);
if (!process.argv.includes('--force') && cssPresent && built.trim() === digest) {
  process.stdout.write('.build/app.css is up to date\n');
} else {
  // Loaded only when needed: importing sass alone takes a noticeable part of a second.
  const sass = await import('sass');
  const result = sass.compile(path.join(root, 'src/web/styles/app.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
  });
  await mkdir(path.dirname(output), { recursive: true });
  // Written whole then renamed, so a server starting alongside never serves half a stylesheet.
  await writeFile(`${output}.${process.pid}.tmp`, result.css);
  await rename(`${output}.${process.pid}.tmp`, output);
  await writeFile(stampFile, `${digest}\n`);
  process.stdout.write(`Built .build/app.css (${Math.round(result.css.length / 1024)} KiB)\n`);
}
