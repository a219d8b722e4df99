import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgPreparedQuery, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Db as PgBossDb } from 'pg-boss';
import { scrubDatabaseError } from './safe-errors.ts';
import * as mailSchema from './mail-schema.ts';
import * as requestsSchema from './requests-schema.ts';
import * as disclosureSchema from './disclosure-schema.ts';
import * as deliverySchema from './delivery-schema.ts';
import * as recordingsSchema from './recordings-schema.ts';
import * as coreSchema from './schema.ts';

/** Every table: the core schema and the audio record's tables (kept in their own file). */
export const schema = {
  ...coreSchema,
  ...recordingsSchema,
  ...mailSchema,
  ...requestsSchema,
  ...disclosureSchema,
  ...deliverySchema,
};
export type Schema = typeof schema;
/** The one database type the repositories use, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

// Every query's failure is scrubbed where drizzle raises it, before any caller, log, job record or
// CLI message sees it: drizzle prints the SQL and every bound value (names, addresses, case notes)
// into the error's message and stack. Both drivers' prepared queries run through this one method.
// The method is protected in drizzle's types, so it is read and replaced through Reflect, checked at run time.
type QueryWithCache = ((this: unknown, ...args: unknown[]) => Promise<unknown>) & { scrubbed?: true };
const preparedQuery: object = PgPreparedQuery.prototype;
const rawQuery: unknown = Reflect.get(preparedQuery, 'queryWithCache');
if (typeof rawQuery !== 'function') throw new Error('drizzle-orm changed: PgPreparedQuery has no queryWithCache');
if (!Reflect.get(rawQuery, 'scrubbed')) {
  const scrubbed: QueryWithCache = async function (this: unknown, ...args: unknown[]) {
    try {
      return await Reflect.apply(rawQuery, this, args);
    } catch (err) {
      throw scrubDatabaseError(err);
    }
  };
  scrubbed.scrubbed = true;
  Reflect.set(preparedQuery, 'queryWithCache', scrubbed);
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Runs raw SQL with positional parameters; pg-boss and a few admin paths need it. */
export type SqlExecutor = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** A new embedded database made from the migrated template: its migrations were applied by the template. */
  fromTemplate?: boolean;
  execute: SqlExecutor;
  /** How pg-boss reaches this database: its own pool for PostgreSQL, the same client for PGlite. */
  queueConnection: { connectionString: string } | { db: PgBossDb };
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Applies pending migrations on PostgreSQL. With none pending nothing is run, so the service can run as
 * a runtime role that owns nothing and may not create or alter anything (drizzle's migrator always
 * starts with CREATE SCHEMA IF NOT EXISTS, which such a role is refused). With some pending and no right
 * to apply them, the error says to run `cpcr migrate` as the owner role.
 */
async function migratePostgres(pool: pg.Pool): Promise<void> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  const newest = Math.max(0, ...journal.entries.map((e) => e.when));
  const present = await pool.query<{ present: boolean }>(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (present.rows[0]?.present) {
    const applied = await pool.query<{ last: string | null }>(
      'select max(created_at) as last from drizzle.__drizzle_migrations',
    );
    if (Number(applied.rows[0]?.last ?? 0) >= newest) return;
  }
  try {
    // drizzle's migrator is loaded only when there are migrations to apply.
    const { migrate: migrateNodePg } = await import('drizzle-orm/node-postgres/migrator');
    await migrateNodePg(drizzleNodePg({ client: pool, schema }), { migrationsFolder });
  } catch (err) {
    const code =
      (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code !== '42501') throw err;
    throw new Error(
      'Database migrations are waiting, and this database role may not apply them (it is the runtime role, which owns nothing). ' +
        'Run `cpcr migrate` with DATABASE_URL naming the owner role, then `cpcr db grant-runtime --role <runtime role>`, then start again.',
      { cause: err },
    );
  }
}

/** PostgreSQL when a URL is given, otherwise PGlite embedded under dataDir (or in memory). */
export async function openDatabase(opts: {
  url?: string | undefined;
  dataDir?: string | 'memory';
  onIdleError?: (err: Error) => void;
  /** In memory only: start from this PGlite data directory dump (`dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
}): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle client dropped by the server (restart, failover) must not crash the process: the pool
    // discards it and opens a new one; queries in flight receive their own errors.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const db: Db = drizzleNodePg({ client: pool, schema });
    return {
      db,
      kind: 'postgres',
      execute: async (text, values) => {
        const r = await pool
          .query(text, values as unknown[])
          .catch((err: unknown) => Promise.reject(scrubDatabaseError(err)));
        return { rows: r.rows };
      },
      queueConnection: { connectionString: opts.url },
      migrate: () => migratePostgres(pool),
      close: () => pool.end(),
    };
  }
  // PGlite (its WebAssembly PostgreSQL and drizzle's driver for it) is loaded only when the embedded database is
  // used: a service on PostgreSQL never holds its code in memory.
  const { openPglite } = await import('./pglite-client.ts');
  return openPglite(opts);
}
