/**
 * Services over a database whose drizzle client notes every statement it sends (the SQL text, never the values):
 * for the guards that a page's number of statements per request does not grow with the data, and for the pages
 * benchmark. PGlite starts from the migrated template; PostgreSQL is a new database dropped by `dispose`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { fromPglite } from 'pg-boss';
import pino from 'pino';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/infra/config.ts';
import { type Database, type Db } from '../../src/infra/db/client.ts';
import * as coreSchema from '../../src/infra/db/schema.ts';
import * as deliverySchema from '../../src/infra/db/delivery-schema.ts';
import * as disclosureSchema from '../../src/infra/db/disclosure-schema.ts';
import * as mailSchema from '../../src/infra/db/mail-schema.ts';
import * as recordingsSchema from '../../src/infra/db/recordings-schema.ts';
import * as requestsSchema from '../../src/infra/db/requests-schema.ts';
import { migratedPgliteTemplate } from './pglite-template.ts';
import { migratedPostgresTemplate } from './postgres-template.ts';
import { TestClock } from './services.ts';

/** Every table, as the service's own client has them (src/infra/db/client.ts). */
const schema = {
  ...coreSchema,
  ...recordingsSchema,
  ...mailSchema,
  ...requestsSchema,
  ...disclosureSchema,
  ...deliverySchema,
};

/** The statements sent since the last `reset`, in order, with their parameters (for EXPLAIN; never printed). */
export interface StatementLog {
  readonly statements: string[];
  readonly params: unknown[][];
  reset(): void;
}

function newLog(): StatementLog {
  return {
    statements: [],
    params: [],
    reset() {
      this.statements.length = 0;
      this.params.length = 0;
    },
  };
}

async function loggingDatabase(
  kind: 'pglite' | 'postgres',
  baseUrl?: string,
): Promise<{ database: Database; log: StatementLog; url?: string; dispose(): Promise<void> }> {
  const log = newLog();
  const logger = {
    logQuery: (query: string, params: unknown[]) => {
      log.statements.push(query);
      log.params.push(params);
    },
  };
  if (kind === 'pglite') {
    const client = new PGlite({ loadDataDir: await migratedPgliteTemplate() });
    await client.waitReady;
    const db: Db = drizzlePglite({ client, schema, logger });
    const database: Database = {
      db,
      kind: 'pglite',
      fromTemplate: true,
      execute: async (text, values) => ({ rows: (await client.query(text, values as unknown[])).rows }),
      queueConnection: { db: fromPglite(client) },
      migrate: async () => {},
      close: () => client.close(),
    };
    return { database, log, dispose: async () => {} };
  }
  const base = baseUrl ?? process.env['TEST_DATABASE_URL'];
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `cpcr_stmt_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  // Copied from the migrated template (see postgres-template.ts), then opened with a logging client.
  const template = await migratedPostgresTemplate(base);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  const db: Db = drizzleNodePg({ client: pool, schema, logger });
  const database: Database = {
    db,
    kind: 'postgres',
    execute: async (text, values) => ({ rows: (await pool.query(text, values as unknown[])).rows }),
    queueConnection: { connectionString: url.toString() },
    migrate: async () => {},
    close: () => pool.end(),
  };
  return {
    database,
    log,
    url: url.toString(),
    async dispose() {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface LoggingServices {
  services: Services;
  log: StatementLog;
  clock: TestClock;
  /** PostgreSQL only: the database's own URL, for EXPLAIN and ANALYZE from a separate client. */
  url?: string;
  dispose(): Promise<void>;
}

/** Services (real composition root) over a statement-logging database of the given kind. */
export async function loggingServices(kind: 'pglite' | 'postgres', baseUrl?: string): Promise<LoggingServices> {
  const logged = await loggingDatabase(kind, baseUrl);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-stmt-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 's'.repeat(40),
  });
  const clock = new TestClock();
  const services = await buildServices(config, pino({ level: 'silent' }), { database: logged.database, clock });
  return {
    services,
    log: logged.log,
    clock,
    ...(logged.url ? { url: logged.url } : {}),
    async dispose() {
      await services.close(); // stops the queue and closes the database
      await logged.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
