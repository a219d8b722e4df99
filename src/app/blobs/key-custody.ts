import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import { type BlobStore, BlobNotFoundError } from './blob-store.ts';

/**
 * Key custody for the files encrypted at rest (recordings, their copies, issued documents): moving
 * them from one age identity to another without re-encrypting them (R-3: an original is kept bit for
 * bit; R-4: retrievable for as long as it is retained).
 *
 * Each encrypted file's header is rewritten for the target recipients with the same file key; the
 * payload after the header is copied unchanged. The store replaces a file whole, so at every moment
 * a file is either as it was or rewritten — readable by the old identity before, and by the new one
 * (and, until retirement, the old one too) after.
 *
 * Fixity: the SHA-256s recorded when a file was stored never change (R-3; the database refuses it).
 * The encrypted file's hash covers its header, so each rewrite is kept as an audited rewrap event
 * holding the hash before and after and the payload's hash (the same on both sides); a fixity check
 * accepts an encrypted file whose hash the chain of rewraps leads to from the recorded one
 * ({@link cipherHashHolds}), and still requires the decrypted content's hash to be the recorded one.
 * A run can stop anywhere and be run again: a rewrite recorded as pending is settled first by
 * hashing what the store holds, and files already addressed as the plan says are left alone.
 */

/** The age header operations the rotation needs (infra: src/infra/crypto/age). */
export interface AgeHeaders {
  /** The public recipient (`age1…`) of an identity. */
  recipientOf(identity: string): string;
  /** The header's length in the first bytes of a file, -1 when more are needed, null for a file not in age format. */
  headerLength(prefix: Buffer): number | null;
  /** Which of `identities` open the header, and how many recipient stanzas it has. */
  inspect(header: Buffer, identities: readonly string[]): { opens: boolean[]; recipientStanzas: number };
  /** The header for the same file key, addressed to `recipients` (other stanzas kept); throws if none of `identities` opens it. */
  rewrap(header: Buffer, identities: readonly string[], recipients: readonly string[]): Buffer;
}

export type RewrapPhase = 'rotate' | 'retire';

export interface RewrapRecord {
  id: number;
  blobKey: string;
  phase: RewrapPhase;
  oldSha256: string;
  oldSize: number;
  newSha256: string;
  newSize: number;
  payloadSha256: string;
  recipients: string[];
}

export interface KeyCustodyRepository {
  /** Rewrites begun and not settled (the file may hold either version). */
  pending(): Promise<RewrapRecord[]>;
  begin(record: Omit<RewrapRecord, 'id'>, at: Date): Promise<number>;
  /** The store holds the rewritten file: the rewrite is settled. */
  complete(id: number, at: Date): Promise<void>;
  /** The file still holds its old bytes: the rewrite never happened. */
  abandon(id: number, at: Date): Promise<void>;
  /**
   * Every SHA-256 the file has had since `recorded` through its rewraps, in order: each settled
   * rewrap from the previous hash, then a pending one's new hash (the file may hold either).
   */
  laterHashes(blobKey: string, recorded: string): Promise<string[]>;
}

/**
 * Whether an encrypted file whose SHA-256 is now `actual` is the one recorded as `recorded`: the same
 * bytes, or the same payload under a header rewritten by key rotation (the audited chain of rewraps
 * leads from one to the other). The caller still checks the decrypted content's own hash.
 */
export async function cipherHashHolds(
  uow: UnitOfWork,
  blobKey: string,
  recorded: string,
  actual: string,
): Promise<boolean> {
  if (actual === recorded) return true;
  return (await uow.run((repos) => repos.keyCustody.laterHashes(blobKey, recorded))).includes(actual);
}

export interface RewrapPlan {
  phase: RewrapPhase;
  /** The identities held, the current one first; each is used to open headers. */
  identities: readonly string[];
  /** The recipients every header must end up addressed to, exactly. */
  recipients: readonly string[];
}

export type RewrapOutcome =
  | 'rewrapped'
  /** Already addressed as the plan says. */
  | 'unchanged'
  /** Not in age format (a file the service stores unencrypted). */
  | 'not-encrypted'
  /** No record refers to it (yet): an upload or ingest under way, or an orphan the nightly sweep removes. */
  | 'unrecorded'
  /** None of the identities held opens it, or it is damaged. */
  | 'unreadable';

export interface RewrapSummary {
  counts: Record<RewrapOutcome, number>;
  /** Files that none of the identities opens, or that are damaged: they stop a retirement. */
  unreadable: string[];
  /** Rewrites an earlier run left pending, settled now. */
  resumed: number;
}

export interface KeyCustodyDeps {
  uow: UnitOfWork;
  blobs: BlobStore;
  headers: AgeHeaders;
  clock: Clock;
  /** Every blob key a record refers to (the orphan sweep's list). */
  referenced: () => Promise<Iterable<string>>;
}

const FIRST_READ = 4096;
const MAX_HEADER = 1024 * 1024;
const NONCE = 16;

export class KeyCustodyService {
  private readonly deps: KeyCustodyDeps;

  constructor(deps: KeyCustodyDeps) {
    this.deps = deps;
  }

  /**
   * Addresses every encrypted file to `plan.recipients` exactly. A file is left alone when each held
   * identity opens it if and only if its recipient is a target, and it has one recipient stanza per
   * target. Files that no held identity opens are listed as unreadable and left as they are.
   */
  async rewrapAll(
    plan: RewrapPlan,
    ctx: RequestContext,
    progress?: (key: string, outcome: RewrapOutcome) => void,
  ): Promise<RewrapSummary> {
    if (plan.identities.length === 0 || plan.recipients.length === 0)
      throw new TypeError('A rewrap needs at least one identity and one recipient');
    const summary: RewrapSummary = {
      counts: { rewrapped: 0, unchanged: 0, 'not-encrypted': 0, unrecorded: 0, unreadable: 0 },
      unreadable: [],
      resumed: 0,
    };
    await this.settlePending(ctx, summary);
    await this.audit(ctx, `key_custody.${plan.phase}_started`, { recipients: [...plan.recipients] });
    // Keys are listed before the references are read, so a file whose record is committed in between counts.
    const keys: string[] = [];
    for await (const key of this.deps.blobs.list()) keys.push(key);
    const referenced = new Set(await this.deps.referenced());
    for (const key of keys.sort()) {
      const outcome = referenced.has(key) ? await this.rewrapOne(key, plan, ctx) : 'unrecorded';
      summary.counts[outcome]++;
      if (outcome === 'unreadable') summary.unreadable.push(key);
      progress?.(key, outcome);
    }
    await this.audit(ctx, `key_custody.${plan.phase}_finished`, {
      recipients: [...plan.recipients],
      ...summary.counts,
      resumed: summary.resumed,
    });
    return summary;
  }

  /** Rewrites left pending by an interrupted run: done if the store holds the new bytes, abandoned if the old. */
  private async settlePending(ctx: RequestContext, summary: RewrapSummary): Promise<void> {
    const pending = await this.deps.uow.run((repos) => repos.keyCustody.pending());
    for (const p of pending) {
      let held: { sha256: string } | null;
      try {
        held = await this.hashBlob(p.blobKey);
      } catch (err) {
        if (!(err instanceof BlobNotFoundError)) throw err;
        held = null;
      }
      if (held?.sha256 === p.newSha256) {
        await this.complete(p, ctx, true);
        summary.resumed++;
      } else if (held === null || held.sha256 === p.oldSha256) {
        await this.deps.uow.run((repos) => repos.keyCustody.abandon(p.id, this.deps.clock.now()));
      } else {
        throw new Error(
          `The stored file ${p.blobKey} holds neither its bytes before nor after an interrupted key rotation: run \`cpcr fixity verify\` and investigate before rotating again`,
        );
      }
    }
  }

  private async rewrapOne(key: string, plan: RewrapPlan, ctx: RequestContext): Promise<RewrapOutcome> {
    const { headers, blobs } = this.deps;
    let size: number;
    try {
      size = (await blobs.stat(key)).size;
    } catch (err) {
      if (err instanceof BlobNotFoundError) return 'unrecorded';
      throw err;
    }
    const header = await this.readHeader(key, size);
    if (header === null) return 'not-encrypted';
    if (header === 'damaged' || size < header.length + NONCE) return 'unreadable';
    let state: { opens: boolean[]; recipientStanzas: number };
    try {
      state = headers.inspect(header, plan.identities);
    } catch {
      return 'unreadable';
    }
    if (!state.opens.some(Boolean)) return 'unreadable';
    const targets = new Set(plan.recipients);
    const addressed =
      state.recipientStanzas === targets.size &&
      plan.identities.every((identity, i) => state.opens[i] === targets.has(headers.recipientOf(identity)));
    if (addressed) return 'unchanged';

    const newHeader = headers.rewrap(header, plan.identities, [...targets]);
    // First pass: the file's hash now, its payload's, and the hash it will have.
    const oldHash = createHash('sha256');
    const payloadHash = createHash('sha256');
    const newHash = createHash('sha256').update(newHeader);
    let seen = 0;
    for await (const piece of await blobs.get(key)) {
      const bytes = piece as Buffer;
      oldHash.update(bytes);
      const from = Math.max(0, header.length - seen);
      if (from < bytes.length) {
        const payload = bytes.subarray(from);
        payloadHash.update(payload);
        newHash.update(payload);
      }
      seen += bytes.length;
    }
    if (seen !== size) throw new Error(`The stored file ${key} changed size while it was read`);
    const record: Omit<RewrapRecord, 'id'> = {
      blobKey: key,
      phase: plan.phase,
      oldSha256: oldHash.digest('hex'),
      oldSize: size,
      newSha256: newHash.digest('hex'),
      newSize: size - header.length + newHeader.length,
      payloadSha256: payloadHash.digest('hex'),
      recipients: [...targets],
    };
    const id = await this.deps.uow.run((repos) => repos.keyCustody.begin(record, this.deps.clock.now()));
    // Second pass: the new header, then the payload as stored, replacing the file whole.
    const rest = await blobs.getRange(key, header.length, size - 1);
    let written: { sha256: string };
    try {
      written = await blobs.replace(key, Readable.from(prepend(newHeader, rest)));
    } finally {
      rest.destroy();
    }
    if (written.sha256 !== record.newSha256) {
      throw new Error(
        `The stored file ${key} changed while its header was rewritten: run \`cpcr fixity verify\` and investigate before rotating again`,
      );
    }
    await this.complete({ ...record, id }, ctx);
    return 'rewrapped';
  }

  private async complete(record: RewrapRecord, ctx: RequestContext, resumed = false): Promise<void> {
    await this.deps.uow.run(async (repos) => {
      await repos.keyCustody.complete(record.id, this.deps.clock.now());
      await repos.audit.record({
        action: 'key_custody.rewrapped',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        subject: { type: 'blob', id: record.blobKey },
        details: {
          phase: record.phase,
          oldSha256: record.oldSha256,
          newSha256: record.newSha256,
          payloadSha256: record.payloadSha256,
          recipients: record.recipients,
          ...(resumed ? { resumed: true } : {}),
        },
      });
    });
  }

  /** The header bytes, null when the file is not in age format, 'damaged' when its header never ends. */
  private async readHeader(key: string, size: number): Promise<Buffer | null | 'damaged'> {
    let want = Math.min(size, FIRST_READ);
    for (;;) {
      if (want === 0) return null;
      const prefix = await readAll(await this.deps.blobs.getRange(key, 0, want - 1));
      let length: number | null;
      try {
        length = this.deps.headers.headerLength(prefix);
      } catch {
        return 'damaged';
      }
      if (length === null) return null;
      if (length >= 0) return prefix.subarray(0, length);
      if (want >= size || want >= MAX_HEADER) return 'damaged';
      want = Math.min(size, want * 4, MAX_HEADER);
    }
  }

  private async hashBlob(key: string): Promise<{ sha256: string }> {
    const hash = createHash('sha256');
    for await (const piece of await this.deps.blobs.get(key)) hash.update(piece as Buffer);
    return { sha256: hash.digest('hex') };
  }

  /** Audits a change to the identity file (made by the command line, outside the database). */
  async recordIdentityChange(ctx: RequestContext, change: 'added' | 'retired', recipient: string): Promise<void> {
    await this.audit(ctx, `key_custody.identity_${change}`, { recipient });
  }

  private async audit(ctx: RequestContext, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.uow.run((repos) =>
      repos.audit.record({ action, actor: ctx.actor, correlationId: ctx.correlationId, outcome: 'success', details }),
    );
  }
}

async function* prepend(first: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  yield first;
  for await (const piece of rest) yield piece as Buffer;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of stream) parts.push(piece as Buffer);
  return Buffer.concat(parts);
}
