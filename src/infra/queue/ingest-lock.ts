/**
 * One ingest of a recording at a time, across every node: a PostgreSQL session advisory lock on the recording's id,
 * held on its own connection for as long as the ingest runs. A node that dies drops its connection and PostgreSQL
 * releases the lock at once, so the node that takes over (pg-boss retries the job when its heartbeat stops) can
 * take it; a node that is merely slow still holds it, so the retry waits its turn instead of storing a second copy.
 * The lock's connection is named `cpcr ingest lock pid <process id>` (pg_stat_activity shows which process holds one).
 * The embedded database (PGlite) is one process by construction (its folder is locked): the lock is kept in memory.
 */
import pg from 'pg';
import type { Database } from '../db/client.ts';

export interface RecordingLocks {
  /**
   * Runs `work` holding the recording's lock; `busy` (without waiting) when another run holds it. The lock is
   * released when `work` settles, or by PostgreSQL when this process or its connection dies.
   */
  withLock<T>(recordingId: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** The lock's key: one namespace for ingest, the recording's id hashed into PostgreSQL's 64-bit key space. */
const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtextextended('cpcr:recording-ingest:' || $1, 0)) AS locked`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtextextended('cpcr:recording-ingest:' || $1, 0))`;

export function recordingLocks(database: Pick<Database, 'kind' | 'queueConnection'>): RecordingLocks {
  const conn = database.queueConnection;
  if (database.kind === 'pglite' || !('connectionString' in conn)) {
    const held = new Set<string>();
    return {
      async withLock(recordingId, work) {
        if (held.has(recordingId)) return { ran: false };
        held.add(recordingId);
        try {
          return { ran: true, value: await work() };
        } finally {
          held.delete(recordingId);
        }
      },
    };
  }
  return {
    async withLock(recordingId, work) {
      const client = new pg.Client({
        connectionString: conn.connectionString,
        application_name: `cpcr ingest lock pid ${process.pid}`,
      });
      // A lost connection ends the lock: the error is the ingest's to notice (its own queries), not a crash here.
      client.on('error', () => undefined);
      await client.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(LOCK_SQL, [recordingId]);
        if (!rows[0]?.locked) return { ran: false };
        try {
          return { ran: true, value: await work() };
        } finally {
          await client.query(UNLOCK_SQL, [recordingId]).catch(() => undefined);
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
