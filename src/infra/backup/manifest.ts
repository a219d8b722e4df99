import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * A backup is a folder: `manifest.json` names every other file in it with its size and SHA-256, so a
 * restore (or a person with `sha256sum -c SHA256SUMS`) can tell a damaged or swapped file from the one
 * that was backed up. age authenticates each encrypted file but cannot tell one recording's file from
 * another's: only the manifest can.
 */
export const MANIFEST = 'manifest.json';
/** The same hashes in the format `sha256sum -c` reads, for checking a backup without this program. */
export const SHA256SUMS = 'SHA256SUMS';
export const FORMAT = 'cpcr-backup';
export const KEYS_FORMAT = 'cpcr-keys';
export const KEYS_MANIFEST = 'keys-manifest.json';

const SHA = /^[0-9a-f]{64}$/;
/** A relative path inside a backup: forward slashes, no empty, "." or ".." segments. */
const RELATIVE = /^(?!\/)(?!.*\/\/)(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9._/-]+$/;

const fileEntry = z.object({
  path: z.string().regex(RELATIVE),
  size: z.number().int().min(0),
  sha256: z.string().regex(SHA),
});
export type FileEntry = z.infer<typeof fileEntry>;

const recordingEntry = z.object({
  recordingId: z.string(),
  conferenceId: z.string(),
  /** The encrypted file in this backup (blobs/…), and the plaintext original's SHA-256 (R-3's evidence hash). */
  file: z.string().regex(RELATIVE),
  originalSha256: z.string().regex(SHA),
  container: z.string().nullable(),
  kind: z.string(),
});
export type RecordingEntry = z.infer<typeof recordingEntry>;

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    file: z.string().regex(RELATIVE),
    sha256: z.string().regex(SHA),
  }),
  blobStore: z.object({ kind: z.enum(['fs', 's3']) }),
  /** Every file in the backup except the manifest and SHA256SUMS, sorted by path. */
  files: z.array(fileEntry),
  /** Which encrypted file holds which recording's original, for reading the archive without the service. */
  recordings: z.array(recordingEntry),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The keys a backup's keys folder may hold; the audit keyring exists only where it is configured. */
export const KEY_ROLES = [
  'recording-identity',
  'audit-signing-key',
  'audit-verify-keyring',
  'delivery-code-key',
  'second-factor-key',
] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export const keysManifestSchema = z.object({
  format: z.literal(KEYS_FORMAT),
  version: z.literal(1),
  createdAt: z.string(),
  files: z.array(fileEntry.extend({ role: z.enum(KEY_ROLES) })),
});
export type KeysManifest = z.infer<typeof keysManifestSchema>;

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    size += (chunk as Buffer).byteLength;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256Bytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256sums(files: readonly FileEntry[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

/** Every regular file under `root`, as sorted relative paths with forward slashes. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Reads and checks the shape of a backup's manifest; a clear message when it is missing or not one. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new BackupInvalid([`${dir} holds no ${MANIFEST}, so it is not a backup made by cpcr backup`]);
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupInvalid([`${MANIFEST} is not valid JSON: it is damaged`]);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new BackupInvalid([`${MANIFEST} is not a cpcr backup manifest (damaged or from another program)`]);
  return parsed.data;
}

/** The backup, or its keys, failed a check; each problem names a file. Nothing was restored. */
export class BackupInvalid extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'BackupInvalid';
    this.problems = problems;
  }
}

/**
 * Checks every file the manifest names against its size and SHA-256, and that no other file is there.
 * Returns the problems, one per file, worded for an operator: an empty list means the backup is whole.
 */
export async function verifyFiles(
  dir: string,
  files: readonly FileEntry[],
  extraAllowed: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const problems: string[] = [];
  const present = new Set(await listFiles(dir));
  const named = new Set(files.map((f) => f.path));
  let done = 0;
  for (const f of files) {
    done++;
    if (!present.has(f.path)) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const st = await stat(path.join(dir, f.path));
    const got = await sha256File(path.join(dir, f.path));
    if (st.size !== f.size || got.size !== f.size)
      problems.push(`${f.path}: ${got.size} bytes, the manifest says ${f.size} (damaged or swapped)`);
    else if (got.sha256 !== f.sha256)
      problems.push(`${f.path}: SHA-256 differs from the manifest (damaged or swapped)`);
    onProgress?.(done, files.length);
  }
  for (const p of present)
    if (!named.has(p) && !extraAllowed.includes(p))
      problems.push(`${p}: not in the manifest (added after the backup was made)`);
  return problems;
}
