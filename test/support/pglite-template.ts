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
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../../src/infra/db/client.ts';
import { hashMigrations } from './migrations-digest.ts';

async function digest(): Promise<string> {
  const hash = createHash('sha256');
  const pkg = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  hash.update(`pglite ${(JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version}\0`);
  hash.update('checkpointed\0');
  return (await hashMigrations(hash)).digest('hex').slice(0, 24);
}

async function makeTemplate(file: string): Promise<Buffer> {
  const client = new PGlite();
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    // Checkpointed first: the dump then holds the next WAL segment the checkpoint prepared, which every
    // database loaded from it would otherwise write out, zero by zero, as it starts.
    await client.query('checkpoint');
    const dump = Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
    // Written whole then renamed: another worker may be making the same file at the same time.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, dump);
    await rename(partial, file);
    return dump;
  } finally {
    await client.close();
  }
}

let template: Promise<Blob> | undefined;

/**
 * The migrated template for this worker: read from the shared file, or made (and saved) once. It is kept
 * here as a plain tar, unpacked once: PGlite would otherwise unpack the saved gzip again for every test
 * database, which took about 40% of the time a fresh database takes to open.
 */
export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(os.tmpdir(), `cpcr-pglite-migrated-${await digest()}.tar.gz`);
    const saved = (await readFile(file).catch(() => undefined)) ?? (await makeTemplate(file));
    return new Blob([await promisify(gunzip)(saved)], { type: 'application/x-tar' });
  })();
  return template;
}
