import type { Hash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { migrationsFolder } from '../../src/infra/db/client.ts';

/** Feeds every migration file (SQL and drizzle's journal and snapshots), by name and content, into `hash`. */
export async function hashMigrations(hash: Hash): Promise<Hash> {
  const files = (await readdir(migrationsFolder, { recursive: true })).filter((f) => /\.(sql|json)$/.test(f)).sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(migrationsFolder, file)))
      .update('\0');
  return hash;
}
