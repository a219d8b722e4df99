/**
 * The read models of requests for copies (A-1 … A-10): the work queue, a conference's requests, the
 * request's page (one transaction), the forms' facts and the disclosure copy's plan. Every read checks
 * access and is audited as a view.
 */
import { canViewChild, type ChildAccessFacts } from '../../domain/access/child-access.ts';
import { hasAnyRole, type Actor } from '../../domain/access/roles.ts';
import { formatLongDate, londonDateOf, type IsoDate } from '../../domain/calendar/index.ts';
import {
  availableActions,
  buildWorkQueue,
  countByStep,
  isFinal,
  NOTIFIED_PARTY_LABELS,
  REQUEST_ACTION_LABELS,
  REQUEST_STATE_LABELS,
  REQUEST_STATE_NEXT,
  REQUEST_STATES,
  REQUESTER_TYPE_LABELS,
  REQUESTER_TYPE_SHORT_LABELS,
  REQUESTER_TYPES,
  requestDeadline,
  RequestError,
  validateReferral,
  withheldFromRecording,
  type CopyRequest,
  type NotifiedParty,
  type ReferralInput,
  type RequesterType,
} from '../../domain/requests/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { familyCopiesRefusedReason } from '../../domain/settings/council-settings.ts';
import { readCouncilSettings } from '../settings/council-settings-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import { ADVICE_STEP_LABELS, type CopyRequestRecord, type CopyRequestStepRecord } from './ports.ts';
import type { CopyStatus } from './disclosure-copies.ts';
import { referralFormWithin } from './request-referral-form.ts';
import {
  conferenceRef,
  fullName,
  prefetchSummaries,
  RequestSupport,
  referralFacts,
  referralView,
  REQUEST_STEP_ROLES_RECEIVE,
  summaryRow,
  type SummaryCaches,
  userName,
  WHOLE_QUEUE_ROLES,
} from './request-support.ts';
import type {
  ConferenceRef,
  DisclosurePlan,
  ReceiveFormView,
  QueueFilterInput,
  ReferralFormView,
  ReferralView,
  RequestPageView,
  RequestSummaryRow,
  RequestView,
  StepView,
  WorkQueueView,
} from './request-views.ts';

/** Labels for the timeline's step details. Keys not listed (ids) are left out. */
const DETAIL_LABELS: Record<string, string> = {
  requesterType: 'Who asked',
  receivedOn: 'Received',
  eligible: 'Eligible',
  reason: 'Reason',
  note: 'Note',
  partsListened: 'Parts listened to',
  toldOn: 'Requester told on',
  due: 'Now due by',
  attempt: 'Attempt',
  failures: 'Problems found',
  childIds: 'Children',
  childrenWithoutPr: 'Children the requester has no parental responsibility for',
  mismatchedChildIds: 'Children whose details did not match',
  unbornCheckedChildIds: 'Not born yet: checked by the expected date of delivery',
  notCheckedChildIds: 'Left out of the check: not born yet, and no expected date of delivery on record',
  caseNoteChildIds: 'Case notes written for',
  notified: 'Told',
  withheldAdded: 'Parts withheld for this request only',
  nothingWithheld: 'Nothing to withhold',
  jointConsideration: 'Joint consideration on',
  adjustment: 'Reasonable adjustment agreed',
  code: 'Rule',
  text: 'Warning',
  toldOtherwise: 'Told another way',
  // advice from the information management team.
  question: 'Question',
  answer: 'Advice',
  answeredBy: 'Given by',
  answeredOn: 'Given on',
};

const FAILURE_LABELS: Record<string, string> = {
  'email-not-confirmed': 'email address not confirmed as secure',
  mismatch: 'children’s details did not match',
  'unexpected-child': 'a child not in the request was named',
  'no-checkable-child': 'no child could be checked',
};

export function requesterDetails(r: CopyRequest): Array<{ label: string; value: string }> {
  const q = r.requester;
  const rows = [{ label: 'Who asked', value: REQUESTER_TYPE_LABELS[q.type] }];
  switch (q.type) {
    case 'court':
      rows.push(
        { label: 'Contact', value: q.contactName },
        { label: 'Court', value: q.courtName },
        { label: 'Court reference', value: q.courtReference },
      );
      break;
    case 'complaints-service':
      rows.push(
        { label: 'Contact', value: q.contactName },
        { label: 'Complaint or access to records reference', value: q.complaintReference },
      );
      break;
    case 'qa-service':
      rows.push(
        { label: 'Contact', value: q.contactName },
        {
          label: 'Purpose',
          value: q.purpose === 'audit' ? 'Quality control and audit' : 'Investigating a complex complaint',
        },
      );
      if (q.complaintReference) rows.push({ label: 'Complaint reference', value: q.complaintReference });
      break;
    case 'local-authority':
      rows.push({ label: 'Contact', value: q.contactName }, { label: 'Local authority', value: q.authorityName });
      if (q.authorityReference) rows.push({ label: 'Their reference', value: q.authorityReference });
      rows.push({
        label: 'Purpose',
        value: q.purpose === 'transfer-in' ? 'Its transfer-in conference' : 'Another purpose',
      });
      break;
    default:
      break;
  }
  return rows;
}

/** The requests service's queries: what its pages and the API read. */
export class RequestQueries extends RequestSupport {
  /**
   * the work queue: open requests the actor may see, soonest due first, with RAG status and counts by step;
   * filtered by step, status and "mine". A chair or social worker sees only their own. Audited.
   */
  async queue(actor: Actor, filter: QueueFilterInput, ctx: RequestContext): Promise<WorkQueueView> {
    await this.requireViewRole(actor, ctx, 'copy-request.queue', { type: 'copy-request-queue', id: 'all' });
    const onlyOwn = !hasAnyRole(actor, WHOLE_QUEUE_ROLES);
    const applied = {
      steps: (filter.steps ?? []).filter((s) => (REQUEST_STATES as readonly string[]).includes(s)),
      statuses: (filter.statuses ?? []).filter((s) => ['overdue', 'due-soon', 'on-track'].includes(s)),
      mine: filter.mine === true,
      includeFinished: filter.includeFinished === true,
    };
    return this.deps.uow.run(async (repos) => {
      const today = londonDateOf(this.deps.clock.now());
      const chairOnly = onlyOwn && actor.roles.includes('chair') && !actor.roles.includes('social_worker');
      // Finished requests are read only when they can be shown (asked for, or a finished step chosen): the queue
      // of open requests does not grow with every request ever closed.
      const wantsFinished = applied.includeFinished || applied.steps.some((s) => isFinal(s));
      const records = await repos.copyRequests.list({
        ...(applied.mine || chairOnly ? { chairId: actor.id } : {}),
        ...(wantsFinished ? {} : { states: REQUEST_STATES.filter((s) => !isFinal(s)) }),
      });
      const visible = await this.visibleRecords(repos, actor, records);
      const items = buildWorkQueue(
        visible.map((r) => ({ ...r.request, id: r.id })),
        today,
        this.rules,
      );
      const counts = countByStep(items);
      const shown = buildWorkQueue(
        visible.map((r) => ({ ...r.request, id: r.id })),
        today,
        this.rules,
        { steps: applied.steps, statuses: applied.statuses, includeFinished: applied.includeFinished },
      );
      const byId = new Map(visible.map((r) => [r.id, r]));
      const caches: SummaryCaches = { users: new Map<string, string>(), conferences: new Map() };
      await prefetchSummaries(
        repos,
        shown.map((item) => byId.get(item.request.id)!),
        caches,
      );
      const rows: RequestSummaryRow[] = [];
      for (const item of shown)
        rows.push(await summaryRow(repos, byId.get(item.request.id)!, today, caches, this.rules));
      await repos.audit.record({
        action: 'copy-request.queue',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { shown: rows.length, steps: applied.steps, statuses: applied.statuses },
      });
      return { rows, counts, filter: applied, onlyOwn };
    });
  }

  /** The records whose every conference child the actor may see (a list filter: not audited as denials). */
  protected async visibleRecords(
    repos: Repositories,
    actor: Actor,
    records: CopyRequestRecord[],
  ): Promise<CopyRequestRecord[]> {
    // Every conference's children, then every child's access facts: two statements however long the queue.
    const childrenOf = await repos.convening.conferenceChildIdsMany([...new Set(records.map((r) => r.conferenceId))]);
    const facts = await repos.people.childAccessFactsMany([...new Set([...childrenOf.values()].flat())]);
    const conferenceOk = new Map<string, boolean>();
    for (const [conferenceId, childIds] of childrenOf)
      conferenceOk.set(
        conferenceId,
        childIds.length > 0 &&
          childIds.every((id) => {
            const f = facts.get(id);
            return f !== undefined && canViewChild(actor, f).allowed;
          }),
      );
    return records.filter((r) => conferenceOk.get(r.conferenceId) === true);
  }

  /**
   * "Record a request" from the work queue: the children found by name or local case reference
   * (only those the actor may see; the search is audited without its values), then their conferences
   * whose every child the actor may see, newest first. `more` says the search found more children than shown.
   */
  async findConferences(
    actor: Actor,
    search: { name: string; reference: string },
    ctx: RequestContext,
  ): Promise<{ conferences: Array<ConferenceRef & { recordings: number; status: string }>; more: boolean }> {
    const found = await this.deps.people.searchChildren(actor, search, ctx);
    const conferences = await this.conferencesToRequest(
      actor,
      found.results.map((c) => c.id),
      ctx,
    );
    return { conferences, more: found.more };
  }

  /**
   * For "Record a request": the conferences of these children, newest first, each with its stored
   * recordings, keeping only those whose every child the actor may see (the request's own access rule).
   * The children come from the person's own search, which checks access to each child.
   */
  async conferencesToRequest(
    actor: Actor,
    childIds: readonly string[],
    ctx: RequestContext,
  ): Promise<Array<ConferenceRef & { recordings: number; status: string }>> {
    const subject = { type: 'copy-request-queue', id: 'all' };
    if (!hasAnyRole(actor, REQUEST_STEP_ROLES_RECEIVE))
      await this.denied(ctx, 'copy-request.find-conference', subject, 'role may not record requests for copies');
    return this.deps.uow.run(async (repos) => {
      const listings = await repos.convening.listConferencesForChildren(childIds.filter(isUuid));
      const facts = new Map<string, ChildAccessFacts | null>();
      const out: Array<ConferenceRef & { recordings: number; status: string }> = [];
      for (const c of [...listings].sort((a, b) => b.scheduledDate.localeCompare(a.scheduledDate))) {
        let ok = c.childIds.length > 0;
        for (const id of c.childIds) {
          if (!facts.has(id)) facts.set(id, await repos.people.childAccessFacts(id));
          const f = facts.get(id);
          if (!f || !canViewChild(actor, f).allowed) ok = false;
        }
        if (!ok || out.some((o) => o.id === c.id)) continue;
        const { children: _children, ...ref } = await conferenceRef(repos, c.id);
        const recordings = (await repos.recordings.listForConference(c.id)).filter(
          (r) => r.status === 'stored' && r.kind === 'meeting',
        ).length;
        out.push({ ...ref, recordings, status: c.status });
      }
      await repos.audit.record({
        action: 'copy-request.find-conference',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { childIds: [...childIds], shown: out.length },
      });
      return out;
    });
  }

  /** A conference's requests, for someone who may see every child of it. Audited. */
  async listForConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<RequestSummaryRow[]> {
    await this.requireViewRole(actor, ctx, 'copy-request.list', { type: 'conference', id: conferenceId });
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', 'copy-request.list', ctx, async (repos) => {
      const today = londonDateOf(this.deps.clock.now());
      const records = await repos.copyRequests.list({ conferenceId });
      const caches = { users: new Map<string, string>(), conferences: new Map() };
      const rows: RequestSummaryRow[] = [];
      for (const r of records) rows.push(await summaryRow(repos, r, today, caches, this.rules));
      await repos.audit.record({
        action: 'copy-request.list',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'conference', id: conferenceId },
        outcome: 'success',
        details: { shown: rows.length },
      });
      return rows;
    });
  }

  /**
   * A conference's requests page: its requests and, for someone who may record one, what the form
   * to record a new one needs. Both reads are audited as before.
   */
  async conferenceRequests(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<{ rows: RequestSummaryRow[]; form: ReceiveFormView | null }> {
    const rows = await this.listForConference(actor, conferenceId, ctx);
    const form = hasAnyRole(actor, REQUEST_STEP_ROLES_RECEIVE)
      ? await this.receiveForm(actor, conferenceId, ctx)
      : null;
    return { rows, form };
  }

  /**
   * The request as its page shows it: state, deadline, referral, timeline and the steps the actor may take.
   * Audited as copy-request.view.
   */
  async get(actor: Actor, requestId: string, ctx: RequestContext): Promise<RequestView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.view', async (repos, { record }) => {
      const view = await this.buildView(repos, actor, record);
      await this.audit(repos, ctx, 'copy-request.view', record.id, { state: record.request.state });
      return view;
    });
  }

  /**
   * Everything the request's page shows, in ONE transaction with one access check: the request with its
   * timeline and the steps the actor may take, and once the copy has been sent every secure delivery made
   * for it, newest first. Audited as copy-request.view, and as delivery.summary when deliveries are shown.
   */
  async page(actor: Actor, requestId: string, ctx: RequestContext): Promise<RequestPageView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.view', async (repos, { record }) => {
      const view = await this.buildView(repos, actor, record);
      const deliveries = view.delivery ? await this.deps.deliveries.listWithin(repos, record.id) : [];
      // One entry for the whole page: the request viewed, with how many download links it showed.
      await this.audit(repos, ctx, 'copy-request.view', record.id, {
        state: record.request.state,
        deliveries: deliveries.length,
      });
      return { view, deliveries };
    });
  }

  /** The request's timeline, oldest first. Audited as copy-request.view-steps. */
  async steps(actor: Actor, requestId: string, ctx: RequestContext): Promise<StepView[]> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.view', async (repos, { record }) => {
      const conf = await conferenceRef(repos, record.conferenceId);
      const steps = await this.stepViews(
        repos,
        await repos.copyRequests.listSteps(record.id),
        new Map(conf.children.map((c) => [c.id, c.name])),
        new Map(),
      );
      await this.audit(repos, ctx, 'copy-request.view-steps', record.id);
      return steps;
    });
  }

  protected async buildView(repos: Repositories, actor: Actor, record: CopyRequestRecord): Promise<RequestView> {
    const r = record.request;
    const today = londonDateOf(this.deps.clock.now());
    const users = new Map<string, string>();
    const caches = { users, conferences: new Map() };
    const row = await summaryRow(repos, record, today, caches, this.rules);
    const conf = caches.conferences.get(record.conferenceId)! as Awaited<ReturnType<typeof conferenceRef>>;
    const childNames = new Map(conf.children.map((c) => [c.id, c.name]));
    const named = (ids: readonly string[]) => ids.map((id) => ({ id, name: childNames.get(id) ?? 'A child' }));
    const deadline = requestDeadline(r, this.rules);
    let referral: ReferralView | null = null;
    if (r.referral) {
      const { facts, labels } = await referralFacts(repos, record, londonDateOf(this.deps.clock.now()));
      referral = referralView(r.referral, facts, labels);
    }
    const who = async (id: string) => (await userName(repos, id, users))!;
    const failure = r.verification.lastFailure;
    return {
      ...row,
      version: record.version,
      request: r,
      next: REQUEST_STATE_NEXT[r.state],
      deadline: { due: deadline.due, explanation: deadline.explanation, rule: deadline.ruleId },
      childrenCovered: named(r.childrenCovered),
      childrenWithoutPr: named(r.childrenWithoutPr),
      requesterDetails: requesterDetails(r),
      referral,
      timeline: await this.stepViews(repos, await repos.copyRequests.listSteps(record.id), childNames, users),
      actions: availableActions(r, actor),
      approvalBlockedReason:
        r.state === 'copy-prepared' && r.copy?.preparedBy === actor.id
          ? 'You prepared this copy, so someone else must check and approve it.'
          : null,
      verificationFailure:
        r.state === 'verification-failed' && failure
          ? { attempt: r.verification.failures, staffMessages: failure.staffMessages, at: failure.at }
          : null,
      verificationChildCount: r.referral?.childIds.length ?? 0,
      verificationUnborn: conf.children
        .filter((c) => c.dateOfBirth === null && (r.referral?.childIds ?? []).includes(c.id))
        .map((c) => c.name),
      copy: r.copy
        ? { copyId: r.copy.copyId, preparedBy: await who(r.copy.preparedBy), preparedAt: r.copy.preparedAt }
        : null,
      approval: r.approval ? { approvedBy: await who(r.approval.approvedBy), approvedAt: r.approval.approvedAt } : null,
      delivery: r.delivery
        ? { deliveryId: r.delivery.deliveryId, sentBy: await who(r.delivery.sentBy), sentAt: r.delivery.sentAt }
        : null,
      outcome: r.outcome
        ? { kind: r.outcome.kind, reason: r.outcome.reason, by: await who(r.outcome.by), at: r.outcome.at }
        : null,
      extension: r.extension
        ? {
            reason: r.extension.reason,
            toldOn: r.extension.toldOn,
            by: await who(r.extension.recordedBy),
            at: r.extension.recordedAt,
          }
        : null,
      warnings: record.warnings,
    };
  }

  protected async stepViews(
    repos: Repositories,
    steps: CopyRequestStepRecord[],
    childNames: Map<string, string>,
    users: Map<string, string>,
  ): Promise<StepView[]> {
    const out: StepView[] = [];
    for (const s of steps) {
      const details: Array<{ label: string; value: string }> = [];
      for (const [key, value] of Object.entries(s.details)) {
        const label = DETAIL_LABELS[key];
        if (!label || value === null || value === undefined || value === '') continue;
        let text: string;
        if (
          key === 'childIds' ||
          key === 'childrenWithoutPr' ||
          key === 'mismatchedChildIds' ||
          key === 'caseNoteChildIds' ||
          key === 'unbornCheckedChildIds' ||
          key === 'notCheckedChildIds'
        ) {
          const ids = value as string[];
          if (ids.length === 0) continue;
          text = ids.map((id) => childNames.get(id) ?? 'a child').join(', ');
        } else if (key === 'failures') text = (value as string[]).map((f) => FAILURE_LABELS[f] ?? f).join('; ');
        else if (key === 'notified' || key === 'toldOtherwise') {
          const parties = value as NotifiedParty[];
          if (parties.length === 0) continue;
          text = parties.map((p) => NOTIFIED_PARTY_LABELS[p] ?? p).join(', ');
        } else if (key === 'requesterType') text = REQUESTER_TYPE_SHORT_LABELS[value as RequesterType] ?? String(value);
        else if (
          key === 'receivedOn' ||
          key === 'toldOn' ||
          key === 'due' ||
          key === 'jointConsideration' ||
          key === 'answeredOn'
        )
          text = formatLongDate(value as IsoDate);
        else if (typeof value === 'boolean') {
          if (key === 'adjustment' && !value) continue;
          text = value ? 'Yes' : 'No';
        } else text = String(value);
        details.push({ label, value: text });
      }
      out.push({
        seq: s.seq,
        action: s.action,
        actionLabel:
          s.action === 'warning'
            ? 'Could not be done'
            : s.action === 'advice-asked' || s.action === 'advice-answered'
              ? ADVICE_STEP_LABELS[s.action]
              : REQUEST_ACTION_LABELS[s.action],
        from: s.fromState,
        to: s.toState,
        toLabel: REQUEST_STATE_LABELS[s.toState],
        at: s.at,
        actor: await userName(repos, s.actorId, users),
        details,
      });
    }
    return out;
  }

  /**
   * what the form to record a request on this conference needs: its children, family members with parental
   * responsibility, chairs. Audited.
   */
  async receiveForm(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ReceiveFormView> {
    await this.requireViewRole(actor, ctx, 'copy-request.receive-form', { type: 'conference', id: conferenceId });
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'copy-request.receive-form',
      ctx,
      async (repos, childIds) => {
        const conf = await conferenceRef(repos, conferenceId);
        const people = new Map<string, { id: string; name: string; prChildIds: string[] }>();
        for (const childId of childIds) {
          for (const m of await repos.people.listFamily(childId)) {
            const entry = people.get(m.person.id) ?? { id: m.person.id, name: fullName(m.person), prChildIds: [] };
            if (m.parentalResponsibility) entry.prChildIds.push(childId);
            people.set(m.person.id, entry);
          }
        }
        const chairs = (await repos.accounts.listUsersWithRole('chair'))
          .filter((u) => u.disabledAt === null)
          .map((u) => ({ id: u.id, name: u.name }));
        await repos.audit.record({
          action: 'copy-request.receive-form',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'conference', id: conferenceId },
          outcome: 'success',
        });
        const { children, ...ref } = conf;
        return {
          conference: ref,
          children: children.map((c) => ({ id: c.id, name: c.name, dateOfBirth: c.dateOfBirth })),
          people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
          chairs,
          requesterTypes: REQUESTER_TYPES.map((value) => ({ value, label: REQUESTER_TYPE_LABELS[value] })),
          familyCopiesRefusedReason: familyCopiesRefusedReason(await readCouncilSettings(repos)),
        };
      },
    );
  }

  /** the chair's referral form, pre-filled from the referral being changed or from the record. Audited. */
  async referralForm(actor: Actor, requestId: string, ctx: RequestContext): Promise<ReferralFormView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.referral-form', async (repos, { record }) => {
      const form = await referralFormWithin(repos, record, londonDateOf(this.deps.clock.now()), this.rules);
      await this.audit(repos, ctx, 'copy-request.referral-form', record.id);
      return form;
    });
  }

  /** Validates a referral without saving it (for a check-answers page). */
  async checkReferral(
    actor: Actor,
    requestId: string,
    input: ReferralInput,
    ctx: RequestContext,
  ): Promise<ReferralView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.check-referral', async (repos, { record }) => {
      const { facts, labels } = await referralFacts(repos, record, londonDateOf(this.deps.clock.now()));
      return referralView(validateReferral(input, facts), facts, labels);
    });
  }

  /** What the disclosure copy needs: the referral's recordings and every range withheld, with who approved it (the referring chair). */
  async disclosurePlan(actor: Actor, requestId: string, ctx: RequestContext): Promise<DisclosurePlan> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.disclosure-plan', async (repos, { record }) => {
      const r = record.request;
      if (!r.referral || isFinal(r.state))
        throw new RequestError('INVALID_REQUEST', 'Only an open request with a referral can have a copy made');
      const { facts } = await referralFacts(repos, record, londonDateOf(this.deps.clock.now()));
      const referral = r.referral;
      const approvedBy = r.chairId ?? r.history.find((h) => h.action === 'refer')?.actorId ?? '';
      const withheld = referral.recordingIds.flatMap((id) => {
        const recording = facts.recordings.find((x) => x.id === id);
        if (!recording)
          throw new RequestError(
            'INVALID_REQUEST',
            'A recording named in the referral is no longer stored: the chair must change the referral',
          );
        return withheldFromRecording(referral, recording).items.map((w) => ({
          recordingId: id,
          startMs: w.startMs,
          endMs: w.endMs,
          reason: w.reason,
          explanation: w.explanation,
          approvedBy,
        }));
      });
      return {
        requestId: record.id,
        conferenceId: record.conferenceId,
        recordingIds: [...referral.recordingIds],
        withheld,
      };
    });
  }

  /**
   * The copy's page: the request and the copy made for it, both audited as views. Null when the
   * copy was made for another request.
   */
  async copyPage(
    actor: Actor,
    requestId: string,
    copyId: string,
    ctx: RequestContext,
  ): Promise<{ view: RequestView; copy: CopyStatus } | null> {
    const view = await this.get(actor, requestId, ctx);
    const copy = await this.deps.copies.status(actor, copyId, ctx);
    return copy.requestId === requestId ? { view, copy } : null;
  }

  /**
   * Listening to one file of a copy before approving it: the copy and the request, both audited
   * as views. Null unless the copy is this request's, is ready and has that file.
   */
  async copyFilePage(
    actor: Actor,
    requestId: string,
    copyId: string,
    fileId: string,
    ctx: RequestContext,
  ): Promise<{ view: RequestView; copy: CopyStatus; file: CopyStatus['files'][number] } | null> {
    const copy = await this.deps.copies.status(actor, copyId, ctx);
    const file =
      copy.requestId === requestId && copy.state === 'ready' ? copy.files.find((f) => f.fileId === fileId) : undefined;
    if (!file) return null;
    return { view: await this.get(actor, requestId, ctx), copy, file };
  }
}
