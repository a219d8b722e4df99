/**
 * Retention and disposal (R-4, UK GDPR storage limitation): the council's schedules, the review of what has reached
 * its date, legal holds, destruction proposed by one person and approved by a second, the destruction itself (a
 * pg-boss job, safe to run again after a crash), and the certificate of what was destroyed.
 *
 * Every view and change is audited with ids only; every refusal is audited. The audit entry of a destruction keeps
 * the fact (kind, ids, when, who proposed, who approved, SHA-256s) and nothing of the destroyed record's content.
 *
 * This is the one service the pages, the API and the job call; each responsibility lives in its own file.
 */
import type { Actor } from '../../domain/access/roles.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { DisposalJob } from './disposal-job.ts';
import type { DisposalCertificate, HoldRecord, ProposalRecord } from './ports.ts';
import type { RetentionServiceDeps } from './retention-access.ts';
import { RetentionCertificatesUseCases } from './retention-certificates.ts';
import { RetentionHoldsUseCases } from './retention-holds.ts';
import { type ProposalView, RetentionProposalsUseCases } from './retention-proposals.ts';
import { type ReviewPage, RetentionReviewUseCases } from './retention-review.ts';
import { RetentionSchedulesUseCases, type ScheduleView } from './retention-schedules.ts';

export const DISPOSAL_JOB = 'retention-disposal';

export type { DisposalCertificate, ProposalView, RetentionServiceDeps, ReviewPage, ScheduleView };
export type { ReviewItem } from './retention-review.ts';
export { PAGE_SIZE, describeCandidate } from './retention-review.ts';
export { proposalReference } from './retention-certificates.ts';

export class RetentionService {
  private readonly deps: RetentionServiceDeps;
  private readonly job: DisposalJob;
  private readonly scheduleCases: RetentionSchedulesUseCases;
  private readonly reviewCases: RetentionReviewUseCases;
  private readonly holdCases: RetentionHoldsUseCases;
  private readonly proposalCases: RetentionProposalsUseCases;
  private readonly certificateCases: RetentionCertificatesUseCases;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
    this.job = new DisposalJob(deps);
    this.scheduleCases = new RetentionSchedulesUseCases(deps);
    this.reviewCases = new RetentionReviewUseCases(deps);
    this.holdCases = new RetentionHoldsUseCases(deps);
    this.proposalCases = new RetentionProposalsUseCases(deps);
    this.certificateCases = new RetentionCertificatesUseCases(deps);
  }

  // ---- Schedules (retention-schedules.ts) ----

  schedules(actor: Actor, ctx: RequestContext): Promise<ScheduleView[]> {
    return this.scheduleCases.schedules(actor, ctx);
  }

  changeSchedule(
    actor: Actor,
    kind: string,
    input: { value: unknown; version: number },
    ctx: RequestContext,
  ): Promise<ScheduleView[]> {
    return this.scheduleCases.changeSchedule(actor, kind, input, ctx);
  }

  // ---- Review (retention-review.ts) ----

  review(
    actor: Actor,
    query: { kind?: string | undefined; page?: number | undefined },
    ctx: RequestContext,
  ): Promise<ReviewPage> {
    return this.reviewCases.review(actor, query, ctx);
  }

  // ---- Legal holds (retention-holds.ts) ----

  holds(actor: Actor, ctx: RequestContext): Promise<HoldRecord[]> {
    return this.holdCases.holds(actor, ctx);
  }

  placeHold(
    actor: Actor,
    input: { kind: unknown; itemId: string; reason: unknown },
    ctx: RequestContext,
  ): Promise<{ id: string }> {
    return this.holdCases.placeHold(actor, input, ctx);
  }

  removeHold(actor: Actor, holdId: string, input: { reason: unknown }, ctx: RequestContext): Promise<void> {
    return this.holdCases.removeHold(actor, holdId, input, ctx);
  }

  hold(actor: Actor, holdId: string, ctx: RequestContext): Promise<HoldRecord> {
    return this.holdCases.hold(actor, holdId, ctx);
  }

  // ---- Proposals (retention-proposals.ts) ----

  propose(
    actor: Actor,
    input: { items: ReadonlyArray<{ kind: string; id: string }>; note?: string | undefined },
    ctx: RequestContext,
  ): Promise<{ id: string; number: number }> {
    return this.proposalCases.propose(actor, input, ctx);
  }

  proposals(actor: Actor, ctx: RequestContext): Promise<ProposalRecord[]> {
    return this.proposalCases.proposals(actor, ctx);
  }

  proposal(actor: Actor, id: string, ctx: RequestContext): Promise<ProposalView> {
    return this.proposalCases.proposal(actor, id, ctx);
  }

  approve(actor: Actor, id: string, input: { version: number }, ctx: RequestContext): Promise<void> {
    return this.proposalCases.approve(actor, id, input, ctx);
  }

  decline(actor: Actor, id: string, input: { version: number; reason: unknown }, ctx: RequestContext): Promise<void> {
    return this.proposalCases.decline(actor, id, input, ctx);
  }

  // ---- Destruction (disposal-job.ts) ----

  /** Destroys every pending item of an approved proposal (the pg-boss job; see DisposalJob.run). */
  runDisposal(proposalId: string): Promise<{ destroyed: number; held: number; finished: boolean }> {
    return this.job.run(proposalId);
  }

  /** Approved proposals left unfinished by a crash or a lost job are queued again (the job is safe to repeat). */
  async requeueUnfinished(): Promise<number> {
    const ids = await this.deps.uow.run((r) => r.retention.unfinishedProposals());
    for (const id of ids) await this.deps.queue.enqueueDisposal(id);
    return ids.length;
  }

  // ---- Certificates (retention-certificates.ts) ----

  certificate(actor: Actor, id: string, ctx: RequestContext): Promise<DisposalCertificate> {
    return this.certificateCases.certificate(actor, id, ctx);
  }

  certificatePdf(actor: Actor, id: string, ctx: RequestContext): Promise<{ bytes: Uint8Array; fileName: string }> {
    return this.certificateCases.certificatePdf(actor, id, ctx);
  }
}
