// Exits 0 when node_modules holds what package-lock.json names (every package at its locked version; optional ones,
// such as another platform's binaries, may be absent), so `./scripts/start` runs `npm ci` only when it must. It compares contents, not file dates: a checkout newer than its
// install (a fresh clone, a copied folder) is not a reason to reinstall, and a changed lock file always is.
import { readFileSync } from 'node:fs';

type Lock = { packages?: Record<string, { version?: string; link?: boolean; optional?: boolean }> };

function read(file: string): Lock | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Lock;
  } catch {
    return null;
  }
}

const wanted = read('package-lock.json');
const installed = read('node_modules/.package-lock.json');
if (!wanted?.packages || !installed?.packages) process.exit(1);
const have = installed.packages;
const stale = Object.entries(wanted.packages).filter(
  ([name, p]) => name.startsWith('node_modules/') && !p.link && !p.optional && have[name]?.version !== p.version,
);
process.exit(stale.length ? 1 : 0);
