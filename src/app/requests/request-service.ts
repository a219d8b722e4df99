/**
 * Requests for copies of conference recordings (A-1 … A-10): the use cases over the pure workflow in
 * src/domain/requests. Each step loads the request (locked), checks the version the user saw, applies
 * the domain's `applyEvent`, and in the same transaction saves the record, appends its timeline,
 * audits every event and carries out the effects (request-effects.ts): emails through the outbox and
 * A-7 case notes. Emails are handed to the mail service for delivery only after the transaction commits.
 * The read models are in request-queries.ts; what both share is in request-support.ts.
 *
 * The requester's personal data (name, email address, the children's details they give at A-5) is in
 * the stored record only: never in audit details, step details, logs or URLs.
 */
import { hasAnyRole, type Actor } from '../../domain/access/roles.ts';
import { londonDateOf, type IsoDate } from '../../domain/calendar/index.ts';
import {
  applyEvent,
  assessEligibility,
  availableActions,
  canTake,
  newLinkRefusal,
  REQUEST_STEP_ROLES,
  receiveRequest,
  requestDeadline,
  type Applied,
  type Eligibility,
  type RequesterInput,
  type CopyRequest,
  type NotifiedParty,
  type ReferralInput,
  type VerificationReplyInput,
  type ConferenceChildFacts,
} from '../../domain/requests/index.ts';
import { AccessDeniedError, NotFoundError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { familyCopiesRefusedReason } from '../../domain/settings/council-settings.ts';
import { readCouncilSettings } from '../settings/council-settings-service.ts';
import type { Repositories } from '../unit-of-work.ts';
import type { CopyRequestRecord } from './ports.ts';
import { copyReadyWithin, deliveryLiveWithin } from './request-access.ts';
import { recordSteps, StepEffects } from './request-effects.ts';
import { RequestQueries } from './request-queries.ts';
import { buildStepEvent } from './request-step-events.ts';
import { REQUEST_CHANGED, requestReference, type RequestServiceDeps } from './request-support.ts';
import type {
  NewLinkFormView,
  ReceiveFormView,
  ReceiveRequestInput,
  ReferralFormView,
  ReferralView,
  StepInput,
  StepResult,
} from './request-views.ts';

export {
  COPY_SENT_CASE_NOTE_KIND,
  REQUEST_CHANGED,
  requestReference,
  type RequestMail,
  type RequestServiceDeps,
} from './request-support.ts';
export type * from './request-views.ts';

/** A step the domain refused the actor: carried out of the transaction so the denial is audited after the rollback. */
class StepDenied extends Error {
  override readonly cause: AccessDeniedError;
  constructor(cause: AccessDeniedError) {
    super(cause.message);
    this.cause = cause;
  }
}

/** The requests service: its queries (RequestQueries) and its commands, the steps of A-1 … A-10. */
export class RequestService extends RequestQueries {
  private readonly effects: StepEffects;

  constructor(deps: RequestServiceDeps) {
    super(deps);
    this.effects = new StepEffects(deps, this.rules);
  }

  /**
   * a new request's answers, in one call: the form's facts are read (audited as the form), the
   * answers checked without recording anything (the requester's details, and a child or family member
   * not among those listed: every problem at once, as InvalidDetailsError), and with `record` the request
   * is recorded (an ineligible one recorded and refused at once). Eligibility is judged on the date
   * received, or on the conference's date while that is not given; nothing is recorded without it.
   */
  async answerReceive(
    actor: Actor,
    input: { conferenceId: string; receivedOn: IsoDate | null; requester: RequesterInput; chairId: string | null },
    opts: { record: boolean },
    ctx: RequestContext,
  ): Promise<{
    form: ReceiveFormView;
    eligibility: Eligibility;
    recorded: (StepResult & { refusal: { code: string; reason: string } | null }) | null;
  }> {
    const form = await this.receiveForm(actor, input.conferenceId, ctx);
    const requester = input.requester;
    const problems: Array<{ field: string; message: string }> = [];
    let eligibility: Eligibility | null = null;
    try {
      eligibility = assessEligibility({
        requester,
        receivedOn: input.receivedOn ?? form.conference.date,
        conferenceChildren: form.children.map((c) => ({ id: c.id, dateOfBirth: c.dateOfBirth })),
        prChildIds: form.people.find((p) => p.id === requester.personId)?.prChildIds ?? [],
        familyCopiesRefusedReason: form.familyCopiesRefusedReason,
      });
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      problems.push(...err.problems);
    }
    if (requester.type === 'child' && requester.childId && !form.children.some((c) => c.id === requester.childId))
      problems.push({ field: 'childId', message: 'Select the child who is asking' });
    if (requester.type === 'pr-holder' && requester.personId && !form.people.some((p) => p.id === requester.personId))
      problems.push({ field: 'personId', message: 'Select the person who is asking' });
    if (problems.length || !eligibility) throw new InvalidDetailsError(problems);
    if (!opts.record || !input.receivedOn) return { form, eligibility, recorded: null };
    const recorded = await this.receive(
      actor,
      { conferenceId: input.conferenceId, receivedOn: input.receivedOn, requester, chairId: input.chairId },
      ctx,
    );
    return { form, eligibility, recorded };
  }

  /**
   * Records a request. Eligibility is checked against the record: the child's age on the date
   * received, and parental responsibility from the family links. An ineligible request is recorded and
   * refused at once, with the reason.
   */
  async receive(
    actor: Actor,
    input: ReceiveRequestInput,
    ctx: RequestContext,
  ): Promise<StepResult & { refusal: { code: string; reason: string } | null }> {
    const conferenceId = input.conferenceId;
    await this.requireViewRole(actor, ctx, 'copy-request.receive', { type: 'conference', id: conferenceId });
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'copy-request.receive',
      ctx,
      async (repos, childIds) => {
        const conference = await repos.meeting.findConference(conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        const children = await repos.meeting.listChildren(conferenceId);
        const conferenceChildren: ConferenceChildFacts[] = children.map((c) => ({
          id: c.childId,
          dateOfBirth: c.dateOfBirth,
        }));
        const requester = input.requester ?? {};
        const problems: Array<{ field: string; message: string }> = [];
        let prChildIds: string[] | undefined;
        if (requester.type === 'pr-holder' && requester.personId) {
          if (!isUuid(requester.personId) || !(await repos.people.findPerson(requester.personId))) {
            problems.push({
              field: 'personId',
              message: 'Select the person who is asking from the family members listed',
            });
          } else {
            prChildIds = [];
            for (const childId of childIds) {
              const link = await repos.people.findFamilyMember(childId, requester.personId);
              if (link?.parentalResponsibility) prChildIds.push(childId);
            }
          }
        }
        if (requester.type === 'child' && requester.childId && !isUuid(requester.childId)) {
          problems.push({ field: 'childId', message: 'Select the child who is asking from the children listed' });
        }
        let chairId: string | null = null;
        if (input.chairId) {
          const chair = isUuid(input.chairId) ? await repos.accounts.findUserById(input.chairId) : null;
          if (!chair || chair.disabledAt !== null || !chair.roles.includes('chair'))
            problems.push({ field: 'chairId', message: 'Select a chair from the list' });
          else chairId = chair.id;
        }
        let applied: Applied;
        try {
          applied = receiveRequest(
            {
              conferenceId,
              conferenceDate: conference.scheduledDate,
              receivedOn: input.receivedOn as IsoDate,
              requester,
              conferenceChildren,
              ...(prChildIds ? { prChildIds } : {}),
              chairId,
              // The council's policy on copies for the family (003), as it stands in this transaction.
              familyCopiesRefusedReason: familyCopiesRefusedReason(await readCouncilSettings(repos)),
            },
            { actor, at: this.deps.clock.now() },
          );
        } catch (err) {
          if (err instanceof InvalidDetailsError && problems.length)
            throw new InvalidDetailsError([
              ...problems,
              ...err.problems.filter((p) => !problems.some((q) => q.field === p.field)),
            ]);
          throw err;
        }
        if (problems.length) throw new InvalidDetailsError(problems);
        const at = this.deps.clock.now();
        const dueOn = requestDeadline(applied.request, this.rules).due;
        const saved = await repos.copyRequests.insert({ request: applied.request, dueOn, warnings: [], at });
        await recordSteps(repos, ctx, saved.id, { request: { ...applied.request, history: [] } }, applied);
        const outcome = applied.request.outcome;
        return {
          id: saved.id,
          state: applied.request.state,
          version: saved.version,
          warnings: [],
          refusal:
            outcome && outcome.kind === 'refused' ? { code: outcome.code ?? 'REFUSED', reason: outcome.reason } : null,
        };
      },
    );
  }

  /**
   * Takes one step. Everything it causes (the saved record, its timeline, the audit entries, emails
   * in the outbox, case notes, warnings) is written in one transaction; emails are dispatched after it
   * commits. A `version` other than the stored one is a StaleRecordError, and nothing is written.
   */
  async takeStep(
    actor: Actor,
    requestId: string,
    version: number,
    step: StepInput,
    ctx: RequestContext,
  ): Promise<StepResult> {
    const { result } = await this.stepping(actor, ctx, requestId, step.type, (repos, record, messageIds) =>
      this.takeStepWithin(repos, actor, ctx, record, version, step, messageIds),
    );
    return result;
  }

  /**
   * sends the approved copy. In ONE transaction it checks access and the version the user saw,
   * makes the secure delivery (the requester's copy-ready email with the download link goes to the outbox)
   * and records the request as sent (the staff emails and the case note on each child's record). Any
   * problem leaves no delivery, no email and the request unchanged. `copyId` and `email`, when given, must
   * be the approved copy and the address the requester confirmed; by default they are.
   */
  async sendCopy(
    actor: Actor,
    requestId: string,
    version: number,
    input: { copyId?: string | null; email?: string | null },
    ctx: RequestContext,
  ): Promise<StepResult & { deliveryId: string }> {
    const { result, extra } = await this.stepping(actor, ctx, requestId, 'send', async (repos, record, messageIds) => {
      const r = record.request;
      if (!availableActions(r, actor).includes('send') || !r.copy || !r.referral)
        throw new InvalidDetailsError([
          { field: 'send', message: 'The copy can be sent only once it has been approved, by business support' },
        ]);
      if (!Number.isSafeInteger(version) || record.version !== version) throw new StaleRecordError(REQUEST_CHANGED);
      const made = await this.deps.deliveries.createWithin(
        repos,
        actor,
        record,
        { copyId: input.copyId?.trim() || r.copy.copyId, email: input.email?.trim() || r.referral.email },
        ctx,
      );
      messageIds.push(made.messageId);
      const step = { type: 'send', deliveryId: made.deliveryId } as const;
      const taken = await this.takeStepWithin(repos, actor, ctx, record, version, step, messageIds);
      return { ...taken, extra: { deliveryId: made.deliveryId } };
    });
    return { ...result, deliveryId: extra.deliveryId };
  }

  /**
   * the latest link expired or was cancelled before the requester downloaded anything: in ONE transaction the
   * step is checked (business support, a sent request, that link, a reason), a new link like the first (the approved
   * copy, the confirmed address, the same expiry and download allowance, a one-time code) is made and emailed, and the
   * request's timeline records it with the reason. Nothing else about the request changes (it stays sent, sent when it
   * was). A link that is not this request's is not found; any refusal leaves no new link and no email.
   */
  async sendNewLink(
    actor: Actor,
    requestId: string,
    version: number,
    input: { previousDeliveryId: string; reason: string },
    ctx: RequestContext,
  ): Promise<StepResult & { deliveryId: string }> {
    const type = 'send-new-link';
    const { result, extra } = await this.stepping(actor, ctx, requestId, type, async (repos, record, messageIds) => {
      if (!Number.isSafeInteger(version) || record.version !== version) throw new StaleRecordError(REQUEST_CHANGED);
      const previous = await this.deps.deliveries.previousLinkWithin(repos, input.previousDeliveryId, record.id);
      if (!previous) throw new NotFoundError('The download link');
      const step = { type, deliveryId: '', previous, reason: input.reason } as const;
      // The step's own rules first (who, when, which link, the reason), so a refusal makes no link.
      try {
        applyEvent(
          record.request,
          { ...step, deliveryId: 'new' },
          { actor, at: this.deps.clock.now(), rules: this.rules },
        );
      } catch (err) {
        if (err instanceof AccessDeniedError) throw new StepDenied(err);
        throw err;
      }
      const made = await this.deps.deliveries.createReplacementWithin(repos, actor, record, previous.deliveryId, ctx);
      messageIds.push(made.messageId);
      const taken = await this.takeStepWithin(
        repos,
        actor,
        ctx,
        record,
        version,
        { ...step, deliveryId: made.deliveryId },
        messageIds,
      );
      return { ...taken, extra: { deliveryId: made.deliveryId } };
    });
    return { ...result, deliveryId: extra.deliveryId };
  }

  /**
   * what the page for sending a new link shows: the link to replace, every link made for the request (the view
   * audited), the new link's limits and, when a new link cannot be sent now, why. Business support only.
   */
  async newLinkForm(
    actor: Actor,
    requestId: string,
    deliveryId: string,
    ctx: RequestContext,
  ): Promise<NewLinkFormView> {
    const action = 'copy-request.new-link-form';
    if (!hasAnyRole(actor, REQUEST_STEP_ROLES['send-new-link'])) {
      await this.deps.uow.run(({ audit }) =>
        audit.record({
          action,
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'copy-request', id: requestId },
          outcome: 'denied',
          details: { reason: 'role may not take this step' },
        }),
      );
      throw new AccessDeniedError('Only business support can send a new download link');
    }
    return this.withRequest(actor, ctx, requestId, action, async (repos, { record }) => {
      const previous = await this.deps.deliveries.previousLinkWithin(repos, deliveryId, record.id);
      if (!previous) throw new NotFoundError('The download link');
      const links = await this.deps.deliveries.summaryWithin(repos, record.id, ctx);
      const link = links.find((l) => l.deliveryId === previous.deliveryId)!;
      const refusal = canTake(record.request, 'send-new-link', actor)
        ? newLinkRefusal(record.request, previous)
        : 'A new link can be sent only once the copy has been sent, and before the request is closed';
      return {
        requestId: record.id,
        reference: requestReference(record),
        version: record.version,
        link,
        links,
        terms: this.deps.deliveries.linkTerms(),
        refusal,
      };
    });
  }

  /**
   * Runs a step's work in one transaction with the request locked, audits a step the domain refused
   * the actor (after the rollback), and dispatches the emails queued once it has committed.
   */
  private async stepping<R extends { result: StepResult }>(
    actor: Actor,
    ctx: RequestContext,
    requestId: string,
    stepType: StepInput['type'],
    work: (repos: Repositories, record: CopyRequestRecord, messageIds: string[]) => Promise<R>,
  ): Promise<R> {
    const messageIds: string[] = [];
    let out: R;
    try {
      out = await this.withRequest(
        actor,
        ctx,
        requestId,
        `copy-request.${stepType}`,
        (repos, { record }) => work(repos, record, messageIds),
        { lock: true },
      );
    } catch (err) {
      if (err instanceof StepDenied) {
        await this.deps.uow.run(({ audit }) =>
          audit.record({
            action: `copy-request.${stepType}`,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'copy-request', id: requestId },
            outcome: 'denied',
            details: { reason: 'role may not take this step' },
          }),
        );
        throw err.cause;
      }
      throw err;
    }
    if (messageIds.length) await this.deps.mail.dispatch(...messageIds);
    return out;
  }

  /**
   * The inside of a step, in the caller's transaction with the request locked: checks the version,
   * applies the domain event, carries out its effects and saves the record and its timeline. A step
   * the domain refuses the actor is thrown as StepDenied (for `stepping` to audit).
   */
  private async takeStepWithin(
    repos: Repositories,
    actor: Actor,
    ctx: RequestContext,
    record: CopyRequestRecord,
    version: number,
    step: StepInput,
    messageIds: string[],
  ): Promise<{ result: StepResult; request: CopyRequest }> {
    if (!Number.isSafeInteger(version) || record.version !== version) throw new StaleRecordError(REQUEST_CHANGED);
    const before = record.request;
    // Read in this transaction: a copy ready and made for this request, a delivery live and made for it.
    const copyReady = step.type === 'prepare-copy' && (await copyReadyWithin(repos, step.copyId.trim(), record.id));
    const deliveryReady =
      step.type === 'send' &&
      (await deliveryLiveWithin(repos, step.deliveryId.trim(), record.id, this.deps.clock.now()));
    const today = londonDateOf(this.deps.clock.now());
    const built = await buildStepEvent(repos, record, step, { copyReady, deliveryReady }, today);
    let applied: Applied;
    try {
      applied = applyEvent(before, built.event, { actor, at: this.deps.clock.now(), rules: this.rules });
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new StepDenied(err);
      throw err;
    }
    const at = this.deps.clock.now();
    const effects = await this.effects.carryOut(repos, ctx, record, applied, messageIds);
    const warnings = [...record.warnings, ...effects.warnings.map((text) => ({ at, text }))];
    const dueOn = requestDeadline(applied.request, this.rules).due;
    const newVersion = await repos.copyRequests.update(record.id, version, {
      request: applied.request,
      dueOn,
      warnings,
      at,
    });
    if (newVersion === null) throw new StaleRecordError(REQUEST_CHANGED);
    await recordSteps(repos, ctx, record.id, record, applied, { ...built.details, ...effects.details });
    if (effects.warnings.length) {
      await repos.copyRequests.appendSteps(
        record.id,
        effects.warnings.map((text) => ({
          action: 'warning',
          fromState: applied.request.state,
          toState: applied.request.state,
          at,
          actorId: actor.id,
          details: { text },
        })),
      );
    }
    return {
      result: { id: record.id, state: applied.request.state, version: newVersion, warnings: effects.warnings },
      request: applied.request,
    };
  }

  /**
   * the chair's referral as answered on the form, in one call: the form's facts are read, the
   * answers checked against the record (every problem at once, with a missing reason for changing a
   * referral first), and with `send` the referral is sent, or the referral being changed is changed.
   * Joint consideration is kept only for a child's request. Returns the form's facts, the referral as
   * it will be sent, and what was done (null when only checked).
   */
  async answerReferral(
    actor: Actor,
    requestId: string,
    input: ReferralInput,
    opts: { send: boolean; amendReason: string },
    ctx: RequestContext,
  ): Promise<{ form: ReferralFormView; summary: ReferralView; done: 'referred' | 'referral-amended' | null }> {
    const form = await this.referralForm(actor, requestId, ctx);
    const referral = form.needsJointConsideration ? input : { ...input, jointConsideration: null };
    const amendReason = opts.amendReason.trim();
    const problems =
      form.amending && !amendReason
        ? [{ field: 'amendReason', message: 'Give the reason for changing the referral' }]
        : [];
    let summary: ReferralView;
    try {
      summary = await this.checkReferral(actor, requestId, referral, ctx);
    } catch (err) {
      if (err instanceof InvalidDetailsError && problems.length)
        throw new InvalidDetailsError([...problems, ...err.problems]);
      throw err;
    }
    if (problems.length) throw new InvalidDetailsError(problems);
    if (!opts.send) return { form, summary, done: null };
    const version = form.request.version;
    if (form.amending) await this.amendReferral(actor, requestId, version, referral, amendReason, ctx);
    else await this.refer(actor, requestId, version, referral, ctx);
    return { form, summary, done: form.amending ? 'referral-amended' : 'referred' };
  }

  /** the chair refers the request to business support with a complete referral (one step). */
  refer(
    actor: Actor,
    requestId: string,
    version: number,
    referral: ReferralInput,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'refer', referral }, ctx);
  }

  /** the chair changes the referral, with the reason; the request goes back to business support to check. */
  amendReferral(
    actor: Actor,
    requestId: string,
    version: number,
    referral: ReferralInput,
    reason: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'amend-referral', referral, reason }, ctx);
  }

  /** business support records queries with the chair as resolved (an optional note). */
  resolveQueries(
    actor: Actor,
    requestId: string,
    version: number,
    note: string | null,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'resolve-queries', note }, ctx);
  }

  /** business support records the parts listened to and that it is the right recording. */
  checkRecording(
    actor: Actor,
    requestId: string,
    version: number,
    input: { partsListened: string; confirmedRightRecording: boolean },
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'check-recording', ...input }, ctx);
  }

  /**
   * emails the requester (at the referral's address) to confirm it is secure and give the children's
   * details.
   */
  requestVerification(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'request-verification' }, ctx);
  }

  /** the reply as typed in, compared with the children's records (one transaction). */
  async recordVerification(
    actor: Actor,
    requestId: string,
    version: number,
    reply: VerificationReplyInput,
    ctx: RequestContext,
  ): Promise<StepResult & { matched: boolean; staffMessages: string[] }> {
    const step = { type: 'record-verification', reply } as const;
    const { result, request } = await this.stepping(actor, ctx, requestId, step.type, (repos, record, messageIds) =>
      this.takeStepWithin(repos, actor, ctx, record, version, step, messageIds),
    );
    const matched = result.state === 'verified';
    return {
      ...result,
      matched,
      staffMessages: matched ? [] : (request.verification.lastFailure?.staffMessages ?? []),
    };
  }

  /** after details that did not match, lets business support ask the requester again (with a note). */
  resumeVerification(
    actor: Actor,
    requestId: string,
    version: number,
    note: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'resume-verification', note }, ctx);
  }

  /** records the disclosure copy as prepared: it must be ready and made for this request. */
  prepareCopy(
    actor: Actor,
    requestId: string,
    version: number,
    copyId: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'prepare-copy', copyId }, ctx);
  }

  /** a second person (not whoever prepared it) approves the copy. */
  approveCopy(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'approve-copy' }, ctx);
  }

  /** sends the copy back to be prepared again, with the reason. */
  rejectCopy(
    actor: Actor,
    requestId: string,
    version: number,
    reason: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'reject-copy', reason }, ctx);
  }

  /**
   * records the copy as sent through an existing live delivery of this request. Staff pages use
   * `sendCopy`, which makes the delivery too.
   */
  send(actor: Actor, requestId: string, version: number, deliveryId: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'send', deliveryId }, ctx);
  }

  /** records who was told the copy was sent, including anyone business support told another way. */
  recordNotifications(
    actor: Actor,
    requestId: string,
    version: number,
    ctx: RequestContext,
    toldOtherwise: readonly NotifiedParty[] = [],
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'record-notifications', toldOtherwise }, ctx);
  }

  /** Closes the request once the copy has been sent and everyone told. */
  close(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'close' }, ctx);
  }

  /** Refuses the request, with the reason. */
  refuse(actor: Actor, requestId: string, version: number, reason: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'refuse', reason }, ctx);
  }

  /** Records the request as withdrawn by the requester, with the reason. */
  withdraw(actor: Actor, requestId: string, version: number, reason: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'withdraw', reason }, ctx);
  }

  /** extends the time limit for a complex request, with the reason and the date the requester was told. */
  extend(
    actor: Actor,
    requestId: string,
    version: number,
    input: { reason: string; toldOn: string },
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'extend', ...input }, ctx);
  }

  /**
   * starts making the disclosure copy for the request's referral (its recordings, every range
   * withheld and who approved it). The copy is made by a job; its page shows the progress.
   */
  async startCopy(actor: Actor, requestId: string, ctx: RequestContext): Promise<{ copyId: string }> {
    const plan = await this.disclosurePlan(actor, requestId, ctx);
    return this.deps.copies.start(
      actor,
      { requestId, conferenceId: plan.conferenceId, recordingIds: plan.recordingIds, withheld: plan.withheld },
      ctx,
    );
  }

  /**
   * cancels a download link made for this request once the copy has been sent. A link of another
   * request, or before sending, is not found; who may cancel, and the reason, are the delivery service's.
   */
  async cancelLink(
    actor: Actor,
    requestId: string,
    deliveryId: string,
    reason: string,
    ctx: RequestContext,
  ): Promise<void> {
    const ours = await this.withRequest(
      actor,
      ctx,
      requestId,
      'delivery.revoked',
      async (repos, { record }) =>
        record.request.delivery !== null &&
        isUuid(deliveryId) &&
        (await repos.deliveries.find(deliveryId))?.requestId === record.id,
    );
    if (!ours) throw new NotFoundError('The download link');
    await this.deps.deliveries.revoke(actor, deliveryId, reason, ctx);
  }
}
