/**
 * A migrated, empty PGlite database as a data-directory dump, so each test file's fresh in-memory
 * database starts from it instead of creating a cluster (initdb) and applying every migration: that
 * took 6 to 10 seconds per file on a busy 2-core machine, against about 2 to load the dump.
 *
 * The dump is made once per set of migrations and PGlite version (their digest names the file in the
 * system's temporary folder), shared by every worker and every later run, and remade when a migration
 * changes. Loading it gives exactly the database that applying the migrations gives, because it is
 * the database that applying them gave.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../../src/infra/db/client.ts';
import { hashMigrations } from './migrations-digest.ts';

async function digest(): Promise<string> {
  const hash = createHash('sha256');
  const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  hash.update(`pglite ${(JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version}\0`);
  return (await hashMigrations(hash)).digest('hex').slice(0, 24);
}

async function makeTemplate(file: string): Promise<Blob> {
  const client = new PGlite();
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const dump = await client.dumpDataDir('gzip');
    // Written whole then renamed: another worker may be making the same file at the same time.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  } finally {
    await client.close();
  }
}

let template: Promise<Blob> | undefined;

/** The migrated template for this worker: read from the shared file, or made (and saved) once. */
export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(os.tmpdir(), `cpcr-pglite-migrated-${await digest()}.tar.gz`);
    const saved = await readFile(file).catch(() => undefined);
    return saved ? new Blob([saved]) : makeTemplate(file);
  })();
  return template;
}
