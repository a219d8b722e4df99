import { orphanedKeys } from '../conferences/report-blobs.ts';
import { type BlobStore, BlobNotFoundError } from './blob-store.ts';

/**
 * Deletes stored files that no record refers to (an upload that crashed between storing its file and
 * saving its row, or an ingest that failed after storing). Keys are listed BEFORE the references are
 * read, so a file whose row is committed in between counts as referenced; and a file is deleted only
 * once it is older than `minAgeMs` (a day), so no upload or ingest still under way loses its file.
 */
export async function sweepOrphanedBlobs(deps: {
  blobs: BlobStore;
  referenced: () => Promise<Iterable<string>>;
  now: () => Date;
  minAgeMs?: number;
}): Promise<{ listed: number; deleted: string[] }> {
  const minAgeMs = deps.minAgeMs ?? 24 * 3_600_000;
  const keys: string[] = [];
  for await (const key of deps.blobs.list()) keys.push(key);
  const candidates = orphanedKeys(keys, await deps.referenced());
  const cutoff = deps.now().getTime() - minAgeMs;
  const deleted: string[] = [];
  for (const key of candidates) {
    try {
      const { storedAt } = await deps.blobs.stat(key);
      if (storedAt.getTime() > cutoff) continue;
    } catch (err) {
      if (err instanceof BlobNotFoundError) continue;
      throw err;
    }
    await deps.blobs.delete(key);
    deleted.push(key);
  }
  return { listed: keys.length, deleted };
}
