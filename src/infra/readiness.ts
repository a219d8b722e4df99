// Readiness: whether this node can do its work now, for a load balancer or Kubernetes to send it traffic.
// Each check is a fact about the server (never about people), answered with a short code when it fails.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../app/blobs/blob-store.ts';
import { type Database, migrationsFolder } from './db/client.ts';

/** Why a node is not ready: short, stable codes a monitor can match on. */
export type NotReadyReason =
  'database-unreachable' | 'migrations-pending' | 'blob-store-unreachable' | 'job-queue-stopped' | 'shutting-down';

export interface Readiness {
  /** The reasons this node is not ready now, in a fixed order; empty when it is ready. */
  check(): Promise<NotReadyReason[]>;
  /** Called when the service begins to stop: from then on the node is not ready, so no new traffic comes. */
  stopping(): void;
}

/** How long each check may take before it counts as failed: a probe must answer well within its time-out. */
export const CHECK_TIMEOUT_MS = 3000;

function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** When the newest migration shipped with this version was written (its journal's `when`, in milliseconds). */
async function newestMigration(): Promise<number> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

export function createReadiness(deps: {
  database: Pick<Database, 'execute'>;
  blobs: Pick<BlobStore, 'checkReachable'>;
  queue: { readonly running: boolean };
  timeoutMs?: number;
}): Readiness {
  const timeoutMs = deps.timeoutMs ?? CHECK_TIMEOUT_MS;
  let newest: Promise<number> | undefined;
  let shuttingDown = false;

  const databaseState = async (): Promise<NotReadyReason | null> => {
    let rows: unknown[];
    try {
      // Drizzle's own record of applied migrations (created_at holds each one's journal `when`).
      ({ rows } = await withinTimeout(
        deps.database.execute('select coalesce(max(created_at), 0)::text as last from drizzle.__drizzle_migrations'),
        timeoutMs,
      ));
    } catch (err) {
      // Reached, but without the migrations table: nothing has been migrated yet.
      if ((err as { code?: unknown } | null)?.code === '42P01') return 'migrations-pending';
      return 'database-unreachable';
    }
    const last = Number((rows[0] as { last?: unknown } | undefined)?.last ?? 0);
    return last >= (await (newest ??= newestMigration())) ? null : 'migrations-pending';
  };

  const blobState = async (): Promise<NotReadyReason | null> => {
    if (!deps.blobs.checkReachable) return null;
    try {
      await withinTimeout(deps.blobs.checkReachable(), timeoutMs);
      return null;
    } catch {
      return 'blob-store-unreachable';
    }
  };

  return {
    async check() {
      if (shuttingDown) return ['shutting-down'];
      const [database, blobs] = await Promise.all([databaseState(), blobState()]);
      const reasons: NotReadyReason[] = [];
      if (database) reasons.push(database);
      if (blobs) reasons.push(blobs);
      if (!deps.queue.running) reasons.push('job-queue-stopped');
      return reasons;
    },
    stopping() {
      shuttingDown = true;
    },
  };
}
