import type { KeyObject } from 'node:crypto';
import { desc, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditEvents } from '../db/schema.ts';
import { type AuditRow, auditHead, readAuditRows } from './audit-repository.ts';
import { GENESIS_HASH, findChainProblem } from './chain.ts';
import { type SignedCheckpoint, checkpointSignatureValid, readLatestCheckpoint, signCheckpoint, writeCheckpoint } from './checkpoints.ts';

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
  private readonly existingKey: () => Promise<KeyObject | null>;
  private readonly clock: () => Date;

  constructor(opts: {
    db: Db;
    checkpointDir: string;
    /** Loads the signing key, creating it on first use (checkpoints only). */
    signingKey: () => Promise<KeyObject>;
    /** Loads the key without creating it (verification). */
    existingKey: () => Promise<KeyObject | null>;
    clock: () => Date;
  }) {
    this.db = opts.db;
    this.checkpointDir = opts.checkpointDir;
    this.key = opts.signingKey;
    this.existingKey = opts.existingKey;
    this.clock = opts.clock;
  }

  /** The newest entries, newest first, before an optional sequence number (for paging back). */
  async recent(limit: number, before?: number): Promise<AuditRow[]> {
    const q = this.db.select().from(auditEvents);
    return (before && before > 0 ? q.where(lt(auditEvents.seq, before)) : q).orderBy(desc(auditEvents.seq)).limit(limit);
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
      const key = await this.existingKey();
      if (!key) {
        return { ok: false, entries: state.seq, checkpoint: info, problem: { seq: cp.size, problem: 'checkpoints exist but the audit signing key is missing, so they cannot be checked' } };
      }
      if (!checkpointSignatureValid(cp, key)) {
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

  /**
   * Signs the current head and writes it outside the database. Skips when nothing changed. Refuses
   * to sign unless the entries since the last checkpoint extend it unbroken: otherwise deleting the
   * newest entries and appending past them would be hidden by the next checkpoint.
   */
  async checkpoint(): Promise<{ written: boolean; size: number; file?: string }> {
    const latest = await readLatestCheckpoint(this.checkpointDir);
    if (latest) await this.assertExtends(latest.checkpoint);
    const head = await auditHead(this.db);
    if (latest && latest.checkpoint.size === head.seq) return { written: false, size: head.seq };
    const signed = signCheckpoint({ size: head.seq, headHash: head.hash, at: this.clock().toISOString() }, await this.key());
    const file = await writeCheckpoint(this.checkpointDir, signed);
    return { written: true, size: head.seq, file };
  }

  private async assertExtends(cp: SignedCheckpoint): Promise<void> {
    const fail = (problem: string) => {
      throw new AuditTamperError(`Not signing a new audit checkpoint: ${problem}. Run 'cpcr audit verify'.`);
    };
    const key = await this.existingKey();
    if (!key || !checkpointSignatureValid(cp, key)) fail('the latest checkpoint’s signature does not verify');
    if (cp.size === 0) return;
    let state: { seq: number; hash: string } | null = null;
    let batch: AuditRow[] = [];
    for await (const row of readAuditRows(this.db, 5000, cp.size - 1)) {
      if (!state) {
        if (row.seq !== cp.size || row.hash !== cp.headHash) fail(`entry ${cp.size} no longer matches the checkpoint of ${cp.at}`);
        state = { seq: row.seq, hash: row.hash };
        continue;
      }
      batch.push(row);
      if (batch.length >= 5000) {
        const r = findChainProblem(batch, state);
        if (r.problem) fail(r.problem.problem);
        state = r.last;
        batch = [];
      }
    }
    if (!state) fail(`entries up to ${cp.size} recorded by the checkpoint of ${cp.at} are missing`);
    const r = findChainProblem(batch, state!);
    if (r.problem) fail(r.problem.problem);
  }
}

export class AuditTamperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditTamperError';
  }
}
