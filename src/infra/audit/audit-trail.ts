import type { KeyObject } from 'node:crypto';
import { type SQL, and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { isId } from '../../domain/shared/ids.ts';
import type { Db } from '../db/client.ts';
import { auditEvents, children, people, users } from '../db/schema.ts';
import { type AuditRow, auditHead, readAuditRows } from './audit-repository.ts';
import { GENESIS_HASH, findChainProblem } from './chain.ts';
import {
  type SignedCheckpoint,
  checkpointSignatureValid,
  readLatestCheckpoint,
  signCheckpoint,
  writeCheckpoint,
} from './checkpoints.ts';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first bad entry and what is wrong with it. */
  problem?: { seq: number; problem: string } | undefined;
  checkpoint?: { size: number; at: string; file: string } | undefined;
}

/** What the audit trail pages filter by: ids and dates only, so nothing personal goes into a URL. */
export interface AuditFilter {
  /** Who did it (a user's id). */
  actorId?: string | undefined;
  /** Entries about this child: the child is the subject, or named by id in the details. */
  childId?: string | undefined;
  action?: string | undefined;
  /** `YYYY-MM-DD`, days in England, both included. */
  from?: string | undefined;
  to?: string | undefined;
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
    return (before && before > 0 ? q.where(lt(auditEvents.seq, before)) : q)
      .orderBy(desc(auditEvents.seq))
      .limit(limit);
  }

  /** Entries matching the filter, newest first, before an optional sequence number (for paging back). */
  async search(filter: AuditFilter, limit: number, before?: number): Promise<AuditRow[]> {
    const conditions = [...filterConditions(filter), ...(before && before > 0 ? [lt(auditEvents.seq, before)] : [])];
    return this.db
      .select()
      .from(auditEvents)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(auditEvents.seq))
      .limit(limit);
  }

  /** Every entry matching the filter, oldest first, read a page at a time (for the CSV export). */
  async *matching(filter: AuditFilter, pageSize = 2000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const page = await this.db
        .select()
        .from(auditEvents)
        .where(and(gt(auditEvents.seq, after), ...filterConditions(filter)))
        .orderBy(asc(auditEvents.seq))
        .limit(pageSize);
      for (const row of page) yield row;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /** The action codes the trail holds, for the filter's list. */
  async actionsInUse(): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ action: auditEvents.action })
      .from(auditEvents)
      .orderBy(asc(auditEvents.action));
    return rows.map((r) => r.action);
  }

  /**
   * Names for the ids the trail shows (people who acted, and the children, family members and
   * accounts entries are about): the trail stores ids, the pages show who they are.
   */
  async namesFor(ids: {
    users?: readonly string[];
    children?: readonly string[];
    people?: readonly string[];
  }): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const valid = (xs: readonly string[] | undefined) => [...new Set((xs ?? []).filter((x) => isId(x)))];
    const userIds = valid(ids.users);
    const childIds = valid(ids.children);
    const personIds = valid(ids.people);
    if (userIds.length)
      for (const u of await this.db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(inArray(users.id, userIds)))
        names.set(u.id, u.name);
    if (childIds.length) {
      for (const c of await this.db
        .select({ id: children.id, g: children.givenNames, f: children.familyName })
        .from(children)
        .where(inArray(children.id, childIds)))
        names.set(c.id, `${c.g} ${c.f}`);
    }
    if (personIds.length) {
      for (const p of await this.db
        .select({ id: people.id, g: people.givenNames, f: people.familyName })
        .from(people)
        .where(inArray(people.id, personIds)))
        names.set(p.id, `${p.g} ${p.f}`);
    }
    return names;
  }

  /** The child holding a local case reference (case-insensitive), for choosing the child filter without a name in the URL. */
  async childByReference(reference: string): Promise<string | null> {
    const [row] = await this.db
      .select({ id: children.id })
      .from(children)
      .where(sql`lower(${children.localReference}) = lower(${reference.trim()})`)
      .limit(1);
    return row?.id ?? null;
  }

  /** Checks every link of the chain, then that the newest signed checkpoint is still inside it. */
  async verify(): Promise<VerifyResult> {
    const latest = await readLatestCheckpoint(this.checkpointDir);
    const want = latest?.checkpoint.size ?? 0;
    // Named in every result, a broken chain too, so a report never says no checkpoint exists when one does.
    const info = latest ? { size: latest.checkpoint.size, at: latest.checkpoint.at, file: latest.file } : undefined;
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
        if (problem) return { ok: false, entries: state.seq, problem, checkpoint: info };
      }
    }
    const problem = flush();
    if (problem) return { ok: false, entries: state.seq, problem, checkpoint: info };

    if (latest) {
      const cp = latest.checkpoint;
      const key = await this.existingKey();
      if (!key) {
        return {
          ok: false,
          entries: state.seq,
          checkpoint: info,
          problem: {
            seq: cp.size,
            problem: 'checkpoints exist but the audit signing key is missing, so they cannot be checked',
          },
        };
      }
      if (!checkpointSignatureValid(cp, key)) {
        return {
          ok: false,
          entries: state.seq,
          checkpoint: info,
          problem: { seq: cp.size, problem: `checkpoint ${latest.file} has an invalid signature` },
        };
      }
      if (state.seq < cp.size) {
        return {
          ok: false,
          entries: state.seq,
          checkpoint: info,
          problem: {
            seq: state.seq + 1,
            problem: `entries ${state.seq + 1} to ${cp.size} were deleted (the signed checkpoint of ${cp.at} recorded ${cp.size})`,
          },
        };
      }
      if (cp.size > 0 && hashAtCheckpoint !== cp.headHash) {
        return {
          ok: false,
          entries: state.seq,
          checkpoint: info,
          problem: { seq: cp.size, problem: `entry ${cp.size} differs from the signed checkpoint of ${cp.at}` },
        };
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
    const signed = signCheckpoint(
      { size: head.seq, headHash: head.hash, at: this.clock().toISOString() },
      await this.key(),
    );
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
        if (row.seq !== cp.size || row.hash !== cp.headHash)
          fail(`entry ${cp.size} no longer matches the checkpoint of ${cp.at}`);
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

function filterConditions(f: AuditFilter): SQL[] {
  const c: SQL[] = [];
  if (f.actorId) c.push(eq(auditEvents.actorUserId, f.actorId));
  // Ids are UUIDs (checked by the page), so a match inside the details' text is that id and nothing else.
  if (f.childId)
    c.push(or(eq(auditEvents.subjectId, f.childId), sql`${auditEvents.details}::text like ${`%${f.childId}%`}`)!);
  if (f.action) c.push(eq(auditEvents.action, f.action));
  if (f.from) c.push(sql`${auditEvents.at} >= ((${f.from}::date)::timestamp at time zone 'Europe/London')`);
  if (f.to) c.push(sql`${auditEvents.at} < (((${f.to}::date) + 1)::timestamp at time zone 'Europe/London')`);
  return c;
}

export class AuditTamperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditTamperError';
  }
}
