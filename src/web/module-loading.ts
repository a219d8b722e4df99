// Faster loading of the service's modules, set up by the entry point before anything else is imported.
//
// Node 24 looks up the package.json governing every ES module file it resolves, and each look-up parses that
// package's whole `exports` map again: drizzle-orm's and date-fns's are about 180 KB each and hold hundreds of
// files, so start-up spent seconds and some 100 MB of short-lived memory parsing the same two files. The
// resolve hook below gives the same answers from a cache instead:
// - a relative `.js` import inside an installed package whose package.json says `"type": "module"` is that
//   file (symbolic links resolved, as Node does), an ES module;
// - a bare import (`drizzle-orm/pg-core`) is resolved by Node once per directory it can be resolved from and
//   remembered: every directory below the nearest one holding a `node_modules` folder or a package.json
//   resolves it alike.
// Anything else, and anything the cache cannot answer, goes to Node's own resolution.
// The compile cache keeps V8's compiled code (and the TypeScript with types stripped) between starts.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { enableCompileCache, registerHooks, type ResolveFnOutput, type ResolveHookContext } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type PackageType = 'module' | 'other';

const packageTypes = new Map<string, PackageType>();
const resolutionRoots = new Map<string, string>();
const bareResolutions = new Map<string, ResolveFnOutput>();

/** The `type` of the package.json governing files in `dir` (the nearest one at or above it). */
function packageTypeOf(dir: string): PackageType {
  const visited: string[] = [];
  let current = dir;
  let type: PackageType = 'other';
  for (;;) {
    const known = packageTypes.get(current);
    if (known) {
      type = known;
      break;
    }
    visited.push(current);
    let text: string | null;
    try {
      text = readFileSync(path.join(current, 'package.json'), 'utf8');
    } catch {
      text = null;
    }
    if (text !== null) {
      try {
        type = (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'module' : 'other';
      } catch {
        type = 'other';
      }
      break;
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of visited) packageTypes.set(d, type);
  return type;
}

/** The directory a bare import from `dir` resolves exactly as from: the nearest holding node_modules or package.json. */
function resolutionRootOf(dir: string): string {
  const known = resolutionRoots.get(dir);
  if (known) return known;
  const parent = path.dirname(dir);
  const root =
    parent === dir || existsSync(path.join(dir, 'node_modules')) || existsSync(path.join(dir, 'package.json'))
      ? dir
      : resolutionRootOf(parent);
  resolutionRoots.set(dir, root);
  return root;
}

const isRelative = (s: string) => s.startsWith('./') || s.startsWith('../');
const isBare = (s: string) => !isRelative(s) && !s.startsWith('/') && !s.startsWith('#') && !s.includes(':');

function resolveQuickly(
  specifier: string,
  context: ResolveHookContext,
  nextResolve: (specifier: string, context?: Partial<ResolveHookContext>) => ResolveFnOutput,
): ResolveFnOutput {
  const parentURL = context.parentURL;
  if (!parentURL?.startsWith('file:') || specifier.includes('?') || specifier.includes('#')) {
    return nextResolve(specifier, context);
  }
  if (isRelative(specifier) && specifier.endsWith('.js') && parentURL.includes('/node_modules/')) {
    let file: string;
    try {
      file = realpathSync(fileURLToPath(new URL(specifier, parentURL)));
    } catch {
      return nextResolve(specifier, context); // Node's own error for a missing file
    }
    if (packageTypeOf(path.dirname(file)) === 'module') {
      return { url: pathToFileURL(file).href, format: 'module', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  }
  if (isBare(specifier)) {
    const key = [
      specifier,
      resolutionRootOf(path.dirname(fileURLToPath(parentURL))),
      context.conditions.join(','),
      JSON.stringify(context.importAttributes),
    ].join('\0');
    const known = bareResolutions.get(key);
    if (known) return { ...known, shortCircuit: true };
    const resolved = nextResolve(specifier, context);
    bareResolutions.set(key, { url: resolved.url, format: resolved.format ?? null });
    return resolved;
  }
  return nextResolve(specifier, context);
}

/** Installs the resolve hook and the compile cache for this process. */
export function speedUpModuleLoading(): void {
  enableCompileCache();
  registerHooks({ resolve: resolveQuickly });
}
