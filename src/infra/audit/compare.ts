import type { AuditRow } from './audit-repository.ts';
import { GENESIS_HASH, findChainProblem } from './chain.ts';
import { type SignedCheckpoint, checkpointName, checkpointSignatureValid } from './checkpoints.ts';
import type { Keyring } from './keyring.ts';

/**
 * Comparing the trail with the checkpoints held by the local directory and by each witness. A witness's
 * copies cannot be changed from this machine, so a trail that is shorter than, or differs from, what a
 * witness saw signed fails, whatever was done to the database, the local checkpoints or the signing key.
 */

/** The trail is an unchanged earlier state of what was signed: what an older backup restored looks like. */
export interface RestoreGap {
  /** The last entry the trail still holds, and when it was written. */
  restoredThrough: number;
  restoredThroughAt: string | null;
  /** The entries signed after it that the trail no longer holds. */
  lostFrom: number;
  lostThrough: number;
  lostEntries: number;
  /** When the newest of the lost checkpoints was signed: entries up to then were lost. */
  lostUntil: string;
  /** Which checkpoint store showed it. */
  witnessedBy: string;
}

/** A restore an operator acknowledged: the gap, who and why (an entry in the trail itself). */
export interface AcknowledgedRestore extends RestoreGap {
  seq: number;
  at: string;
  reason: string;
  by: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first bad entry and what is wrong with it. */
  problem?: { seq: number; problem: string } | undefined;
  /** The newest checkpoint in the local directory. */
  checkpoint?: { size: number; at: string; file: string } | undefined;
  /** Set when the only problem is that the trail is an earlier state of what was signed (a restore). */
  restore?: RestoreGap | undefined;
  /** Restores acknowledged earlier: verification passes over their gaps and names them. */
  acknowledged?: AcknowledgedRestore[];
  /** The newest checkpoint each witness holds (that was compared). */
  witnesses?: { label: string; newest?: { size: number; at: string } | undefined }[];
}

export interface CheckpointSource {
  /** For messages: `the checkpoint directory …` or `the witness …`. */
  label: string;
  local: boolean;
  /** A witness's own label (its URL). */
  witness?: string;
  list(): Promise<string[]>;
  get(name: string): Promise<SignedCheckpoint>;
  file?(name: string): string;
}

export interface ListedSource {
  source: CheckpointSource;
  names: string[];
  error?: string;
}

/** What one pass over the trail learned. */
export interface TrailFacts {
  /** Entries verified (all of them when there is no chain problem). */
  entries: number;
  chainProblem: { seq: number; problem: string } | null;
  /** Each entry's hash and time at the sizes some checkpoint names. */
  at: Map<number, { hash: string; at: Date }>;
  lastAt: Date | null;
  acknowledged: AcknowledgedRestore[];
}

const sizeOf = (name: string) => Number(name.slice(11, 23));
const msOf = (name: string) => Number(name.slice(24, -5));

/** Walks the chain a page at a time, keeping only the hashes the checkpoints need. */
export async function walkTrail(
  rows: AsyncIterable<AuditRow>,
  listed: ListedSource[],
  restoreAction: string,
): Promise<TrailFacts> {
  const wanted = new Set<number>();
  for (const l of listed) for (const n of l.names) wanted.add(sizeOf(n));
  const at = new Map<number, { hash: string; at: Date }>([[0, { hash: GENESIS_HASH, at: new Date(0) }]]);
  const acknowledged: AcknowledgedRestore[] = [];
  let state = { seq: 0, hash: GENESIS_HASH };
  let lastAt: Date | null = null;
  let batch: AuditRow[] = [];
  const flush = () => {
    const { problem, last } = findChainProblem(batch, state);
    // Facts from rows past a problem are not kept: only what verified counts.
    for (const row of batch) {
      if (row.seq > last.seq) break;
      if (wanted.has(row.seq)) at.set(row.seq, { hash: row.hash, at: row.at });
      if (row.action === restoreAction) acknowledged.push(acknowledgement(row));
      lastAt = row.at;
    }
    batch = [];
    state = last;
    return problem;
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= 5000) {
      const problem = flush();
      if (problem) return { entries: state.seq, chainProblem: problem, at, lastAt, acknowledged };
    }
  }
  const problem = flush();
  return { entries: state.seq, chainProblem: problem, at, lastAt, acknowledged };
}

function acknowledgement(row: AuditRow): AcknowledgedRestore {
  const d = (row.details ?? {}) as Record<string, unknown>;
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0);
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    by: row.actorLabel,
    reason: str('reason'),
    restoredThrough: num('restoredThrough'),
    restoredThroughAt: str('restoredThroughAt') || null,
    lostFrom: num('lostFrom'),
    lostThrough: num('lostThrough'),
    lostEntries: num('lostEntries'),
    lostUntil: str('lostUntil'),
    witnessedBy: str('witnessedBy'),
  };
}

type Finding =
  | { kind: 'hard'; problem: { seq: number; problem: string } }
  | { kind: 'restore'; problem: { seq: number; problem: string }; gap: RestoreGap };

/** The verdict: a broken chain first, then any disagreement with a checkpoint, then a restore not acknowledged. */
export async function compareWithSources(
  trail: TrailFacts,
  listed: ListedSource[],
  keyring: Keyring,
): Promise<VerifyResult> {
  const L = trail.entries;
  // A checkpoint signed before an acknowledged restore, covering entries past the restore point, belongs
  // to the lost entries: it is named by the acknowledgement and no longer compared.
  const lost = (name: string) => trail.acknowledged.some((a) => sizeOf(name) >= a.seq && msOf(name) < Date.parse(a.at));
  const local = listed.find((l) => l.source.local);
  const localNewest = local?.names.filter((n) => !lost(n)).at(-1);
  const checkpoint =
    local && localNewest
      ? {
          size: sizeOf(localNewest),
          at: new Date(msOf(localNewest)).toISOString(),
          file: local.source.file?.(localNewest) ?? localNewest,
        }
      : undefined;
  const base = { entries: L, checkpoint, acknowledged: trail.acknowledged };
  if (trail.chainProblem) return { ok: false, ...base, problem: trail.chainProblem };

  const findings: Finding[] = [];
  const witnesses: NonNullable<VerifyResult['witnesses']> = [];
  for (const { source, names, error } of listed) {
    const finding = await compareOne(source, names, error, lost, trail, keyring);
    if (!source.local) {
      const newest = names.filter((n) => !lost(n)).at(-1);
      witnesses.push({
        label: source.witness ?? source.label,
        newest: newest ? { size: sizeOf(newest), at: new Date(msOf(newest)).toISOString() } : undefined,
      });
    }
    if (finding) findings.push(finding);
  }
  const hard = findings.find((f) => f.kind === 'hard');
  if (hard) return { ok: false, ...base, witnesses, problem: hard.problem };
  const restores = findings.filter((f): f is Extract<Finding, { kind: 'restore' }> => f.kind === 'restore');
  if (restores.length) {
    const widest = restores.reduce((a, b) => (b.gap.lostThrough > a.gap.lostThrough ? b : a));
    return { ok: false, ...base, witnesses, problem: widest.problem, restore: widest.gap };
  }
  return { ok: true, ...base, witnesses };
}

async function compareOne(
  source: CheckpointSource,
  names: string[],
  error: string | undefined,
  lost: (name: string) => boolean,
  trail: TrailFacts,
  keyring: Keyring,
): Promise<Finding | null> {
  const L = trail.entries;
  const hard = (seq: number, problem: string): Finding => ({ kind: 'hard', problem: { seq, problem } });
  if (error) return hard(L, `${source.label} could not be read (${error}), so the trail cannot be compared with it`);
  const eligible = names.filter((n) => !lost(n));
  const newestName = eligible.at(-1);
  if (!newestName) return null;

  const fetch = async (name: string): Promise<SignedCheckpoint | Finding> => {
    let c: SignedCheckpoint;
    try {
      c = await source.get(name);
    } catch (err) {
      return hard(sizeOf(name), `${name} in ${source.label} could not be read (${(err as Error).message})`);
    }
    if (keyring.size === 0)
      return hard(
        c.size,
        `checkpoints exist but the audit verification keyring is empty or missing, so they cannot be checked`,
      );
    if (c.keyId && !keyring.has(c.keyId))
      return hard(
        c.size,
        `the checkpoint of ${c.at} in ${source.label} was signed by key ${c.keyId}, which is not in the verification keyring`,
      );
    if (!checkpointSignatureValid(c, keyring))
      return hard(c.size, `the checkpoint of ${c.at} in ${source.label} has an invalid signature`);
    // A signed checkpoint under another's name (renamed to look newer or older) is not what was sent.
    if (checkpointName(c) !== name) return hard(c.size, `${name} in ${source.label} does not hold what its name says`);
    return c;
  };
  const isFinding = (x: SignedCheckpoint | Finding): x is Finding => 'kind' in x;
  const differs = (c: SignedCheckpoint) =>
    hard(c.size, `entry ${c.size} differs from the signed checkpoint of ${c.at} held by ${source.label}`);

  const newest = await fetch(newestName);
  if (isFinding(newest)) return newest;
  if (newest.size <= L) return trail.at.get(newest.size)?.hash === newest.headHash ? null : differs(newest);

  const deleted = {
    seq: L + 1,
    problem: `entries ${L + 1} to ${newest.size} were deleted (the signed checkpoint of ${newest.at} held by ${source.label} recorded ${newest.size})`,
  };
  // Is what is left an unchanged earlier state of what was signed? Then it looks like a restored backup.
  const priorName = eligible.filter((n) => sizeOf(n) <= L).at(-1);
  if (priorName) {
    const prior = await fetch(priorName);
    if (isFinding(prior)) return prior;
    if (trail.at.get(prior.size)?.hash !== prior.headHash) return differs(prior);
  } else if (L > 0) {
    return { kind: 'hard', problem: deleted };
  }
  return {
    kind: 'restore',
    problem: deleted,
    gap: {
      restoredThrough: L,
      restoredThroughAt: trail.lastAt ? trail.lastAt.toISOString() : null,
      lostFrom: L + 1,
      lostThrough: newest.size,
      lostEntries: newest.size - L,
      lostUntil: newest.at,
      witnessedBy: source.label,
    },
  };
}
