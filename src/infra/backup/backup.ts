import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { BlobNotFoundError } from '../../app/blobs/blob-store.ts';
import { createBlobStore } from '../blobs/create-blob-store.ts';
import type { Config } from '../config.ts';
import { tusDir } from '../recordings/upload-files.ts';
import { type StoredOriginal, dumpPglite, dumpPostgres } from './database.ts';
import { copyHashed, entriesOf, filesIn, within } from './files.ts';
import {
  FORMAT,
  type FileEntry,
  KEYS_FORMAT,
  KEYS_MANIFEST,
  MANIFEST,
  type Manifest,
  type KeysManifest,
  type KeyRole,
  SHA256SUMS,
  sha256Bytes,
  sha256File,
  sha256sums,
} from './manifest.ts';

/** Where each part of the data goes inside a backup folder. */
export const LAYOUT = {
  pgliteDump: 'database/pglite.tar.gz',
  postgresDump: 'database/postgres.dump',
  blobs: 'blobs',
  staging: 'staging',
  tus: 'uploads/tus',
  checkpoints: 'audit-checkpoints',
} as const;

/** The name each key has in a keys folder. */
export const KEY_FILES: Record<KeyRole, string> = {
  'recording-identity': 'recordings.agekey',
  'audit-signing-key': 'audit-signing.pem',
  'audit-verify-keyring': 'audit-verify-keyring.pem',
  'delivery-code-key': 'delivery-codes.key',
  'second-factor-key': 'second-factor.key',
};

/** Where the configuration keeps each key (the optional ones only where this version has them). */
export function keyFiles(config: Config): Array<{ role: KeyRole; from: string; name: string }> {
  const optional = config as { audit?: { verifyKeyFile?: string }; deliveryCodeKeyFile?: string };
  const where: Array<[KeyRole, string | undefined]> = [
    ['recording-identity', config.recordingIdentityFile],
    ['audit-signing-key', config.auditSigningKeyFile],
    ['audit-verify-keyring', optional.audit?.verifyKeyFile],
    ['delivery-code-key', optional.deliveryCodeKeyFile],
    ['second-factor-key', config.secondFactorKeyFile],
  ];
  return where.flatMap(([role, from]) => (from ? [{ role, from, name: KEY_FILES[role] }] : []));
}

/** A check on the target of a backup failed before anything was written. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

/** Something the database names is not in the backup: the backup is not whole and must not be relied on. */
export class BackupIncomplete extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupIncomplete';
  }
}

export interface BackupOptions {
  config: Config;
  dir: string;
  /** Also copy the keys, to this separate folder (never inside the backup). */
  keysTo?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Progress for the operator, one line at a time. */
  progress(line: string): void;
}

export interface BackupSummary {
  dir: string;
  manifestSha256: string;
  files: number;
  bytes: number;
  blobs: number;
  recordings: number;
  keys: string[] | null;
}

async function emptyTarget(dir: string, what: string): Promise<void> {
  const found = await entriesOf(dir);
  if (found.length > 0)
    throw new BackupRefused(`${what} ${dir} is not empty (it holds ${found.join(', ')}): give a new or empty folder`);
}

/**
 * A consistent backup while the service runs, in the order that keeps it whole:
 *  1. the audit checkpoints, so none is newer than the database copy (a newer one would make the
 *     restored trail look cut short);
 *  2. the database (one snapshot: pg_dump, or the embedded database's dump while its lock is held);
 *  3. every blob, then uploads waiting in staging and unfinished resumable uploads: each blob the
 *     database names was written before the snapshot, so it is there; blobs written since are harmless;
 *  4. the manifest (every file's size and SHA-256) and SHA256SUMS.
 * Keys only when asked, to a separate folder.
 */
export async function runBackup(opts: BackupOptions): Promise<BackupSummary> {
  const { config } = opts;
  const dir = path.resolve(opts.dir);
  const keysTo = opts.keysTo === undefined ? undefined : path.resolve(opts.keysTo);
  await emptyTarget(dir, 'The backup folder');
  if (within(dir, config.dataDir))
    throw new BackupRefused(`The backup folder ${dir} is inside DATA_DIR (${config.dataDir}): put backups elsewhere`);
  if (keysTo !== undefined) {
    if (within(keysTo, dir) || within(dir, keysTo))
      throw new BackupRefused(
        `The keys folder ${keysTo} must be apart from the backup folder ${dir}: whoever holds both can read every recording`,
      );
    await emptyTarget(keysTo, 'The keys folder');
  }
  try {
    return await writeBackup(opts, dir, keysTo);
  } catch (err) {
    // A backup that failed part way is removed, so that nobody keeps it as if it were whole.
    await clearFolder(dir);
    if (keysTo !== undefined) await clearFolder(keysTo);
    throw err;
  }
}

async function clearFolder(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[]))
    await rm(path.join(dir, name), { recursive: true, force: true });
}

async function writeBackup(opts: BackupOptions, dir: string, keysTo: string | undefined): Promise<BackupSummary> {
  const { config, progress } = opts;
  const files: FileEntry[] = [];
  const add = (rel: string, got: { sha256: string; size: number }) => files.push({ path: rel, ...got });

  const copyCheckpoints = async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // 1. Audit checkpoints (temporary files of a checkpoint being written start with a dot and are left out).
    const checkpoints = await filesIn(config.auditCheckpointDir, (n) => !n.startsWith('.'));
    for (const name of checkpoints) {
      const rel = `${LAYOUT.checkpoints}/${name}`;
      add(rel, await copyHashed(createReadStream(path.join(config.auditCheckpointDir, name)), path.join(dir, rel)));
    }
    progress(`Copied ${checkpoints.length} audit checkpoint file(s).`);
    await mkdir(path.join(dir, 'database'), { mode: 0o700 });
  };

  // 2. The database.
  let originals: StoredOriginal[];
  const dbRel = config.databaseUrl ? LAYOUT.postgresDump : LAYOUT.pgliteDump;
  if (config.databaseUrl) {
    await copyCheckpoints();
    ({ originals } = await dumpPostgres(config.databaseUrl, path.join(dir, dbRel), opts.env));
    progress('Copied the PostgreSQL database (pg_dump, custom format).');
  } else {
    // The embedded database's lock is taken first, so a running service is reported before anything is written.
    ({ originals } = await dumpPglite(config.dataDir, path.join(dir, dbRel), copyCheckpoints));
    progress('Copied the embedded database. The service may be started again now; the files are copied next.');
  }
  const dbHash = await sha256File(path.join(dir, dbRel));
  add(dbRel, dbHash);

  // 3. Blobs, then staging and unfinished uploads.
  const store = await createBlobStore(config.blobStore);
  let blobs = 0;
  const saved = new Set<string>();
  try {
    for await (const key of store.list()) {
      const rel = `${LAYOUT.blobs}/${key.slice(0, 2)}/${key}`;
      let source;
      try {
        source = await store.get(key);
      } catch (err) {
        // Removed since it was listed (an unreferenced blob swept): nothing the database names.
        if (err instanceof BlobNotFoundError) continue;
        throw err;
      }
      add(rel, await copyHashed(source, path.join(dir, rel)));
      saved.add(key);
      blobs++;
      if (blobs % 500 === 0) progress(`Copied ${blobs} blobs…`);
    }
  } finally {
    (store as { close?: () => void }).close?.();
  }
  progress(`Copied ${blobs} blob(s) from the ${config.blobStore.kind === 's3' ? 'S3 bucket' : 'blob folder'}.`);
  const stagingDir = path.join(config.dataDir, 'staging');
  const stagingFiles = await copyLive(stagingDir, (n) => n.endsWith('.audio'), LAYOUT.staging);
  const tusFiles = await copyLive(tusDir(config.dataDir), () => true, LAYOUT.tus);
  progress(`Copied ${stagingFiles} staged upload(s) and ${tusFiles} unfinished resumable upload file(s).`);

  const missing = originals.filter((o) => !saved.has(o.blobKey));
  if (missing.length > 0)
    throw new BackupIncomplete(
      [
        `BACKUP INCOMPLETE: the stored original of ${missing.length} recording(s) is not in the blob store:`,
        ...missing.slice(0, 20).map((o) => `  recording ${o.recordingId}  blob ${o.blobKey}`),
        `Do not rely on ${dir}. Run cpcr fixity verify, and report the missing recordings.`,
      ].join('\n'),
    );

  // 4. The manifest.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = {
    format: FORMAT,
    version: 1,
    createdAt: new Date().toISOString(),
    database: { kind: config.databaseUrl ? 'postgres' : 'pglite', file: dbRel, sha256: dbHash.sha256 },
    blobStore: { kind: config.blobStore.kind },
    files,
    recordings: originals.map((o) => ({
      recordingId: o.recordingId,
      conferenceId: o.conferenceId,
      kind: o.kind,
      file: `${LAYOUT.blobs}/${o.blobKey.slice(0, 2)}/${o.blobKey}`,
      originalSha256: o.originalSha256,
      container: o.container,
    })),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(path.join(dir, MANIFEST), manifestText, { mode: 0o600, flag: 'wx' });
  await writeFile(path.join(dir, SHA256SUMS), sha256sums(files), { mode: 0o600, flag: 'wx' });

  const keys = keysTo === undefined ? null : await copyKeys(config, keysTo);
  return {
    dir,
    manifestSha256: sha256Bytes(manifestText),
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    blobs,
    recordings: originals.length,
    keys,
  };

  /** Copies files that may be removed while the backup runs (an ingest finishing, an upload completing). */
  async function copyLive(from: string, keep: (name: string) => boolean, to: string): Promise<number> {
    let n = 0;
    for (const name of await filesIn(from, keep)) {
      const rel = `${to}/${name}`;
      try {
        add(rel, await copyHashed(createReadStream(path.join(from, name)), path.join(dir, rel)));
        n++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return n;
  }
}

/** The recording identity and the audit signing key, with their own manifest; the names of the files copied. */
async function copyKeys(config: Config, keysTo: string): Promise<string[]> {
  await mkdir(keysTo, { recursive: true, mode: 0o700 });
  const entries: KeysManifest['files'] = [];
  const sources = keyFiles(config);
  for (const s of sources) {
    let bytes: Buffer;
    try {
      bytes = await readFile(s.from);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    await writeFile(path.join(keysTo, s.name), bytes, { mode: 0o600, flag: 'wx' });
    entries.push({ role: s.role, path: s.name, size: bytes.byteLength, sha256: sha256Bytes(bytes) });
  }
  const manifest: KeysManifest = {
    format: KEYS_FORMAT,
    version: 1,
    createdAt: new Date().toISOString(),
    files: entries,
  };
  await writeFile(path.join(keysTo, KEYS_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return entries.map((e) => e.path);
}
