import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../blobs/s3-blob-store.ts';
import type { Config } from '../config.ts';
import { tusDir } from '../recordings/upload-files.ts';
import { KEY_FILES, LAYOUT, keyFiles } from './backup.ts';
import { loadPglite, postgresObjects, restorePostgres } from './database.ts';
import { copyHashed, entriesOf, hashedReader, within } from './files.ts';
import {
  BackupInvalid,
  KEYS_MANIFEST,
  type KeysManifest,
  type KeyRole,
  MANIFEST,
  type Manifest,
  SHA256SUMS,
  keysManifestSchema,
  readManifest,
  sha256File,
  sha256sums,
  verifyFiles,
} from './manifest.ts';

/** The place to restore into is not empty, or does not fit the backup; nothing was written. */
export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefused';
  }
}

export interface RestoreOptions {
  config: Config;
  dir: string;
  /** A keys folder made by `cpcr backup --keys-to`. */
  keysFrom?: string | undefined;
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
}

export interface RestoreSummary {
  /** The SHA-256 of the manifest restored from, as `cpcr backup` printed it. */
  manifestSha256: string;
  /** When the backup was taken (ISO 8601), from its manifest. */
  backupCreatedAt: string;
  files: number;
  blobs: number;
  recordings: number;
  keys: 'restored' | 'already in place';
}

const BLOB_FILE = /^blobs\/([0-9a-f]{2})\/(\1[0-9a-f-]{34})$/;

/**
 * Checks the whole backup (and keys) against the manifest, checks every place it would write is empty,
 * and only then restores: the database, the blobs (into the configured store: a folder or S3 bucket),
 * staged and unfinished uploads, the audit checkpoints and the keys. Each file is hashed again as it is
 * copied, so a file changed after the check is refused too.
 */
export async function runRestore(opts: RestoreOptions): Promise<RestoreSummary> {
  const { config, progress } = opts;
  const dir = path.resolve(opts.dir);
  const manifest = await readManifest(dir);
  const manifestSha256 = (await sha256File(path.join(dir, MANIFEST))).sha256;
  if (manifest.database.kind === 'pglite' && config.databaseUrl)
    throw new RestoreRefused(
      'This backup holds the embedded database, but DATABASE_URL is set: unset it to restore into DATA_DIR',
    );
  if (manifest.database.kind === 'postgres' && !config.databaseUrl)
    throw new RestoreRefused(
      'This backup holds a PostgreSQL database: set DATABASE_URL to the new, empty database (as its owner role)',
    );

  // 1. The backup is whole: every file as the manifest says, nothing added.
  progress(`Checking ${manifest.files.length} file(s) against the manifest…`);
  const problems = await verifyFiles(dir, manifest.files, [MANIFEST, SHA256SUMS]);
  const sums = await readFile(path.join(dir, SHA256SUMS), 'utf8').catch(() => null);
  if (sums !== sha256sums(manifest.files)) problems.push(`${SHA256SUMS}: missing or does not match ${MANIFEST}`);
  const db = manifest.files.find((f) => f.path === manifest.database.file);
  if (!db || db.sha256 !== manifest.database.sha256)
    problems.push(`${manifest.database.file}: not listed as the database dump`);
  for (const f of manifest.files) {
    const known = [LAYOUT.checkpoints, LAYOUT.staging, LAYOUT.tus].some(
      (p) => f.path.startsWith(`${p}/`) && !f.path.slice(p.length + 1).includes('/'),
    );
    if (f.path !== manifest.database.file && !known && !BLOB_FILE.test(f.path))
      problems.push(`${f.path}: not a file a backup holds`);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const r of manifest.recordings)
    if (!listed.has(r.file)) problems.push(`${r.file}: recording ${r.recordingId}'s original is not in the backup`);
  if (problems.length > 0) throw new BackupInvalid(problems);

  // 2. The keys: from the keys folder, checked the same way, or already where the configuration says.
  const hasCheckpoints = manifest.files.some((f) => f.path.startsWith(`${LAYOUT.checkpoints}/`));
  const keys = await checkKeys(config, opts.keysFrom, hasCheckpoints);

  // 3. Every place written to is empty.
  const notEmpty: string[] = [];
  const mustBeEmpty = async (where: string, what: string) => {
    const found = await entriesOf(where);
    if (found.length > 0) notEmpty.push(`${what} ${where} is not empty (it holds ${found.join(', ')})`);
  };
  await mustBeEmpty(config.dataDir, 'DATA_DIR');
  // Checkpoints kept outside DATA_DIR that survived are the evidence of what was signed: they are kept, not
  // replaced by the backup's older ones, and `audit verify` then says how far the restored trail is behind them.
  const keepCheckpoints =
    !within(config.auditCheckpointDir, config.dataDir) && (await entriesOf(config.auditCheckpointDir)).length > 0;
  if (keys.restore) {
    // A key already in place (outside DATA_DIR) is kept when it is the same; a different one is never overwritten.
    const same: string[] = [];
    for (const k of keys.restore) {
      const current = await readFile(k.to).catch(() => null);
      if (current === null) continue;
      if (current.equals(k.bytes)) same.push(k.to);
      else notEmpty.push(`${k.to} already exists and differs from the backed-up key: it is never overwritten`);
    }
    keys.restore = keys.restore.filter((k) => !same.includes(k.to));
  }
  if (config.databaseUrl) {
    const objects = await postgresObjects(config.databaseUrl);
    if (objects.length > 0)
      notEmpty.push(
        `the database in DATABASE_URL is not empty (it holds ${objects.join(', ')}): create a new, empty one`,
      );
  }
  if (config.blobStore.kind === 's3' && (await s3HasObjects(config))) {
    notEmpty.push(
      `the S3 bucket ${config.blobStore.bucket}${config.blobStore.prefix ? ` (prefix ${config.blobStore.prefix})` : ''} is not empty`,
    );
  }
  if (notEmpty.length > 0)
    throw new RestoreRefused(
      `Nothing was restored: a restore writes only into empty places.\n${notEmpty.map((n) => `  - ${n}`).join('\n')}`,
    );

  // 4. Restore.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const dumpFile = path.join(dir, manifest.database.file);
  await checkedAgain(manifest, manifest.database.file, dir);
  if (manifest.database.kind === 'pglite') await loadPglite(config.dataDir, dumpFile);
  else await restorePostgres(config.databaseUrl!, dumpFile, opts.env);
  progress('Restored the database.');

  const blobFiles = manifest.files.filter((f) => BLOB_FILE.test(f.path));
  const putBlob = blobWriter(config);
  try {
    for (const f of blobFiles) {
      const key = BLOB_FILE.exec(f.path)![2]!;
      const reader = hashedReader(path.join(dir, f.path));
      await putBlob(key, reader.stream, f.size);
      assertSame(f, reader.result());
    }
  } finally {
    putBlob.close();
  }
  progress(
    `Restored ${blobFiles.length} blob(s) into the ${config.blobStore.kind === 's3' ? 'S3 bucket' : 'blob folder'}.`,
  );

  const copyInto = async (prefix: string, to: string) => {
    for (const f of manifest.files.filter((x) => x.path.startsWith(`${prefix}/`))) {
      const reader = hashedReader(path.join(dir, f.path));
      const got = await copyHashed(reader.stream, path.join(to, f.path.slice(prefix.length + 1)));
      assertSame(f, got);
    }
  };
  await copyInto(LAYOUT.staging, path.join(config.dataDir, 'staging'));
  await copyInto(LAYOUT.tus, tusDir(config.dataDir));
  if (keepCheckpoints)
    progress(
      `AUDIT_CHECKPOINT_DIR (${config.auditCheckpointDir}) already holds checkpoints: kept as they are, not replaced by the backup's.`,
    );
  else await copyInto(LAYOUT.checkpoints, config.auditCheckpointDir);
  if (keys.restore) {
    for (const k of keys.restore) {
      await mkdir(path.dirname(k.to), { recursive: true, mode: 0o700 });
      await writeFile(k.to, k.bytes, { mode: 0o600, flag: 'wx' });
    }
  }
  progress('Restored staged uploads, unfinished uploads, audit checkpoints and keys.');
  return {
    manifestSha256,
    backupCreatedAt: manifest.createdAt,
    files: manifest.files.length,
    blobs: blobFiles.length,
    recordings: manifest.recordings.length,
    keys: keys.restore ? 'restored' : 'already in place',
  };
}

function assertSame(want: { path: string; size: number; sha256: string }, got: { sha256: string; size: number }): void {
  if (got.size !== want.size || got.sha256 !== want.sha256)
    throw new BackupInvalid([
      `${want.path}: changed while it was being restored (damaged or swapped); restore again into empty places`,
    ]);
}

async function checkedAgain(manifest: Manifest, rel: string, dir: string): Promise<void> {
  const want = manifest.files.find((f) => f.path === rel)!;
  const problems = await verifyFiles(dir, [want], manifest.files.map((f) => f.path).concat(MANIFEST, SHA256SUMS));
  if (problems.length > 0) throw new BackupInvalid(problems);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

interface KeysPlan {
  restore: Array<{ to: string; bytes: Buffer }> | null;
}

/** The recording key is always needed; the audit signing key once a checkpoint has been signed with it. */
async function checkKeys(config: Config, keysFrom: string | undefined, hasCheckpoints: boolean): Promise<KeysPlan> {
  const targets = Object.fromEntries(keyFiles(config).map((k) => [k.role, k.from])) as Partial<Record<KeyRole, string>>;
  const needed = hasCheckpoints
    ? (['recording-identity', 'audit-signing-key'] as const)
    : (['recording-identity'] as const);
  if (keysFrom === undefined) {
    const absent = [];
    for (const role of needed) if (!(await exists(targets[role]!))) absent.push(targets[role]!);
    if (absent.length > 0)
      throw new RestoreRefused(
        [
          'The keys are not in place, and --keys-from was not given. Without the recording key the restored recordings',
          'cannot be played, and without the audit signing key the audit trail cannot be verified (the service would make',
          'new keys that fit neither). Give --keys-from <the keys folder made by cpcr backup --keys-to>, or put the keys',
          `back first. Missing: ${absent.join(', ')}`,
        ].join('\n'),
      );
    return { restore: null };
  }
  const from = path.resolve(keysFrom);
  let manifest: KeysManifest;
  try {
    manifest = keysManifestSchema.parse(JSON.parse(await readFile(path.join(from, KEYS_MANIFEST), 'utf8')));
  } catch {
    throw new BackupInvalid([
      `${path.join(from, KEYS_MANIFEST)}: missing or damaged, so ${from} is not a keys folder made by cpcr backup`,
    ]);
  }
  const problems = await verifyFiles(from, manifest.files, [KEYS_MANIFEST]);
  for (const role of needed)
    if (!manifest.files.some((f) => f.role === role)) problems.push(`the keys folder holds no ${KEY_FILES[role]}`);
  if (problems.length > 0) throw new BackupInvalid(problems.map((p) => `keys: ${p}`));
  const restore = [];
  for (const f of manifest.files) {
    const to = targets[f.role];
    // A key this version does not use (a keys folder from a newer version) is left in the keys folder.
    if (to) restore.push({ to, bytes: await readFile(path.join(from, f.path)) });
  }
  return { restore };
}

type BlobWriter = ((key: string, body: NodeJS.ReadableStream, size: number) => Promise<void>) & { close(): void };

/** Writes a blob under the key it had, in the configured store. */
function blobWriter(config: Config): BlobWriter {
  const bs = config.blobStore;
  if (bs.kind === 'fs') {
    const put = async (key: string, body: NodeJS.ReadableStream) => {
      await copyHashed(body as never, path.join(bs.root, key.slice(0, 2), key));
    };
    return Object.assign(put, { close: () => undefined });
  }
  const client = createS3Client(bs);
  const prefix = bs.prefix ?? '';
  const put = async (key: string, body: NodeJS.ReadableStream, size: number) => {
    const upload = new Upload({
      client,
      params: { Bucket: bs.bucket, Key: prefix + key, Body: body as never, ContentType: 'application/octet-stream' },
    });
    await upload.done();
    const head = await client.send(new HeadObjectCommand({ Bucket: bs.bucket, Key: prefix + key }));
    if (head.ContentLength !== size)
      throw new Error(
        `The object store kept ${head.ContentLength ?? 'an unknown number of'} bytes of blob ${key} (${size} sent)`,
      );
  };
  return Object.assign(put, { close: () => client.destroy() });
}

async function s3HasObjects(config: Config): Promise<boolean> {
  const bs = config.blobStore;
  if (bs.kind !== 's3') return false;
  const client = createS3Client(bs);
  try {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bs.bucket, Prefix: bs.prefix || undefined, MaxKeys: 1 }),
    );
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  } finally {
    client.destroy();
  }
}
