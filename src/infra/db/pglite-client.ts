// The embedded database (PGlite) behind openDatabase in client.ts, in a module of its own so that its code (the
// WebAssembly PostgreSQL and drizzle's driver and migrator for it) is loaded only when it is used, never by a
// service running on PostgreSQL.
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { fromPglite } from 'pg-boss';
import { type Database, migrationsFolder, schema } from './client.ts';
import { acquirePgliteLock } from './pglite-lock.ts';
import { readPgliteTemplate } from './pglite-template.ts';
import { scrubDatabaseError } from './safe-errors.ts';

/**
 * PGlite's start parameters: its own, with a 48 MB buffer cache instead of PostgreSQL's 128 MB. PGlite sets
 * its whole cache up in the process's memory at start, so the larger cache alone cost some 110 MB of resident
 * memory whatever the data. Pages beyond it are read again from the files (which the operating system caches),
 * and writing, WAL and fsync are as before: a smaller cache never weakens durability.
 */
const pgliteStartParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=48MB'];

/** PGlite embedded under dataDir (or in memory). */
export async function openPglite(opts: {
  dataDir?: string | 'memory';
  /** In memory only: start from this PGlite data directory dump (`dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
}): Promise<Database> {
  let client: PGlite;
  let template: Blob | undefined;
  let release = async () => {};
  if (!opts.dataDir || opts.dataDir === 'memory') {
    client = new PGlite({
      startParams: pgliteStartParams,
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
  } else {
    const dir = path.join(opts.dataDir, 'pglite');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    release = await acquirePgliteLock(opts.dataDir);
    try {
      // A new database starts from the migrated template made at build time, when there is one.
      const fresh = await access(path.join(dir, 'PG_VERSION')).then(
        () => false,
        () => true,
      );
      template = fresh ? await readPgliteTemplate() : undefined;
      client = new PGlite(dir, { startParams: pgliteStartParams, ...(template ? { loadDataDir: template } : {}) });
    } catch (err) {
      await release();
      throw err;
    }
  }
  await client.waitReady;
  const pgliteDb = drizzlePglite({ client, schema });
  return {
    db: pgliteDb,
    kind: 'pglite',
    fromTemplate: template !== undefined,
    execute: async (text, values) => {
      const r = await client
        .query(text, values as unknown[])
        .catch((err: unknown) => Promise.reject(scrubDatabaseError(err)));
      return { rows: r.rows };
    },
    queueConnection: { db: fromPglite(client) },
    migrate: () => migratePglite(pgliteDb, { migrationsFolder }),
    close: async () => {
      await client.close();
      await release();
    },
  };
}
