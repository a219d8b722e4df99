/**
 * Where resumable (tus) uploads are kept while they arrive: this node's disk (`DATA_DIR/uploads/tus`), or the shared
 * staging in the object store (`<STAGING_PREFIX>tus/`), where any node takes the next PATCH of an upload another node
 * began (upload-tus-s3.ts, loaded only then). Either way the upload is named `<recording id>-<32 random hex digits>`
 * (the shared store's keys carry the staging prefix in front, never shown in a URL), readable by the service only,
 * and nothing a person typed is kept.
 */
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import type { DataStore, Upload } from '@tus/server';
import { purgeAbandonedUploads, tusDir, tusUploadsInProgress } from './upload-files.ts';

/** What the tus endpoint needs of wherever uploads are kept. */
export interface TusBackend {
  datastore: DataStore;
  /** The store's id for the id in an upload's URL (the same on disk; the staging prefix added in the object store). */
  storeId(urlId: string): string;
  /** The id shown in an upload's URL. */
  urlId(storeId: string): string;
  /** What `completeUpload` is handed for a finished upload: a file's path, or the shared staging's key. */
  sourceOf(storeId: string): string;
  /** The size the upload's description declares; `gone` when it has no description; null when unreadable. */
  declaredSize(storeId: string): Promise<number | 'gone' | null>;
  /** How many bytes the finished upload holds; null while it is still arriving (or gone). */
  finishedSize(storeId: string): Promise<number | null>;
  /** Removes the upload's description (the data has been handed over). */
  removeDescription(storeId: string): Promise<void>;
  /** Removes everything kept of an upload that can never finish. */
  removeAll(storeId: string): Promise<void>;
  /** Deletes uploads untouched for `olderThanMs`; returns how many. */
  purgeAbandoned(olderThanMs: number, now: Date): Promise<number>;
  /** The recordings with an upload still kept: someone may still be sending them. */
  inProgress(): Promise<Set<string>>;
}

/**
 * tus's file store, with each upload's file and its description made readable by the service's user only
 * (the library creates them with the default mode, 0644 under the usual umask) before any byte arrives.
 */
export class PrivateFileStore extends FileStore {
  override async create(file: Upload): Promise<Upload> {
    const created = await super.create(file);
    await chmod(path.join(this.directory, file.id), 0o600);
    await chmod(path.join(this.directory, `${file.id}.json`), 0o600);
    return created;
  }
}

export function diskTusBackend(dataDir: string): TusBackend {
  const directory = tusDir(dataDir);
  const file = (id: string) => path.join(directory, id);
  return {
    datastore: new PrivateFileStore({ directory }),
    storeId: (id) => id,
    urlId: (id) => id,
    sourceOf: file,
    async declaredSize(id) {
      try {
        const info = JSON.parse(await readFile(`${file(id)}.json`, 'utf8')) as { size?: unknown };
        return typeof info.size === 'number' && Number.isSafeInteger(info.size) ? info.size : null;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
      }
    },
    async finishedSize(id) {
      try {
        return (await stat(file(id))).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    removeDescription: (id) => rm(`${file(id)}.json`, { force: true }),
    async removeAll(id) {
      await rm(file(id), { force: true });
      await rm(`${file(id)}.json`, { force: true });
    },
    purgeAbandoned: (olderThanMs, now) => purgeAbandonedUploads(dataDir, olderThanMs, now),
    inProgress: () => tusUploadsInProgress(dataDir),
  };
}
