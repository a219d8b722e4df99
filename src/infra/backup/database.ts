import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquirePgliteLock } from '../db/pglite-lock.ts';

/** Runs one query: the embedded database's client or a PostgreSQL connection. */
export type Query = (text: string) => Promise<Array<Record<string, unknown>>>;

/** What the backup needs to read from the database besides the dump: which blob holds which recording. */
export interface StoredOriginal {
  recordingId: string;
  conferenceId: string;
  kind: string;
  blobKey: string;
  originalSha256: string;
  container: string | null;
}

export async function storedOriginals(query: Query): Promise<StoredOriginal[]> {
  const rows = await query(
    `select id, conference_id, kind, original_blob_key, original_sha256, container from recordings
     where status = 'stored' and original_blob_key is not null order by stored_at, id`,
  );
  return rows.map((r) => ({
    recordingId: String(r['id']),
    conferenceId: String(r['conference_id']),
    kind: String(r['kind']),
    blobKey: String(r['original_blob_key']),
    originalSha256: String(r['original_sha256']),
    container: r['container'] === null ? null : String(r['container']),
  }));
}

/** The embedded database is not there: nothing to back up. */
export class NoEmbeddedDatabase extends Error {
  constructor(dataDir: string) {
    super(`there is no embedded database in ${dataDir} (no pglite folder): check DATA_DIR, or set DATABASE_URL`);
    this.name = 'NoEmbeddedDatabase';
  }
}

/**
 * The embedded database as one gzipped tarball (PGlite's own dump of its data folder). PGlite is one
 * process's database, so this takes its lock: while the service runs it throws DatabaseInUseError and
 * touches nothing. The lock is released as soon as the dump is written, before any blob is copied.
 */
export async function dumpPglite(
  dataDir: string,
  target: string,
  /** Runs once the lock is held, before the database is opened: nothing else can change it meanwhile. */
  whileLocked: () => Promise<void> = async () => {},
): Promise<{ originals: StoredOriginal[] }> {
  const dir = path.join(dataDir, 'pglite');
  try {
    await access(path.join(dir, 'PG_VERSION'));
  } catch {
    throw new NoEmbeddedDatabase(dataDir);
  }
  const release = await acquirePgliteLock(dataDir);
  try {
    await whileLocked();
    const client = new PGlite(dir);
    try {
      await client.waitReady;
      // Everything written so far is in the data files, not only the write-ahead log.
      await client.exec('CHECKPOINT');
      const originals = await storedOriginals(async (text) => (await client.query<Record<string, unknown>>(text)).rows);
      const dump = await client.dumpDataDir('gzip');
      await writeFile(target, Buffer.from(await dump.arrayBuffer()), { mode: 0o600, flag: 'wx' });
      return { originals };
    } finally {
      await client.close();
    }
  } finally {
    await release();
  }
}

/** Loads a dump made by dumpPglite into `dataDir/pglite`, which must not exist yet. */
export async function loadPglite(dataDir: string, dumpFile: string): Promise<void> {
  const dir = path.join(dataDir, 'pglite');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = await acquirePgliteLock(dataDir);
  try {
    const client = new PGlite(dir, { loadDataDir: new Blob([await readFile(dumpFile)]) });
    await client.waitReady;
    await client.query('select 1');
    await client.close();
  } finally {
    await release();
  }
}

/**
 * A PostgreSQL URL split for the client tools: the password goes in PGPASSWORD (never on a command line
 * that `ps` shows), everything else stays in the connection string.
 */
export function pgToolEnv(url: string, env: NodeJS.ProcessEnv): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { dbname: u.toString(), env: { ...env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** The PostgreSQL client tool is not installed (or not on PATH). */
export class ToolMissing extends Error {
  constructor(tool: string) {
    super(
      `${tool} was not found. Install the PostgreSQL client tools of the server's major version or newer ` +
        `(on Debian or Ubuntu: apt-get install postgresql-client), or put ${tool} on PATH.`,
    );
    this.name = 'ToolMissing';
  }
}

/** A PostgreSQL client tool failed; its own message (which never holds the password) says why. */
export class ToolFailed extends Error {
  constructor(tool: string, code: number | null, stderr: string) {
    super(`${tool} failed (exit ${code ?? 'signal'}):\n${stderr.trim() || '(it printed nothing)'}`);
    this.name = 'ToolFailed';
  }
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 20_000) stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new ToolMissing(tool) : err));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new ToolFailed(tool, code, stderr))));
  });
}

async function withClient<T>(url: string, fn: (query: Query) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(async (text) => (await client.query(text)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}

/**
 * pg_dump in its custom format: one consistent snapshot of the whole database, taken while the service
 * runs. Which blob holds which recording is read after it; stored recordings never change, so every one
 * the dump holds is listed.
 */
export async function dumpPostgres(
  url: string,
  target: string,
  env: NodeJS.ProcessEnv,
): Promise<{ originals: StoredOriginal[] }> {
  const tool = pgToolEnv(url, env);
  await runTool(
    'pg_dump',
    ['--format=custom', '--no-password', `--file=${target}`, `--dbname=${tool.dbname}`],
    tool.env,
  );
  return { originals: await withClient(url, storedOriginals) };
}

/** Names the first few objects in the database, or none when it is empty. */
export async function postgresObjects(url: string): Promise<string[]> {
  return withClient(url, async (query) => {
    const rows = await query(
      `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
         and n.nspname not like 'pg_temp%' and c.relkind in ('r', 'p', 'v', 'm', 'S')
       order by 1 limit 5`,
    );
    return rows.map((r) => String(r['name']));
  });
}

/**
 * pg_restore into the (empty) database: in one transaction, stopping at the first error, so a failed
 * restore leaves the database empty. Objects are owned by the role that restores (the owner role), and
 * the runtime role's grants are applied afterwards with `cpcr db grant-runtime`.
 */
export async function restorePostgres(url: string, dumpFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const tool = pgToolEnv(url, env);
  await runTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      `--dbname=${tool.dbname}`,
      dumpFile,
    ],
    tool.env,
  );
}

/** Writes a stream to a new file, readable by this user only. */
export async function writeNewFile(file: string, source: NodeJS.ReadableStream): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await pipeline(source, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
}
