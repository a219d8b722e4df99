/**
 * A migrated, empty PostgreSQL database kept as a template, so each test's fresh database is copied from it
 * (`create database … template …`) instead of being created empty and having every migration applied to it:
 * applying them took about a second per test context, copying the template a fraction of that.
 *
 * The template is named after a digest of the migrations, made once per set of migrations in the server
 * (under an advisory lock, so workers starting together make it once), and a new one is made when a
 * migration changes. It is built under a temporary name and renamed only once migrated, so a run stopped
 * half-way never leaves a half-migrated template behind. Nothing stays connected to it: PostgreSQL copies
 * only a database no one is using. A copy is exactly the database applying the migrations gives, because
 * the template is the database applying them gave.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/infra/db/client.ts';
import { hashMigrations } from './migrations-digest.ts';

/** The advisory lock held while a template is looked for and made: one key for every run against the server. */
const TEMPLATE_LOCK = 7_406_210_013;

const templates = new Map<string, Promise<string>>();

/** The name of the migrated template database in the server at `base`, made first if it is not there yet. */
export function migratedPostgresTemplate(base: string): Promise<string> {
  let template = templates.get(base);
  if (!template) {
    template = makeTemplate(base);
    // A failure is not kept: the next test tries again (and reports its own error).
    template.catch(() => templates.delete(base));
    templates.set(base, template);
  }
  return template;
}

async function makeTemplate(base: string): Promise<string> {
  const name = `cpcr_template_${(await hashMigrations(createHash('sha256'))).digest('hex').slice(0, 24)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return name;
    const building = `${name}_${process.pid}`;
    await admin.query(`drop database if exists ${building}`);
    await admin.query(`create database ${building}`);
    try {
      const url = new URL(base);
      url.pathname = `/${building}`;
      // Migrated through the service's own path, then closed: a template must have no connections.
      const database = await openDatabase({ url: url.toString() });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
    } catch (err) {
      await admin.query(`drop database if exists ${building} with (force)`);
      throw err;
    }
    return name;
  } finally {
    // Ending the session releases the advisory lock too.
    await admin.end();
  }
}
