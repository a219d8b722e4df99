import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type SQL, and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { RequestContext } from '../../app/audit/audit-log.ts';
import { isId } from '../../domain/shared/ids.ts';
import type { Db } from '../db/client.ts';
import { auditEvents, children, people, users } from '../db/schema.ts';
import { type AuditRow, appendAudit, auditHead, lockAuditChain, readAuditRows } from './audit-repository.ts';
import { findChainProblem } from './chain.ts';
import {
  type CheckpointSource,
  type RestoreGap,
  type TrailFacts,
  type VerifyResult,
  compareWithSources,
  walkTrail,
} from './compare.ts';
import {
  type SignedCheckpoint,
  checkpointSignatureValid,
  listCheckpointNames,
  readCheckpointFile,
  readLatestCheckpoint,
  signCheckpoint,
  writeCheckpoint,
} from './checkpoints.ts';
import { type Keyring, addToKeyring, keyIdOf, loadKeyring, publicKeyPem } from './keyring.ts';
import type { Witness } from './witnesses.ts';

export type { AcknowledgedRestore, RestoreGap, VerifyResult } from './compare.ts';

/** The audit action an operator's acknowledgement of a restored backup is recorded under. */
export const RESTORE_ACKNOWLEDGED = 'audit.restore_acknowledged';
export const KEY_ROTATED = 'audit.key_rotated';

/** Where failures of the checkpoint's background work are told (pino's logger fits). */
export interface TrailLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

/** What one checkpoint run did: written locally, and sent to (or failed at) each witness. */
export interface CheckpointResult {
  written: boolean;
  size: number;
  file?: string;
  sent: { witness: string; count: number }[];
  failed: { witness: string; error: string }[];
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
  private readonly loadKey: () => Promise<KeyObject>;
  private readonly newKey: () => Promise<KeyObject>;
  private readonly keyringFile: string;
  private readonly witnesses: readonly Witness[];
  private readonly checkpointEvery: number;
  private readonly clock: () => Date;
  private readonly log: TrailLog | undefined;
  private signingKey: Promise<KeyObject> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(opts: {
    db: Db;
    checkpointDir: string;
    /** Loads the signing key, creating it on first use (checkpoints only; verification never reads it). */
    signingKey: () => Promise<KeyObject>;
    /** Puts a new signing key in place of the old one and returns it (key rotation). */
    replaceSigningKey?: () => Promise<KeyObject>;
    /** The file of public keys checkpoints are verified with. */
    keyringFile: string;
    /** Where each checkpoint is also sent, away from this machine. */
    witnesses?: readonly Witness[];
    /** A checkpoint is written as soon as the trail reaches each multiple of this many entries. */
    checkpointEvery?: number;
    clock: () => Date;
    log?: TrailLog;
  }) {
    this.db = opts.db;
    this.checkpointDir = opts.checkpointDir;
    this.loadKey = opts.signingKey;
    this.newKey = opts.replaceSigningKey ?? (() => Promise.reject(new Error('This trail cannot rotate its key')));
    this.keyringFile = opts.keyringFile;
    this.witnesses = opts.witnesses ?? [];
    this.checkpointEvery = opts.checkpointEvery ?? 100;
    this.clock = opts.clock;
    this.log = opts.log;
  }

  /** Where checkpoints are sent, for messages. */
  get witnessLabels(): string[] {
    return this.witnesses.map((w) => w.label);
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

  /**
   * Checks every link of the chain, then compares it with the newest checkpoint in the local directory
   * and at every witness: a trail shorter than, or different from, what was signed fails. Signatures are
   * checked with the public keyring only.
   */
  async verify(): Promise<VerifyResult> {
    const keyring = await loadKeyring(this.keyringFile);
    const sources: CheckpointSource[] = [
      {
        label: `the checkpoint directory ${this.checkpointDir}`,
        local: true,
        list: () => listCheckpointNames(this.checkpointDir),
        get: (name) => readCheckpointFile(this.checkpointDir, name),
        file: (name) => path.join(this.checkpointDir, name),
      },
      ...this.witnesses.map((w) => ({
        label: `the witness ${w.label}`,
        witness: w.label,
        local: false,
        list: () => w.list(),
        get: (name: string) => w.get(name),
      })),
    ];
    const listed = await Promise.all(
      sources.map(async (source) => {
        try {
          return { source, names: await source.list() };
        } catch (err) {
          return { source, names: [] as string[], error: (err as Error).message };
        }
      }),
    );
    const trail: TrailFacts = await walkTrail(readAuditRows(this.db), listed, RESTORE_ACKNOWLEDGED);
    return compareWithSources(trail, listed, keyring);
  }

  /**
   * Signs the current head and writes it outside the database, then sends every checkpoint not yet sent
   * to each witness. Skips writing when nothing changed. Refuses to sign unless the entries since the
   * last checkpoint extend it unbroken: otherwise deleting the newest entries and appending past them
   * would be hidden by the next checkpoint. A witness that cannot be reached raises an alert and is
   * tried again at the next checkpoint; it never stops the service.
   */
  async checkpoint(): Promise<CheckpointResult> {
    const key = await this.currentKey();
    const keyring = await loadKeyring(this.keyringFile);
    const latest = await readLatestCheckpoint(this.checkpointDir);
    if (latest) await this.assertExtends(latest.checkpoint, keyring);
    // Taking the chain's lock waits for appends in flight, so the head read is committed and final.
    const head = await this.db.transaction(async (tx) => {
      await lockAuditChain(tx);
      return auditHead(tx);
    });
    let written: { file: string } | undefined;
    if (!latest || latest.checkpoint.size !== head.seq) {
      const signed = signCheckpoint({ size: head.seq, headHash: head.hash, at: this.clock().toISOString() }, key);
      written = { file: await writeCheckpoint(this.checkpointDir, signed) };
    }
    const sending = await this.sendToWitnesses();
    return { written: !!written, size: head.seq, ...(written ? { file: written.file } : {}), ...sending };
  }

  /** Sends each witness every local checkpoint newer than the last one it took, oldest first. */
  async sendToWitnesses(): Promise<Pick<CheckpointResult, 'sent' | 'failed'>> {
    const sent: CheckpointResult['sent'] = [];
    const failed: CheckpointResult['failed'] = [];
    if (this.witnesses.length === 0) return { sent, failed };
    const names = await listCheckpointNames(this.checkpointDir);
    for (const w of this.witnesses) {
      const marker = path.join(this.checkpointDir, `.sent-${w.id}`);
      const last = (await readFile(marker, 'utf8').catch(() => '')).trim();
      // At most 500 a run, so a long outage is caught up over a few runs rather than in one burst.
      const pending = names.filter((n) => n > last).slice(0, 500);
      let count = 0;
      try {
        for (const name of pending) {
          await w.send(await readCheckpointFile(this.checkpointDir, name));
          await writeFile(marker, name, { mode: 0o600 });
          count += 1;
        }
      } catch (err) {
        const error = (err as Error).message;
        failed.push({ witness: w.label, error });
        this.log?.fatal(
          { alert: 'audit-witness', witness: w.label, unsent: pending.length - count, code: errorCode(err) },
          'audit checkpoint not sent to its witness; it is tried again at the next checkpoint',
        );
      }
      if (count) sent.push({ witness: w.label, count });
    }
    return { sent, failed };
  }

  /**
   * Called with each new entry's number (inside its transaction): every `checkpointEvery` entries a
   * checkpoint is written and sent in the background, after the entry's transaction commits.
   */
  noteAppended(seq: number): void {
    if (this.closed || seq % this.checkpointEvery !== 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const r = await this.checkpoint();
          if (r.written) this.log?.info({ size: r.size }, 'audit checkpoint written');
        } catch (err) {
          if (err instanceof AuditTamperError) this.log?.fatal({ alert: 'audit-tamper' }, err.message);
          else this.log?.error({ code: errorCode(err) }, 'audit checkpoint failed');
        }
      } while (this.again && !this.closed);
      this.running = undefined;
    })();
  }

  /** Waits for a background checkpoint in progress, and starts no more (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  /** Resolves once no background checkpoint is running (tests wait on this state). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Records, as an audit entry, that the trail is behind its checkpoints because an older backup was
   * restored, naming what was lost; then checkpoints past it. Refused unless verification found exactly
   * that: a trail that is an unchanged earlier state of what was signed.
   */
  async acknowledgeRestore(reason: string, ctx: RequestContext): Promise<{ seq: number; gap: RestoreGap }> {
    const v = await this.verify();
    if (v.ok) throw new AuditTamperError('There is no restore to acknowledge: the trail verifies as it is.');
    if (!v.restore)
      throw new AuditTamperError(
        `This is not a restored backup: ${v.problem?.problem ?? 'the trail failed verification'}. Nothing was acknowledged.`,
      );
    const gap = v.restore;
    const row = await this.db.transaction((tx) =>
      appendAudit(
        tx,
        {
          action: RESTORE_ACKNOWLEDGED,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          outcome: 'success',
          details: { ...gap, reason },
        },
        this.clock(),
      ),
    );
    // Local checkpoints of the lost entries move aside (kept, not deleted), so new ones extend the trail.
    const aside = path.join(this.checkpointDir, `superseded-by-restore-${row.seq}`);
    for (const name of await listCheckpointNames(this.checkpointDir)) {
      if (Number(name.slice(11, 23)) > gap.restoredThrough) {
        await mkdir(aside, { recursive: true, mode: 0o700 });
        await rename(path.join(this.checkpointDir, name), path.join(aside, name));
      }
    }
    // What each witness took of the lost entries is behind the trail now: send from the restore point on.
    const kept = (await listCheckpointNames(this.checkpointDir)).at(-1) ?? '';
    for (const w of this.witnesses) {
      const marker = path.join(this.checkpointDir, `.sent-${w.id}`);
      const last = (await readFile(marker, 'utf8').catch(() => '')).trim();
      if (last > kept) await writeFile(marker, kept, { mode: 0o600 });
    }
    await this.checkpoint();
    return { seq: row.seq, gap };
  }

  /**
   * Puts a new signing key in place (after checking the trail), adds its public key to the keyring,
   * records the rotation and signs a checkpoint with the new key. Checkpoints signed before keep
   * verifying under the old public key, which stays in the keyring.
   */
  async rotateKey(
    ctx: RequestContext,
  ): Promise<{ oldKeyId: string; newKeyId: string; addedToKeyring: boolean; publicKeyPem: string }> {
    const v = await this.verify();
    if (!v.ok)
      throw new AuditTamperError(`Not rotating the key: ${v.problem?.problem ?? 'the trail failed verification'}.`);
    const oldKeyId = keyIdOf(await this.currentKey());
    const fresh = await this.newKey();
    this.signingKey = Promise.resolve(fresh);
    const { keyId: newKeyId, added } = await addToKeyring(this.keyringFile, fresh);
    await this.db.transaction((tx) =>
      appendAudit(
        tx,
        {
          action: KEY_ROTATED,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          outcome: 'success',
          details: { oldKeyId, newKeyId },
        },
        this.clock(),
      ),
    );
    await this.checkpoint();
    return { oldKeyId, newKeyId, addedToKeyring: added, publicKeyPem: publicKeyPem(fresh) };
  }

  /** The signing key, whose public key must be in the keyring (added when the file can be written). */
  private async currentKey(): Promise<KeyObject> {
    const key = await (this.signingKey ??= this.loadKey());
    const ring = await loadKeyring(this.keyringFile);
    if (!ring.has(keyIdOf(key))) {
      try {
        await addToKeyring(this.keyringFile, key);
      } catch (err) {
        throw new Error(
          `The audit signing key (id ${keyIdOf(key)}) is not in the keyring ${this.keyringFile} and it cannot be added (${(err as Error).message}): checkpoints it signed could not be verified`,
          { cause: err },
        );
      }
    }
    return key;
  }

  private async assertExtends(cp: SignedCheckpoint, keyring: Keyring): Promise<void> {
    const fail = (problem: string) => {
      throw new AuditTamperError(`Not signing a new audit checkpoint: ${problem}. Run 'cpcr audit verify'.`);
    };
    if (!checkpointSignatureValid(cp, keyring)) fail('the latest checkpoint’s signature does not verify');
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

/** What kind of failure, without its text (which can hold a URL's query or a path). */
function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return err instanceof Error ? err.name : typeof err;
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
