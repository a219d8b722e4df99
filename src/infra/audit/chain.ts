import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit row that the chain covers. */
export interface ChainedFields {
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted, so jsonb's key reordering does not change the digest. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = SHA-256(hash_{n-1} || canonical(row_n)); seq is inside, so reordering breaks the chain. */
export function chainHash(prevHash: string, row: ChainedFields): string {
  // Pick the covered fields explicitly: rows read back carry prevHash and hash as well.
  const body = canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actorUserId: row.actorUserId,
    actorLabel: row.actorLabel,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    requestId: row.requestId,
    outcome: row.outcome,
    details: row.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainProblem = { seq: number; problem: string };

/** Walks rows in seq order; returns the first problem or null. */
export function findChainProblem(
  rows: Iterable<ChainedFields & { prevHash: string; hash: string }>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { problem: ChainProblem | null; last: { seq: number; hash: string } } {
  let expectedSeq = start.seq + 1;
  let prev = start.hash;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return {
        problem: {
          seq: row.seq,
          problem: row.seq > expectedSeq ? `entry ${expectedSeq} is missing` : `entry ${row.seq} is out of order`,
        },
        last: { seq: expectedSeq - 1, hash: prev },
      };
    }
    if (row.prevHash !== prev) {
      return {
        problem: {
          seq: row.seq,
          problem: `entry ${row.seq} does not follow entry ${row.seq - 1} (previous hash differs)`,
        },
        last: { seq: expectedSeq - 1, hash: prev },
      };
    }
    const recomputed = chainHash(prev, row);
    if (recomputed !== row.hash) {
      return {
        problem: { seq: row.seq, problem: `entry ${row.seq} was changed after it was written (hash differs)` },
        last: { seq: expectedSeq - 1, hash: prev },
      };
    }
    prev = row.hash;
    expectedSeq += 1;
  }
  return { problem: null, last: { seq: expectedSeq - 1, hash: prev } };
}
