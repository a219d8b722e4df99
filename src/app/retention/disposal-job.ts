/**
 * The destruction itself: the pg-boss job that destroys every pending item of an approved disposal proposal,
 * safe to run again after a crash. Called through RetentionService.runDisposal.
 */
import { createHash } from 'node:crypto';
import { isFinished, itemAction } from '../../domain/retention/disposal.ts';
import type { DisposableKind } from '../../domain/retention/schedules.ts';
import { BlobNotFoundError, type BlobStore } from '../blobs/blob-store.ts';
import type { Clock } from '../unit-of-work.ts';
import type {
  DestroyedFile,
  ItemEvidence,
  ProposalItemRecord,
  ProposalRecord,
  RetentionStores,
  RetentionUnitOfWork,
} from './ports.ts';

const SUBJECT = 'disposal_proposal';
const SYSTEM = { id: null, label: 'retention disposal job' };

export interface DisposalJobDeps {
  uow: RetentionUnitOfWork;
  clock: Clock;
  blobs: BlobStore;
}

export class DisposalJob {
  private readonly deps: DisposalJobDeps;

  constructor(deps: DisposalJobDeps) {
    this.deps = deps;
  }

  /**
   * Destroys every pending item of an approved proposal. Per item, in one transaction: the item is locked (placing a
   * legal hold takes the same lock), a current hold keeps it, otherwise what it removes is written down, its rows are
   * removed by the database's disposal function (which checks the approval and the hold again) and it is marked
   * destroyed, audited. Only after that commits are its stored files deleted, so a hold placed at any moment either
   * keeps every file and row or comes after the record is gone. A crash leaves the item pending (nothing removed) or
   * destroyed with its files listed: running the job again deletes those files again (deleting one already gone is
   * not an error) before the proposal is marked finished.
   */
  async run(proposalId: string): Promise<{ destroyed: number; held: number; finished: boolean }> {
    const proposal = await this.deps.uow.run((r) => r.retention.findProposal(proposalId));
    if (!proposal || proposal.state !== 'approved')
      return { destroyed: 0, held: 0, finished: proposal?.state === 'destroyed' };
    let destroyed = 0;
    let held = 0;
    for (const item of await this.deps.uow.run((r) => r.retention.proposalItems(proposalId))) {
      const outcome = await this.destroyItem(proposal, item).catch(async (err: unknown) => {
        // The database refused: a hold that arrived after this job looked is the one refusal the job expects.
        if (await this.keepIfHeld(proposalId, item)) return { done: 'held' as const, files: [] };
        throw err;
      });
      for (const f of outcome.files) await this.deps.blobs.delete(f.blobKey);
      if (outcome.done === 'destroyed') destroyed++;
      if (outcome.done === 'held') held++;
    }
    const finished = await this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(proposalId, { lock: true });
      if (!p || p.state !== 'approved') return p?.state === 'destroyed';
      if (!isFinished(await r.retention.proposalItems(proposalId))) return false;
      await r.retention.completeProposal(proposalId, this.deps.clock.now());
      await r.audit.record({
        action: 'retention.disposal-completed',
        actor: SYSTEM,
        subject: { type: SUBJECT, id: proposalId },
        outcome: 'success',
      });
      return true;
    });
    return { destroyed, held, finished };
  }

  /** One item's rows, in one transaction; gives the stored files to delete once it commits. */
  private destroyItem(
    proposal: ProposalRecord,
    item: ProposalItemRecord,
  ): Promise<{ done: 'destroyed' | 'held' | 'already'; files: ItemEvidence['files'] }> {
    const { id: proposalId } = proposal;
    return this.deps.uow.run(async (r) => {
      await r.retention.lockItem(item.kind, item.itemId);
      const now = (await r.retention.proposalItems(proposalId)).find(
        (i) => i.kind === item.kind && i.itemId === item.itemId,
      )!;
      const action = itemAction(now.state, await this.heldWithin(r, item));
      // Destroyed before a crash: its files are deleted again, in case the crash came before they were.
      if (action === 'done')
        return { done: 'already', files: now.state === 'destroyed' ? (now.evidence?.files ?? []) : [] };
      if (action === 'hold') {
        await this.markHeld(r, proposalId, item);
        return { done: 'held', files: [] };
      }
      const found = (await r.retention.itemEvidence(item.kind, item.itemId)) ?? {
        files: [],
        rows: {},
        conferenceId: null,
      };
      const evidence = { ...found, files: await Promise.all(found.files.map((f) => this.measured(f))) };
      await r.retention.setItemEvidence(proposalId, item.kind, item.itemId, evidence);
      await r.retention.destroyItemRows(item.kind, proposalId, item.itemId);
      await r.retention.markItem(proposalId, item.kind, item.itemId, 'destroyed', this.deps.clock.now());
      await r.audit.record({
        action: 'retention.destroyed',
        actor: SYSTEM,
        subject: { type: SUBJECT, id: proposalId },
        outcome: 'success',
        details: {
          kind: item.kind,
          itemId: item.itemId,
          conferenceId: evidence.conferenceId,
          proposedBy: proposal.proposedBy,
          approvedBy: proposal.approvedBy,
          files: evidence.files.map((f) => ({
            what: f.what,
            blobSha256: f.blobSha256,
            contentSha256: f.contentSha256,
          })),
          rows: evidence.rows,
        },
      });
      return { done: 'destroyed', files: evidence.files };
    });
  }

  /**
   * A file whose stored bytes' SHA-256 the record does not hold (an issued document or a report keeps only its
   * content's) is read once and hashed, so the certificate names exactly what was deleted; a file already gone keeps
   * what the record says.
   */
  private async measured(f: DestroyedFile): Promise<DestroyedFile> {
    if (f.blobSha256 !== null) return f;
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of await this.deps.blobs.get(f.blobKey)) {
        const bytes = chunk as Uint8Array;
        hash.update(bytes);
        size += bytes.length;
      }
      return { ...f, blobSha256: hash.digest('hex'), blobSize: size };
    } catch (err) {
      if (err instanceof BlobNotFoundError) return f;
      throw err;
    }
  }

  private async heldWithin(r: RetentionStores, item: { kind: DisposableKind; itemId: string }): Promise<boolean> {
    return (await r.retention.currentHolds()).some((h) => h.kind === item.kind && h.itemId === item.itemId);
  }

  private async markHeld(r: RetentionStores, proposalId: string, item: ProposalItemRecord): Promise<void> {
    await r.retention.markItem(proposalId, item.kind, item.itemId, 'held', this.deps.clock.now());
    await r.audit.record({
      action: 'retention.kept-on-hold',
      actor: SYSTEM,
      subject: { type: SUBJECT, id: proposalId },
      outcome: 'success',
      details: { kind: item.kind, itemId: item.itemId },
    });
  }

  /** After the database refused a destruction: a current hold keeps the item (nothing was removed). */
  private keepIfHeld(proposalId: string, item: ProposalItemRecord): Promise<boolean> {
    return this.deps.uow.run(async (r) => {
      await r.retention.lockItem(item.kind, item.itemId);
      if (!(await this.heldWithin(r, item))) return false;
      await this.markHeld(r, proposalId, item);
      return true;
    });
  }
}
