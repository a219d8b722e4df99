/**
 * Retention and disposal (R-4, UK GDPR storage limitation): the council's schedules, the review of what has reached
 * its date, legal holds, destruction proposed by one person and approved by a second, the destruction itself (a
 * pg-boss job, safe to run again after a crash), and the certificate of what was destroyed.
 *
 * Every view and change is audited with ids only; every refusal is audited. The audit entry of a destruction keeps
 * the fact (kind, ids, when, who proposed, who approved, SHA-256s) and nothing of the destroyed record's content.
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import {
  type Candidate as DomainCandidate,
  PROPOSAL_STATE_LABELS,
  approve,
  checkHold,
  checkProposal,
  checkReason,
  decline,
  itemKey,
  keptFirst,
} from '../../domain/retention/disposal.ts';
import {
  DEFAULT_RETENTION_SCHEDULES,
  DISPOSABLE_KINDS,
  type DisposableKind,
  RECORD_KINDS,
  RECORD_KIND_LABELS,
  RECORD_KIND_SINGULAR,
  type RecordKind,
  type RetentionDate,
  type RetentionSchedule,
  type RetentionSchedules,
  describeSchedule,
  hasReachedDate,
  isDisposableKind,
  isRecordKind,
  readSchedule,
  requireRetentionOfficer,
  requireScheduleSetter,
  retentionDate,
  validateSchedule,
} from '../../domain/retention/schedules.ts';
import { AccessDeniedError, NotFoundError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Clock } from '../unit-of-work.ts';
import { DisposalJob } from './disposal-job.ts';
import type {
  Candidate,
  CertificateRenderer,
  DisposalCertificate,
  DisposalQueue,
  HoldRecord,
  ProposalItemRecord,
  ProposalRecord,
  RetentionStores,
  RetentionUnitOfWork,
} from './ports.ts';

export const DISPOSAL_JOB = 'retention-disposal';
export const PAGE_SIZE = 25;

export type { DisposalCertificate };

export interface RetentionServiceDeps {
  uow: RetentionUnitOfWork;
  clock: Clock;
  blobs: BlobStore;
  queue: DisposalQueue;
  pdf: CertificateRenderer;
}

export interface ScheduleView {
  kind: RecordKind;
  name: string;
  schedule: RetentionSchedule;
  description: string;
  isDefault: boolean;
  version: number;
  updatedAt: Date | null;
  updatedByName: string | null;
}

export interface ReviewItem {
  kind: DisposableKind;
  id: string;
  /** "Recording", "Copy of a recording sent". */
  what: string;
  /** Where it comes from, without names: conference type and date, children's references, the request number. */
  context: string;
  conferenceId: string;
  dueOn: IsoDate;
  hold: { id: string; reason: string; placedByName: string; placedAt: Date } | null;
  /** The live proposal it is in, if any. */
  proposal: { id: string; number: number } | null;
  /** A recording or a request with copies still kept cannot be proposed before them. */
  copiesKept: number;
  /** A conference record whose recordings are still kept cannot be proposed before them. */
  recordingsKept: number;
  /** Why it cannot be proposed yet (something made from it is still kept); null when nothing is. */
  keptFirst: string | null;
  /** May be ticked for a proposal now. */
  proposable: boolean;
}

export interface ReviewPage {
  items: ReviewItem[];
  kind: DisposableKind | null;
  page: number;
  pages: number;
  total: number;
  today: IsoDate;
}

export interface ProposalView extends ProposalRecord {
  stateLabel: string;
  items: Array<ProposalItemRecord & { what: string }>;
}

const SUBJECT = 'disposal_proposal';

/** The audit subject type of a legal hold's record, by kind. */
const AUDIT_SUBJECT: Readonly<Record<DisposableKind, string>> = {
  'conference-record': 'conference',
  recording: 'recording',
  'copy-sent': 'disclosure_copy',
  'copy-request': 'copy_request',
};

/** What is still kept that a candidate must outlive: copies (recordings, requests) or recordings (conferences). */
function keptOf(c: Candidate): { copiesKept: number; recordingsKept: number } {
  if (c.kind === 'recording' || c.kind === 'copy-request') return { copiesKept: c.copiesKept, recordingsKept: 0 };
  if (c.kind === 'conference-record') return { copiesKept: 0, recordingsKept: c.recordingsKept };
  return { copiesKept: 0, recordingsKept: 0 };
}

export function proposalReference(n: number): string {
  return `DP-${String(n).padStart(4, '0')}`;
}

export class RetentionService {
  private readonly deps: RetentionServiceDeps;
  private readonly job: DisposalJob;

  constructor(deps: RetentionServiceDeps) {
    this.deps = deps;
    this.job = new DisposalJob(deps);
  }

  private today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  /** Checks a role; a refusal is audited (in its own transaction, so it survives) and thrown. */
  private async allowed(
    check: (a: Actor) => void,
    actor: Actor,
    ctx: RequestContext,
    action: string,
    subject?: { type: string; id: string },
  ): Promise<void> {
    try {
      check(actor);
    } catch (err) {
      if (!(err instanceof AccessDeniedError)) throw err;
      await this.deps.uow.run((r) =>
        r.audit.record({ action, actor: ctx.actor, correlationId: ctx.correlationId, subject, outcome: 'denied' }),
      );
      throw err;
    }
  }

  private async schedulesWithin(r: RetentionStores): Promise<RetentionSchedules> {
    const stored = new Map((await r.retention.listSchedules()).map((s) => [s.kind, s]));
    const read = <K extends RecordKind>(k: K): RetentionSchedule => {
      const row = stored.get(k);
      return row ? readSchedule(k, row.value) : DEFAULT_RETENTION_SCHEDULES[k];
    };
    return {
      'conference-record': read('conference-record'),
      recording: read('recording'),
      'copy-sent': read('copy-sent'),
      'copy-request': read('copy-request'),
      'audit-entry': read('audit-entry'),
    };
  }

  // ---- Schedules ----

  /** Every schedule, who last changed it and when. Retention officers and schedule setters may read them. */
  async schedules(actor: Actor, ctx: RequestContext): Promise<ScheduleView[]> {
    await this.allowed(
      (a) => {
        try {
          requireScheduleSetter(a);
        } catch {
          requireRetentionOfficer(a);
        }
      },
      actor,
      ctx,
      'retention-schedules.view',
    );
    return this.deps.uow.run(async (r) => {
      const stored = new Map((await r.retention.listSchedules()).map((s) => [s.kind, s]));
      return RECORD_KINDS.map((kind) => {
        const row = stored.get(kind);
        const schedule = row ? readSchedule(kind, row.value) : DEFAULT_RETENTION_SCHEDULES[kind];
        return {
          kind,
          name: RECORD_KIND_LABELS[kind],
          schedule,
          description: describeSchedule(schedule),
          isDefault: JSON.stringify(schedule) === JSON.stringify(DEFAULT_RETENTION_SCHEDULES[kind]),
          version: row?.version ?? 0,
          updatedAt: row?.updatedAt ?? null,
          updatedByName: row?.updatedByName ?? null,
        };
      });
    });
  }

  /** Changes one schedule from the version the form started from; audited with the schedule before and after. */
  async changeSchedule(
    actor: Actor,
    kind: string,
    input: { value: unknown; version: number },
    ctx: RequestContext,
  ): Promise<ScheduleView[]> {
    if (!isRecordKind(kind)) throw new NotFoundError('The retention schedule');
    await this.allowed(requireScheduleSetter, actor, ctx, 'retention-schedules.change', {
      type: 'retention_schedule',
      id: kind,
    });
    const schedule = validateSchedule(kind, input.value);
    await this.deps.uow.run(async (r) => {
      const before = (await this.schedulesWithin(r))[kind];
      const version = await r.retention.saveSchedule(kind, {
        value: schedule,
        updatedBy: actor.id,
        at: this.deps.clock.now(),
        expectedVersion: input.version,
      });
      if (version === null)
        throw new StaleRecordError(
          'Someone else changed this schedule after you opened it. Your change has not been saved: look at the schedule as it is now and make your change again',
        );
      await r.audit.record({
        action: 'retention-schedules.changed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_schedule', id: kind },
        outcome: 'success',
        details: { from: describeSchedule(before), to: describeSchedule(schedule), version },
      });
    });
    return this.schedules(actor, ctx);
  }

  // ---- Review ----

  private dateOf(schedules: RetentionSchedules, c: Candidate): RetentionDate {
    switch (c.kind) {
      case 'recording':
      case 'conference-record':
        return retentionDate(schedules[c.kind], {
          conferenceDate: c.conferenceDate,
          childBirthDates: c.childBirthDates,
        });
      case 'copy-sent':
        return retentionDate(schedules['copy-sent'], { sentOn: c.sentAt ? londonDateOf(c.sentAt) : null });
      case 'copy-request':
        return retentionDate(schedules['copy-request'], { closedOn: c.closedAt ? londonDateOf(c.closedAt) : null });
    }
  }

  /** The candidates of one kind (or every kind), or only those with the ids given by kind. */
  private async candidatesWithin(
    r: RetentionStores,
    kind: DisposableKind | null,
    ids?: Partial<Record<DisposableKind, string[]>>,
  ): Promise<Candidate[]> {
    const wanted = (k: DisposableKind) => (kind === null || kind === k) && (!ids || (ids[k]?.length ?? 0) > 0);
    const out: Candidate[] = [];
    if (wanted('conference-record'))
      out.push(...(await r.retention.conferenceRecordCandidates(ids?.['conference-record'])));
    if (wanted('recording')) out.push(...(await r.retention.recordingCandidates(ids?.recording)));
    if (wanted('copy-sent')) out.push(...(await r.retention.copyCandidates(ids?.['copy-sent'])));
    if (wanted('copy-request')) out.push(...(await r.retention.copyRequestCandidates(ids?.['copy-request'])));
    return out;
  }

  /** What has reached its date, oldest first, `PAGE_SIZE` a page; audited as viewed (ids of the page only). */
  async review(
    actor: Actor,
    query: { kind?: string | undefined; page?: number | undefined },
    ctx: RequestContext,
  ): Promise<ReviewPage> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.review-viewed');
    const kind = isDisposableKind(query.kind) ? query.kind : null;
    const today = this.today();
    return this.deps.uow.run(async (r) => {
      const schedules = await this.schedulesWithin(r);
      const holds = new Map(
        (await r.retention.currentHolds()).map((h) => [itemKey({ kind: h.kind, id: h.itemId }), h]),
      );
      const live = await this.liveProposalsWithin(r);
      const due: ReviewItem[] = [];
      for (const c of await this.candidatesWithin(r, kind)) {
        const date = this.dateOf(schedules, c);
        if (!hasReachedDate(date, today) || date.dueOn === null) continue;
        const key = itemKey(c);
        const hold = holds.get(key);
        const proposal = live.get(key) ?? null;
        const kept = keptOf(c);
        const waitsFor = keptFirst(c.kind, kept);
        due.push({
          kind: c.kind,
          id: c.id,
          what: RECORD_KIND_SINGULAR[c.kind],
          context: describeCandidate(c),
          conferenceId: c.conferenceId,
          dueOn: date.dueOn,
          hold: hold
            ? { id: hold.id, reason: hold.reason, placedByName: hold.placedByName, placedAt: hold.placedAt }
            : null,
          proposal,
          copiesKept: kept.copiesKept,
          recordingsKept: kept.recordingsKept,
          keptFirst: waitsFor,
          proposable: !hold && !proposal && waitsFor === null,
        });
      }
      due.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id < b.id ? -1 : 1));
      const pages = Math.max(1, Math.ceil(due.length / PAGE_SIZE));
      const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pages);
      const items = due.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      await r.audit.record({
        action: 'retention.review-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { kind, page, total: due.length, items: items.map((i) => itemKey(i)) },
      });
      return { items, kind, page, pages, total: due.length, today };
    });
  }

  private async liveProposalsWithin(r: RetentionStores): Promise<Map<string, { id: string; number: number }>> {
    const out = new Map<string, { id: string; number: number }>();
    for (const p of await r.retention.listProposals()) {
      if (p.state !== 'proposed' && p.state !== 'approved') continue;
      for (const i of await r.retention.proposalItems(p.id))
        if (i.state === 'pending') out.set(itemKey({ kind: i.kind, id: i.itemId }), { id: p.id, number: p.number });
    }
    return out;
  }

  // ---- Legal holds ----

  async holds(actor: Actor, ctx: RequestContext): Promise<HoldRecord[]> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.holds-viewed');
    return this.deps.uow.run(async (r) => {
      const holds = await r.retention.currentHolds();
      await r.audit.record({
        action: 'retention.holds-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { holds: holds.map((h) => h.id) },
      });
      return holds;
    });
  }

  /** A legal hold on one record, with the reason it must be kept; audited (ids only, never the reason). */
  async placeHold(
    actor: Actor,
    input: { kind: unknown; itemId: string; reason: unknown },
    ctx: RequestContext,
  ): Promise<{ id: string }> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.hold-placed', {
      type: isDisposableKind(input.kind) ? AUDIT_SUBJECT[input.kind] : 'recording',
      id: input.itemId,
    });
    const { kind, reason } = checkHold(actor, input.kind, input.reason);
    return this.deps.uow.run(async (r) => {
      // The same lock a destruction of the item takes: the hold lands wholly before or after it, and the item is
      // looked for once the lock is held (a record just destroyed is no longer found).
      await r.retention.lockItem(kind, input.itemId);
      const found = await this.candidatesWithin(r, kind, { [kind]: [input.itemId] });
      if (!found.length) throw new NotFoundError(`The ${RECORD_KIND_SINGULAR[kind].toLowerCase()}`);
      const id = await r.retention.insertHold({
        kind,
        itemId: input.itemId,
        reason,
        placedBy: actor.id,
        at: this.deps.clock.now(),
      });
      if (!id) throw new StaleRecordError('This record is already on legal hold: look at the holds as they are now');
      await r.audit.record({
        action: 'retention.hold-placed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_hold', id },
        outcome: 'success',
        details: { kind, itemId: input.itemId },
      });
      return { id };
    });
  }

  async removeHold(actor: Actor, holdId: string, input: { reason: unknown }, ctx: RequestContext): Promise<void> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.hold-removed', {
      type: 'retention_hold',
      id: holdId,
    });
    const reason = checkReason(input.reason, 'reason', 'why the hold is no longer needed');
    await this.deps.uow.run(async (r) => {
      const hold = await r.retention.findHold(holdId);
      if (!hold) throw new NotFoundError('The legal hold');
      if (!(await r.retention.removeHold(holdId, { removedBy: actor.id, at: this.deps.clock.now(), reason })))
        throw new StaleRecordError('This hold has already been removed');
      await r.audit.record({
        action: 'retention.hold-removed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'retention_hold', id: holdId },
        outcome: 'success',
        details: { kind: hold.kind, itemId: hold.itemId },
      });
    });
  }

  async hold(actor: Actor, holdId: string, ctx: RequestContext): Promise<HoldRecord> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.hold-viewed', {
      type: 'retention_hold',
      id: holdId,
    });
    const hold = await this.deps.uow.run((r) => r.retention.findHold(holdId));
    if (!hold) throw new NotFoundError('The legal hold');
    return hold;
  }

  // ---- Proposals ----

  /** Proposes the ticked records for destruction; each must be due, not held and not already proposed. */
  async propose(
    actor: Actor,
    input: { items: ReadonlyArray<{ kind: string; id: string }>; note?: string | undefined },
    ctx: RequestContext,
  ): Promise<{ id: string; number: number }> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.proposed');
    const today = this.today();
    return this.deps.uow.run(async (r) => {
      const schedules = await this.schedulesWithin(r);
      const ids: Partial<Record<DisposableKind, string[]>> = Object.fromEntries(
        DISPOSABLE_KINDS.map((k) => [k, input.items.filter((i) => i.kind === k).map((i) => i.id)]),
      );
      const holds = new Set((await r.retention.currentHolds()).map((h) => itemKey({ kind: h.kind, id: h.itemId })));
      const live = await r.retention.liveItemKeys();
      const candidates = new Map<string, DomainCandidate>();
      for (const c of await this.candidatesWithin(r, null, ids)) {
        const key = itemKey(c);
        candidates.set(key, {
          dueOn: this.dateOf(schedules, c).dueOn,
          held: holds.has(key),
          inLiveProposal: live.has(key),
          ...keptOf(c),
        });
      }
      const refs = checkProposal(actor, input.items, candidates, today);
      const note = input.note?.trim() ? checkReason(input.note, 'note', 'a note') : null;
      const p = await r.retention.insertProposal({
        note,
        proposedBy: actor.id,
        at: this.deps.clock.now(),
        schedules: Object.fromEntries(RECORD_KINDS.map((k) => [k, describeSchedule(schedules[k])])),
        items: refs.map((i) => ({ kind: i.kind, itemId: i.id, dueOn: candidates.get(itemKey(i))!.dueOn! })),
      });
      await r.audit.record({
        action: 'retention.proposed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT, id: p.id },
        outcome: 'success',
        details: { items: refs.map((i) => itemKey(i)) },
      });
      return p;
    });
  }

  async proposals(actor: Actor, ctx: RequestContext): Promise<ProposalRecord[]> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.proposals-viewed');
    return this.deps.uow.run((r) => r.retention.listProposals());
  }

  async proposal(actor: Actor, id: string, ctx: RequestContext): Promise<ProposalView> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.proposal-viewed', { type: SUBJECT, id });
    return this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id);
      if (!p) throw new NotFoundError('The disposal proposal');
      const items = (await r.retention.proposalItems(id)).map((i) => ({ ...i, what: RECORD_KIND_SINGULAR[i.kind] }));
      await r.audit.record({
        action: 'retention.proposal-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT, id },
        outcome: 'success',
      });
      return { ...p, stateLabel: PROPOSAL_STATE_LABELS[p.state], items };
    });
  }

  /** A second, different person approves; destruction is queued once the approval is saved. */
  async approve(actor: Actor, id: string, input: { version: number }, ctx: RequestContext): Promise<void> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.approved', { type: SUBJECT, id });
    let refusal: unknown = null;
    await this.deps.uow
      .run(async (r) => {
        const p = await r.retention.findProposal(id, { lock: true });
        if (!p) throw new NotFoundError('The disposal proposal');
        try {
          approve(p, actor);
        } catch (err) {
          refusal = err;
          throw err;
        }
        if (p.version !== input.version) throw new StaleRecordError();
        if (
          !(await r.retention.decideProposal(id, input.version, {
            state: 'approved',
            by: actor.id,
            at: this.deps.clock.now(),
          }))
        )
          throw new StaleRecordError();
        await r.audit.record({
          action: 'retention.approved',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: SUBJECT, id },
          outcome: 'success',
          details: { proposedBy: p.proposedBy, approvedBy: actor.id },
        });
      })
      .catch(async (err: unknown) => {
        // Refused by the rules (four eyes, no longer waiting): audited after the rollback, so the entry survives.
        if (refusal === err) await this.refused(id, 'retention.approved', err, ctx);
        throw err;
      });
    await this.deps.queue.enqueueDisposal(id);
  }

  /** A refusal by the rules (four eyes, not waiting) is audited in its own transaction so it survives the rollback. */
  private async refused(id: string, action: string, err: unknown, ctx: RequestContext): Promise<void> {
    const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'ERROR';
    await this.deps.uow.run((r) =>
      r.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT, id },
        outcome: code === 'ACCESS_DENIED' || code === 'FOUR_EYES' ? 'denied' : 'failure',
        details: { code },
      }),
    );
  }

  async decline(
    actor: Actor,
    id: string,
    input: { version: number; reason: unknown },
    ctx: RequestContext,
  ): Promise<void> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.declined', { type: SUBJECT, id });
    const reason = checkReason(input.reason, 'reason', 'why the records should be kept');
    await this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id, { lock: true });
      if (!p) throw new NotFoundError('The disposal proposal');
      decline(p, actor);
      if (p.version !== input.version) throw new StaleRecordError();
      if (
        !(await r.retention.decideProposal(id, input.version, {
          state: 'declined',
          by: actor.id,
          at: this.deps.clock.now(),
          reason,
        }))
      )
        throw new StaleRecordError();
      await r.audit.record({
        action: 'retention.declined',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT, id },
        outcome: 'success',
      });
    });
  }

  // ---- Destruction (the job) ----

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

  // ---- Certificates ----

  /** The certificate of a finished destruction: what, when, who proposed and approved, and the SHA-256s. Audited. */
  async certificate(actor: Actor, id: string, ctx: RequestContext): Promise<DisposalCertificate> {
    await this.allowed(requireRetentionOfficer, actor, ctx, 'retention.certificate-viewed', { type: SUBJECT, id });
    return this.deps.uow.run(async (r) => {
      const p = await r.retention.findProposal(id);
      if (!p || p.state !== 'destroyed' || !p.approvedAt || !p.completedAt || !p.approvedByName)
        throw new NotFoundError('The disposal certificate');
      const items = await r.retention.proposalItems(id);
      await r.audit.record({
        action: 'retention.certificate-viewed',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: SUBJECT, id },
        outcome: 'success',
      });
      return {
        proposalId: p.id,
        number: p.number,
        reference: proposalReference(p.number),
        proposedByName: p.proposedByName,
        proposedAt: p.proposedAt,
        approvedByName: p.approvedByName,
        approvedAt: p.approvedAt,
        completedAt: p.completedAt,
        schedules: p.schedules,
        destroyed: items
          .filter((i) => i.state === 'destroyed' && i.evidence && i.destroyedAt)
          .map((i) => ({
            kind: i.kind,
            what: RECORD_KIND_SINGULAR[i.kind],
            itemId: i.itemId,
            dueOn: i.dueOn,
            destroyedAt: i.destroyedAt!,
            evidence: i.evidence!,
          })),
        keptOnHold: items
          .filter((i) => i.state === 'held')
          .map((i) => ({ kind: i.kind, what: RECORD_KIND_SINGULAR[i.kind], itemId: i.itemId })),
      };
    });
  }

  async certificatePdf(
    actor: Actor,
    id: string,
    ctx: RequestContext,
  ): Promise<{ bytes: Uint8Array; fileName: string }> {
    const certificate = await this.certificate(actor, id, ctx);
    return {
      bytes: await this.deps.pdf.render(certificate),
      fileName: `disposal-certificate-${certificate.reference}.pdf`,
    };
  }
}

const CONFERENCE_TYPES: Record<string, string> = {
  initial: 'Initial conference',
  'pre-birth': 'Pre-birth conference',
  review: 'Review conference',
  'transfer-in': 'Transfer-in conference',
};

/** Where a candidate comes from, in words without names. */
export function describeCandidate(c: Candidate): string {
  const conference = `${CONFERENCE_TYPES[c.conferenceType] ?? 'Conference'} on ${c.conferenceDate}`;
  const children = [...c.childReferences, ...(c.restricted ? ['a restricted child'] : [])].join(', ');
  const base = `${conference}${children ? ` (${children})` : ''}`;
  if (c.kind === 'copy-sent' || c.kind === 'copy-request')
    return `Request CR-${c.requestReceivedOn.slice(0, 4)}-${String(c.requestNumber).padStart(4, '0')}, ${base}`;
  if (c.kind === 'conference-record') return `Written record of the ${base.charAt(0).toLowerCase()}${base.slice(1)}`;
  return `${c.recordingKind === 'dictation' ? 'Chair’s dictation' : 'Meeting recording'}, ${base}`;
}
