// A new embedded database is started from a template made at build time (`npm run build`, run before
// `npm start`): an empty PGlite cluster with every migration applied, dumped to .build/. Creating a cluster
// (initdb) in PGlite and applying every migration took most of a fresh start, with a second PostgreSQL in
// memory for initdb. Loading the template gives exactly the database those steps give, because it is the
// database they gave; it is named by a digest of the PGlite version and the migrations, so a template made
// for other migrations or another PGlite is never used (the service then creates the cluster itself).
// The service still checks and applies migrations on start as always.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const buildDir = path.join(root, '.build');

async function digest(): Promise<string> {
  const hash = createHash('sha256');
  const pkg = path.join(root, 'node_modules/@electric-sql/pglite/package.json');
  hash.update(`pglite ${(JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version}\0`);
  const files = (await readdir(migrationsFolder, { recursive: true })).filter((f) => /\.(sql|json)$/.test(f)).sort();
  for (const file of files) {
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(migrationsFolder, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** Where the template for the current migrations and PGlite version is kept. */
export async function pgliteTemplateFile(): Promise<string> {
  return path.join(buildDir, `pglite-${await digest()}.tar.gz`);
}

/** The template for the current migrations, or undefined when none has been built. */
export async function readPgliteTemplate(): Promise<Blob | undefined> {
  const saved = await readFile(await pgliteTemplateFile()).catch(() => undefined);
  return saved ? new Blob([saved]) : undefined;
}

/** Makes the template unless the current one exists; templates of earlier migrations are removed. */
export async function buildPgliteTemplate(): Promise<'up to date' | 'built'> {
  const file = await pgliteTemplateFile();
  if (
    await readFile(file).then(
      () => true,
      () => false,
    )
  ) {
    return 'up to date';
  }
  // Loaded only when a template is made: the build step's check stays quick.
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = new PGlite();
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const dump = await client.dumpDataDir('gzip');
    await mkdir(buildDir, { recursive: true });
    // Written whole then renamed, so a service starting alongside never loads half a template.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await client.close();
  }
  for (const old of await readdir(buildDir)) {
    if (/^pglite-[0-9a-f]{24}\.tar\.gz$/.test(old) && path.join(buildDir, old) !== file) {
      await rm(path.join(buildDir, old), { force: true });
    }
  }
  return 'built';
}
