import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { type AuditRow, auditHead, readAuditRows } from './audit-repository.ts';
import { GENESIS_HASH, findChainProblem } from './chain.ts';
import { checkpointSignatureValid, readLatestCheckpoint, signCheckpoint, writeCheckpoint } from './checkpoints.ts';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first bad entry and what is wrong with it. */
  problem?: { seq: number; problem: string } | undefined;
  checkpoint?: { size: number; at: string; file: string } | undefined;
}

export class AuditTrail {
  private readonly db: Db;
  private readonly checkpointDir: string;
  private readonly key: () => Promise<KeyObject>;
  private readonly clock: () => Date;

  constructor(opts: { db: Db; checkpointDir: string; signingKey: () => Promise<KeyObject>; clock: () => Date }) {
    this.db = opts.db;
    this.checkpointDir = opts.checkpointDir;
    this.key = opts.signingKey;
    this.clock = opts.clock;
  }

  /** Checks every link of the chain, then that the newest signed checkpoint is still inside it. */
  async verify(): Promise<VerifyResult> {
    const latest = await readLatestCheckpoint(this.checkpointDir);
    const want = latest?.checkpoint.size ?? 0;
    let hashAtCheckpoint: string | undefined;
    // Pages are checked as they arrive, so memory stays bounded however long the trail is.
    let state = { seq: 0, hash: GENESIS_HASH };
    let batch: AuditRow[] = [];
    const flush = () => {
      const { problem, last } = findChainProblem(batch, state);
      batch = [];
      state = last;
      return problem;
    };
    for await (const row of readAuditRows(this.db)) {
      if (row.seq === want) hashAtCheckpoint = row.hash;
      batch.push(row);
      if (batch.length >= 5000) {
        const problem = flush();
        if (problem) return { ok: false, entries: state.seq, problem };
      }
    }
    const problem = flush();
    if (problem) return { ok: false, entries: state.seq, problem };

    if (latest) {
      const cp = latest.checkpoint;
      const info = { size: cp.size, at: cp.at, file: latest.file };
      if (!checkpointSignatureValid(cp, await this.key())) {
        return { ok: false, entries: state.seq, checkpoint: info, problem: { seq: cp.size, problem: `checkpoint ${latest.file} has an invalid signature` } };
      }
      if (state.seq < cp.size) {
        return {
          ok: false,
          entries: state.seq,
          checkpoint: info,
          problem: { seq: state.seq + 1, problem: `entries ${state.seq + 1} to ${cp.size} were deleted (the signed checkpoint of ${cp.at} recorded ${cp.size})` },
        };
      }
      if (cp.size > 0 && hashAtCheckpoint !== cp.headHash) {
        return { ok: false, entries: state.seq, checkpoint: info, problem: { seq: cp.size, problem: `entry ${cp.size} differs from the signed checkpoint of ${cp.at}` } };
      }
      return { ok: true, entries: state.seq, checkpoint: info };
    }
    return { ok: true, entries: state.seq };
  }

  /** Signs the current head and writes it outside the database. Skips when nothing changed. */
  async checkpoint(): Promise<{ written: boolean; size: number; file?: string }> {
    const head = await auditHead(this.db);
    const latest = await readLatestCheckpoint(this.checkpointDir);
    if (latest && latest.checkpoint.size === head.seq) return { written: false, size: head.seq };
    const signed = signCheckpoint({ size: head.seq, headHash: head.hash, at: this.clock().toISOString() }, await this.key());
    const file = await writeCheckpoint(this.checkpointDir, signed);
    return { written: true, size: head.seq, file };
  }
}
