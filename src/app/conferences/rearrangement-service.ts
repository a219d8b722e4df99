import { canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import {
  type Deadline,
  type DeadlineRag,
  type IsoDate,
  deadlineStatus,
  formatLongDate,
  londonDateOf,
  weekdayName,
} from '../../domain/calendar/index.ts';
import type { ConveningAssessment } from '../../domain/conferences/convening.ts';
import { formatClockTime, type InvitationMethod } from '../../domain/conferences/invitations.ts';
import { ARRIVED_ON_THE_DAY } from '../../domain/conferences/invitees.ts';
import { nextStatus } from '../../domain/conferences/lifecycle.ts';
import {
  type ArrangementChange,
  type Arrangements,
  type SendingState,
  SENDING_STATE_LABELS,
  arrangementChanges,
  assertPlanned,
  buildCancellationNotice,
  CANCELLED_CASE_NOTE_KIND,
  cancellationCaseNote,
  cancelledConferenceReplaced,
  replacementFrom,
  checkReason,
  describeChanges,
  emailState,
} from '../../domain/conferences/rearrangement.ts';
import {
  AccessDeniedError,
  DomainError,
  NotFoundError,
  type FieldProblem,
  InvalidDetailsError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { MailService } from '../mail/mail-service.ts';
import { recordCaseNote } from '../people/people-service.ts';
import { MailError } from '../mail/templates.ts';
import type { Repositories } from '../unit-of-work.ts';
import { auditConference, withConferenceAccess } from './conference-access.ts';
import type {
  ConferenceOverview,
  ConveneInput,
  ConveningService,
  InviteeView,
  PreparedConvening,
} from './convening-service.ts';
import type { CancellationNoticeRecord, ConferenceChangeRecord, InvitationDispatchRecord } from './lifecycle-ports.ts';
import { type ConferenceServiceDeps, isUuid } from './service-deps.ts';

export interface RearrangementServiceDeps extends ConferenceServiceDeps {
  convening: ConveningService;
  mail: MailService;
  /** Named in cancellation notices; defaults to "Children’s Services". */
  councilName?: string;
}

/** New date, time or venue for a planned conference (as at convening, T-1 … T-4), and why it changed. */
export type RearrangeInput = Pick<
  ConveneInput,
  | 'scheduledDate'
  | 'startTime'
  | 'durationMinutes'
  | 'venueKind'
  | 'venueDetails'
  | 'onlineLink'
  | 'lateAgreedBy'
  | 'lateReason'
> & {
  /** Why the conference is being changed. */
  reason?: string | null | undefined;
};

/** Who is told of a change or a cancellation, and how. */
export interface Recipient {
  inviteeId: string;
  name: string;
  method: 'email' | 'post';
}

export interface PreparedRearrangement {
  overview: ConferenceOverview;
  arrangements: Arrangements;
  changes: ArrangementChange[];
  deadline: Deadline;
  assessment: ConveningAssessment;
  lateAgreedBy: string | null;
  lateReason: string | null;
  reason: string;
  /** Everyone already sent an invitation gets a new copy: by email where they have an address, else to post. */
  reinvite: Recipient[];
}

export interface PreparedCancellation {
  overview: ConferenceOverview;
  reason: string;
  /** Everyone sent an invitation is told: by email where they have an address, else by a letter to post. */
  notify: Recipient[];
}

/** A conference held without being booked in advance: the convening answers, with a past date, and why it is recorded now. */
export interface RecordAfterwardsInput extends ConveneInput {
  afterwardsReason?: string | null | undefined;
}

/** Where one invitee's invitation stands, and their cancellation notice if the conference was cancelled. */
export interface InviteeSending {
  inviteeId: string;
  state: SendingState;
  label: string;
  /** The number of the latest copy issued, or null. */
  issueNumber: number | null;
  hasEmail: boolean;
  /** The text has changed since the latest copy was issued. */
  changedSinceIssued: boolean;
  notice: { state: SendingState; label: string } | null;
}

export interface ConferenceLifecycle {
  changes: ConferenceChangeRecord[];
  sending: InviteeSending[];
  notices: CancellationNoticeRecord[];
  /** Set when the conference was recorded after it was held. */
  recordedAfterwards: ConferenceChangeRecord | null;
  /** Set when the conference was cancelled. */
  cancellation: ConferenceChangeRecord | null;
  /**
   * For a cancelled conference: the children still need a conference of this type within its
   * timescale, until another one (not cancelled) is convened for them.
   */
  stillNeeded: { deadline: Deadline; status: DeadlineRag; workingDaysLeft: number } | null;
  /** Invitees with an email address who would be sent the invitation by "Send all by email". */
  toEmail: number;
  /** Invitees without one whose letter would be recorded as posted by "Record all as posted". */
  toPost: number;
}

/** The invitation letter without its own security marking: the email carries the marking at its top and foot. */
function letterForEmail(body: string): string {
  return body.replace(/^OFFICIAL-SENSITIVE\n+/, '');
}

function whenText(date: IsoDate, startTime: string): string {
  return `${weekdayName(date)} ${formatLongDate(date)} at ${formatClockTime(startTime)}`;
}

/**
 * A convened conference's life before and after the day: its date, time or venue changed (everyone
 * already invited re-invited), its cancellation (everyone invited told), its being recorded after it
 * was held without being booked; and invitations sent by email or recorded as posted. Every change is
 * on the conference's record (`conference_changes`) and audited in the same transaction; emails are
 * queued in that transaction and sent once it commits.
 */
export class RearrangementService {
  private readonly deps: RearrangementServiceDeps;

  constructor(deps: RearrangementServiceDeps) {
    this.deps = deps;
  }

  private today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  // ---------------------------------------------------------------- change the date, time or venue

  /** Checks a change without saving it (for check your answers). Throws InvalidDetailsError listing every problem. */
  async prepareRearrangement(
    actor: Actor,
    conferenceId: string,
    input: RearrangeInput,
    ctx: RequestContext,
  ): Promise<PreparedRearrangement> {
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'edit', 'conference.rearrange', ctx, (repos) =>
      this.checkRearrangement(repos, actor, conferenceId, input),
    );
  }

  /**
   * Changes the date, time or venue of a planned conference. The new date is checked against the
   * statutory timescale as at convening (T-1 … T-4); everyone already sent an invitation is issued a
   * new numbered copy, emailed where they have an address (else to post); the change is kept on the
   * record with what changed, from what to what, who, when and why. All or nothing.
   */
  async rearrange(
    actor: Actor,
    conferenceId: string,
    input: RearrangeInput,
    ctx: RequestContext,
  ): Promise<PreparedRearrangement & { changeId: string }> {
    const messageIds: string[] = [];
    const result = await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.rearrange',
      ctx,
      async (repos) => {
        await repos.convening.lockConference(conferenceId);
        const p = await this.checkRearrangement(repos, actor, conferenceId, input);
        const now = this.deps.clock.now();
        await repos.lifecycle.updateArrangements(conferenceId, p.arrangements, {
          agreedBy: p.lateAgreedBy,
          reason: p.lateReason,
        });
        const changeId = await repos.lifecycle.insertChange(conferenceId, {
          kind: 'rearranged',
          changes: p.changes,
          reason: p.reason,
          lateAgreedBy: p.lateAgreedBy,
          lateReason: p.lateReason,
          changedByUserId: actor.id,
          changedByLabel: ctx.actor.label,
          changedAt: now,
        });
        await auditConference(repos, ctx, 'conference.rearrange', conferenceId, {
          changeId,
          fields: p.changes.map((c) => c.field),
          scheduledDate: p.arrangements.scheduledDate,
          dueRule: p.deadline.ruleId,
          withinTimescale: p.assessment.withinTimescale,
          reinvited: p.reinvite.length,
        });
        const what = describeChanges(p.changes).join('\n');
        for (const r of p.reinvite) {
          const issued = await this.issueCopy(repos, conferenceId, r, actor, ctx, now, {
            template: 'conference-changed',
            values: (letter) => ({
              conference_date: whenText(p.arrangements.scheduledDate, p.arrangements.startTime),
              what_changed: what,
              invitation_letter: letter,
            }),
          });
          if (issued) messageIds.push(issued);
        }
        return { ...p, changeId };
      },
    );
    await this.deps.mail.dispatch(...messageIds);
    return result;
  }

  /**
   * 002 §4.1: a change made elsewhere (the chair) told as a rearrangement is: everyone already sent an invitation is
   * issued a new numbered copy, emailed where they have an address (else to post), saying what changed. In the
   * caller's transaction; the emails are sent with `dispatch` once it commits.
   */
  async reissueWithin(
    repos: Repositories,
    actor: Actor,
    ctx: RequestContext,
    conferenceId: string,
    changes: readonly ArrangementChange[],
  ): Promise<{ reinvited: number; messageIds: string[] }> {
    const overview = await this.deps.convening.readOverview(repos, conferenceId);
    const c = overview.conference;
    const now = this.deps.clock.now();
    const what = describeChanges(changes).join('\n');
    const reinvite = this.recipients(overview, (i) => i.latestIssue !== null);
    const messageIds: string[] = [];
    for (const r of reinvite) {
      const issued = await this.issueCopy(repos, conferenceId, r, actor, ctx, now, {
        template: 'conference-changed',
        values: (letter) => ({
          conference_date: whenText(c.scheduledDate, c.startTime),
          what_changed: what,
          invitation_letter: letter,
        }),
      });
      if (issued) messageIds.push(issued);
    }
    return { reinvited: reinvite.length, messageIds };
  }

  /** Sends emails queued by `reissueWithin` once its transaction has committed. */
  async dispatch(messageIds: readonly string[]): Promise<void> {
    await this.deps.mail.dispatch(...messageIds);
  }

  private async checkRearrangement(
    repos: Repositories,
    actor: Actor,
    conferenceId: string,
    input: RearrangeInput,
  ): Promise<PreparedRearrangement> {
    const overview = await this.deps.convening.readOverview(repos, conferenceId);
    const c = overview.conference;
    assertPlanned(c.status, 'rearrange');
    const problems: FieldProblem[] = [];
    let prepared: PreparedConvening | null = null;
    try {
      prepared = await this.deps.convening.checkArrangementsWithin(repos, actor, {
        childIds: overview.children.map((k) => k.id),
        type: c.type,
        strategyDiscussionDate: c.strategyDiscussionDate,
        expectedDeliveryDate: c.expectedDeliveryDate,
        // T-2 (002 §1.3): a likely premature birth recorded at convening still brings the window earlier.
        prematureBirthLikely: overview.grounds.prematureBirthLikely,
        previousConferenceId: c.previousConference?.id ?? null,
        noticeOfMoveDate: c.noticeOfMoveDate,
        scheduledDate: input.scheduledDate,
        startTime: input.startTime,
        durationMinutes: input.durationMinutes,
        venueKind: input.venueKind,
        venueDetails: input.venueDetails,
        onlineLink: input.onlineLink,
        // The chair and minute taker stay as they are: only the date, time and venue change here.
        chairUserId: c.chair?.id ?? null,
        minuteTakerUserId: c.minuteTaker?.id ?? null,
        lateAgreedBy: input.lateAgreedBy,
        lateReason: input.lateReason,
      });
    } catch (err) {
      if (err instanceof InvalidDetailsError) problems.push(...err.problems);
      else if (err instanceof DomainError && !(err instanceof NotFoundError) && err.code !== 'ACCESS_DENIED')
        problems.push({ field: err.field ?? 'scheduledDate', message: err.message });
      else throw err;
    }
    let reason = '';
    try {
      reason = checkReason(input.reason, 'reason', 'Enter why the conference is being changed');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push({ field: 'reason', message: err.message });
    }
    const before: Arrangements = {
      scheduledDate: c.scheduledDate,
      startTime: c.startTime,
      durationMinutes: c.durationMinutes,
      venueKind: c.venueKind,
      venueDetails: c.venueDetails,
      onlineLink: c.onlineLink,
    };
    let after: Arrangements | null = null;
    let changes: ArrangementChange[] = [];
    if (prepared) {
      const v = prepared.input;
      after = {
        scheduledDate: v.scheduledDate!,
        startTime: v.startTime!,
        durationMinutes: v.durationMinutes!,
        venueKind: v.venueKind!,
        venueDetails: v.venueDetails,
        onlineLink: v.onlineLink,
      };
      changes = arrangementChanges(before, after);
      if (changes.length === 0)
        problems.push({ field: 'scheduledDate', message: 'Change the date, time or venue: they are the same as now' });
    }
    if (problems.length) throw new InvalidDetailsError(problems);
    return {
      overview,
      arrangements: after!,
      changes,
      deadline: prepared!.deadline!,
      assessment: prepared!.assessment!,
      lateAgreedBy: prepared!.input.lateAgreedBy,
      lateReason: prepared!.input.lateReason,
      reason,
      reinvite: this.recipients(overview, (i) => i.latestIssue !== null),
    };
  }

  // ---------------------------------------------------------------- cancel

  async prepareCancellation(
    actor: Actor,
    conferenceId: string,
    input: { reason?: string | null | undefined },
    ctx: RequestContext,
  ): Promise<PreparedCancellation> {
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'edit', 'conference.cancel', ctx, (repos) =>
      this.checkCancellation(repos, conferenceId, input),
    );
  }

  /**
   * Cancels a planned conference with the reason. Everyone who was sent an invitation is given a
   * cancellation notice (kept per invitee), emailed in the same transaction where they have an address,
   * else to be posted. The reason stays on the record: it is never put in the notice.
   */
  async cancel(
    actor: Actor,
    conferenceId: string,
    input: { reason?: string | null | undefined },
    ctx: RequestContext,
  ): Promise<PreparedCancellation & { changeId: string }> {
    const messageIds: string[] = [];
    const result = await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.cancel',
      ctx,
      async (repos, childIds) => {
        await repos.convening.lockConference(conferenceId);
        const p = await this.checkCancellation(repos, conferenceId, input);
        const c = p.overview.conference;
        const now = this.deps.clock.now();
        // The conference is locked and was checked planned above.
        if (!(await repos.lifecycle.markCancelled(conferenceId, p.reason)))
          throw new Error(`Conference ${conferenceId} could not be marked cancelled`);
        const changeId = await repos.lifecycle.insertChange(conferenceId, {
          kind: 'cancelled',
          changes: [],
          reason: p.reason,
          lateAgreedBy: null,
          lateReason: null,
          changedByUserId: actor.id,
          changedByLabel: ctx.actor.label,
          changedAt: now,
        });
        const noticeIds: string[] = [];
        for (const r of p.notify) {
          const invitee = p.overview.invitees.find((i) => i.id === r.inviteeId)!;
          const notice = buildCancellationNotice({
            councilName: this.deps.councilName ?? 'Children’s Services',
            issuedOn: londonDateOf(now),
            type: c.type,
            scheduledDate: c.scheduledDate,
            startTime: c.startTime,
            childGivenNames: p.overview.children.map((k) => k.givenNames),
            recipientName: invitee.name,
            contact: c.minuteTaker ? { name: c.minuteTaker.name, email: c.minuteTaker.email } : null,
          });
          let messageId: string | null = null;
          if (r.method === 'email') {
            messageId = await this.queueEmail(
              repos,
              conferenceId,
              invitee.email!,
              'conference-cancelled',
              { conference_date: whenText(c.scheduledDate, c.startTime), cancellation_notice: notice.body },
              ctx,
            );
          }
          noticeIds.push(
            await repos.lifecycle.insertCancellationNotice(conferenceId, {
              inviteeId: r.inviteeId,
              method: messageId ? 'email' : 'post',
              recipientEmail: messageId ? invitee.email : null,
              outboxMessageId: messageId,
              subject: notice.subject,
              body: notice.body,
              issuedAt: now,
              issuedByUserId: actor.id,
              issuedByLabel: ctx.actor.label,
            }),
          );
          if (messageId) messageIds.push(messageId);
        }
        // Each child's record says the conference was cancelled and by when a new one is needed (the same
        // rule as the conference page), in this transaction.
        const needed = await this.stillNeeded(
          repos,
          { ...p.overview, conference: { ...c, status: 'cancelled' } },
          childIds,
        );
        const text = cancellationCaseNote({
          type: c.type,
          scheduledDate: c.scheduledDate,
          reason: p.reason,
          neededBy: needed ? (needed.deadline.latest ?? needed.deadline.due) : null,
        });
        for (const childId of childIds)
          await recordCaseNote(repos, this.deps.clock, { childId, kind: CANCELLED_CASE_NOTE_KIND, text }, ctx);
        await auditConference(repos, ctx, 'conference.cancel', conferenceId, {
          changeId,
          noticeIds,
          emailed: messageIds.length,
          toPost: noticeIds.length - messageIds.length,
        });
        return { ...p, changeId };
      },
    );
    await this.deps.mail.dispatch(...messageIds);
    return result;
  }

  private async checkCancellation(
    repos: Repositories,
    conferenceId: string,
    input: { reason?: string | null | undefined },
  ): Promise<PreparedCancellation> {
    const overview = await this.deps.convening.readOverview(repos, conferenceId);
    assertPlanned(overview.conference.status, 'cancel');
    const reason = checkReason(input.reason, 'reason', 'Enter why the conference is cancelled');
    // The lifecycle's own rule (planned → cancelled, with a reason) is the backstop.
    nextStatus(overview.conference.status, { type: 'cancel', reason });
    return {
      overview,
      reason,
      notify: this.recipients(
        overview,
        (i) => i.latestIssue !== null || (i.invitationMethod !== null && i.invitationMethod !== ARRIVED_ON_THE_DAY),
      ),
    };
  }

  // ---------------------------------------------------------------- recorded afterwards

  /** Checks a conference to be recorded afterwards without saving it (for check your answers). */
  async prepareRecordAfterwards(
    actor: Actor,
    input: RecordAfterwardsInput,
    ctx: RequestContext,
  ): Promise<PreparedConvening & { afterwardsReason: string }> {
    const problems: FieldProblem[] = [];
    let prepared: PreparedConvening | null = null;
    try {
      prepared = await this.deps.convening.prepareConvening(actor, input, ctx, 'complete', { afterwards: true });
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      problems.push(...err.problems);
    }
    const afterwardsReason = this.afterwardsReason(input, problems);
    if (problems.length) throw new InvalidDetailsError(problems);
    return { ...prepared!, afterwardsReason };
  }

  /**
   * Records a conference that was held without being booked in the service in advance: convened as
   * usual (children, type, timescale, arrangements, chair) but with the date it was held (today or
   * earlier) and the reason it is recorded afterwards, kept on its record. It is then held in the
   * service as any other: register, decisions, plan, summary.
   */
  async recordAfterwards(
    actor: Actor,
    input: RecordAfterwardsInput,
    ctx: RequestContext,
  ): Promise<{ id: string; prepared: PreparedConvening }> {
    const problems: FieldProblem[] = [];
    const afterwardsReason = this.afterwardsReason(input, problems);
    if (problems.length) {
      // Every problem at once: the convening answers are checked too.
      await this.prepareRecordAfterwards(actor, input, ctx);
    }
    return this.deps.convening.convene(actor, input, ctx, {
      afterwards: true,
      within: async (repos, id) => {
        const changeId = await repos.lifecycle.insertChange(id, {
          kind: 'recorded-afterwards',
          changes: [],
          reason: afterwardsReason,
          lateAgreedBy: null,
          lateReason: null,
          changedByUserId: actor.id,
          changedByLabel: ctx.actor.label,
          changedAt: this.deps.clock.now(),
        });
        await auditConference(repos, ctx, 'conference.record-afterwards', id, {
          changeId,
          scheduledDate: input.scheduledDate ?? null,
        });
      },
    });
  }

  private afterwardsReason(input: RecordAfterwardsInput, problems: FieldProblem[]): string {
    try {
      return checkReason(
        input.afterwardsReason,
        'afterwardsReason',
        'Enter why the conference is being recorded after it was held',
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push({ field: 'afterwardsReason', message: err.message });
      return '';
    }
  }

  // ---------------------------------------------------------------- sending invitations

  /**
   * Emails the invitation to everyone invited who has an email address and has not got the current
   * one yet (never sent, changed since, or an email that failed): a new numbered copy each, the letter
   * as the email's text with its R-1 notice. Audited as `conference.invitation.email`.
   */
  async sendAllByEmail(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<{ emailed: number; alreadySent: number; withoutEmail: number }> {
    const messageIds: string[] = [];
    const result = await withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invitation.email',
      ctx,
      async (repos) => {
        await repos.convening.lockConference(conferenceId);
        const overview = await this.deps.convening.readOverview(repos, conferenceId);
        this.assertSending(overview);
        const sending = await this.sendingStates(repos, overview);
        const now = this.deps.clock.now();
        const c = overview.conference;
        let alreadySent = 0;
        let withoutEmail = 0;
        const inviteeIds: string[] = [];
        for (const invitee of this.invited(overview)) {
          if (!invitee.email) {
            withoutEmail++;
            continue;
          }
          const s = sending.get(invitee.id)!;
          if (!this.needsSending(s)) {
            alreadySent++;
            continue;
          }
          const messageId = await this.issueCopy(
            repos,
            conferenceId,
            { inviteeId: invitee.id, name: invitee.name, method: 'email' },
            actor,
            ctx,
            now,
            {
              template: 'conference-invitation',
              values: (letter) => ({
                conference_date: whenText(c.scheduledDate, c.startTime),
                invitation_letter: letter,
              }),
            },
          );
          if (messageId) {
            messageIds.push(messageId);
            inviteeIds.push(invitee.id);
          } else withoutEmail++;
        }
        if (inviteeIds.length === 0 && alreadySent === 0) {
          throw new DomainError(
            'NOBODY_TO_EMAIL',
            withoutEmail
              ? 'Nobody invited has an email address: record the letters as posted instead'
              : 'Nobody has been invited yet',
          );
        }
        await auditConference(repos, ctx, 'conference.invitation.email', conferenceId, { inviteeIds, messageIds });
        return { emailed: inviteeIds.length, alreadySent, withoutEmail };
      },
    );
    await this.deps.mail.dispatch(...messageIds);
    return result;
  }

  /**
   * Records as posted today the letters of everyone invited without an email address: a letter
   * waiting to be posted is marked posted; anyone never sent the current invitation is issued a new
   * numbered copy, recorded as posted. For a cancelled conference, the cancellation letters waiting to
   * be posted are recorded as posted instead. Audited as `conference.invitation.posted`.
   */
  async recordAllPosted(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<{ posted: number }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'edit',
      'conference.invitation.posted',
      ctx,
      async (repos) => {
        await repos.convening.lockConference(conferenceId);
        const overview = await this.deps.convening.readOverview(repos, conferenceId);
        const now = this.deps.clock.now();
        const posted = { at: now, userId: actor.id, label: ctx.actor.label };
        if (overview.conference.status === 'cancelled') {
          const ids: string[] = [];
          for (const n of await repos.lifecycle.listCancellationNotices(conferenceId)) {
            if (n.method === 'post' && !n.postedAt && (await repos.lifecycle.markNoticePosted(n.id, posted)))
              ids.push(n.id);
          }
          if (!ids.length)
            throw new DomainError('NOTHING_TO_POST', 'There are no cancellation letters waiting to be posted');
          await auditConference(repos, ctx, 'conference.cancellation.posted', conferenceId, { noticeIds: ids });
          return { posted: ids.length };
        }
        this.assertSending(overview);
        const sending = await this.sendingStates(repos, overview);
        const inviteeIds: string[] = [];
        for (const invitee of this.invited(overview)) {
          if (invitee.email) continue;
          const s = sending.get(invitee.id)!;
          if (s.state === 'to-post' && !s.changedSinceIssued && s.latest) {
            await repos.lifecycle.markDispatchPosted(s.latest.issueId, posted);
            await repos.convening.markInvitationSent(conferenceId, invitee.id, 'letter', now);
            inviteeIds.push(invitee.id);
          } else if (this.needsSending(s)) {
            const issue = await this.deps.convening.issueInvitationWithin(
              repos,
              conferenceId,
              invitee.id,
              { method: 'letter', at: now, markSent: true },
              actor,
              ctx,
            );
            await repos.lifecycle.insertDispatch(conferenceId, {
              issueId: issue.id,
              inviteeId: invitee.id,
              method: 'post',
              outboxMessageId: null,
              posted,
            });
            inviteeIds.push(invitee.id);
          }
        }
        if (!inviteeIds.length)
          throw new DomainError(
            'NOTHING_TO_POST',
            'There are no letters waiting to be posted: everyone without an email address has been sent the current invitation',
          );
        await auditConference(repos, ctx, 'conference.invitation.posted', conferenceId, { inviteeIds });
        return { posted: inviteeIds.length };
      },
    );
  }

  // ---------------------------------------------------------------- reading

  /** The conference's changes, how each invitation (and cancellation notice) went, and whether a conference is still needed. Audited as `conference.changes.view`. */
  async lifecycle(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceLifecycle> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'conference.changes.view',
      ctx,
      async (repos, childIds) => {
        const overview = await this.deps.convening.readOverview(repos, conferenceId);
        const life = await this.lifecycleWithin(repos, overview, childIds);
        await auditConference(repos, ctx, 'conference.changes.view', conferenceId);
        return life;
      },
    );
  }

  /**
   * The conference's changes, how each invitation went and whether a conference is still needed, read with the
   * caller's repositories from its overview: neither access-checked nor audited, for a use case that already is.
   */
  async lifecycleWithin(
    repos: Repositories,
    overview: ConferenceOverview,
    childIds: readonly string[],
  ): Promise<ConferenceLifecycle> {
    const conferenceId = overview.conference.id;
    const c = overview.conference;
    const changes = await repos.lifecycle.listChanges(conferenceId);
    const notices = await repos.lifecycle.listCancellationNotices(conferenceId);
    const states = await this.sendingStates(repos, overview);
    const sending: InviteeSending[] = overview.invitees.map((i) => {
      const s = states.get(i.id)!;
      const n = notices.find((x) => x.inviteeId === i.id);
      const noticeState: SendingState | null = n
        ? n.method === 'email'
          ? emailState(n.outboxState ?? 'queued')
          : n.postedAt
            ? 'posted'
            : 'to-post'
        : null;
      return {
        inviteeId: i.id,
        state: s.state,
        label: SENDING_STATE_LABELS[s.state],
        issueNumber: i.latestIssue?.issueNumber ?? null,
        hasEmail: i.email !== null,
        changedSinceIssued: s.changedSinceIssued,
        notice: noticeState ? { state: noticeState, label: SENDING_STATE_LABELS[noticeState] } : null,
      };
    });
    const stillNeeded = await this.stillNeeded(repos, overview, childIds);
    const invited = this.invited(overview);
    const open = c.status === 'planned';
    return {
      changes,
      sending,
      notices,
      recordedAfterwards: changes.find((x) => x.kind === 'recorded-afterwards') ?? null,
      cancellation: changes.find((x) => x.kind === 'cancelled') ?? null,
      stillNeeded,
      toEmail: open ? invited.filter((i) => i.email && this.needsSending(states.get(i.id)!)).length : 0,
      toPost: open
        ? invited.filter(
            (i) => !i.email && (states.get(i.id)!.state === 'to-post' || this.needsSending(states.get(i.id)!)),
          ).length
        : notices.filter((n) => n.method === 'post' && !n.postedAt).length,
    };
  }

  /**
   * A child's cancelled conferences whose timescale still has to be met (no other conference of that
   * type convened for the same children since the date it runs from), for the child's list of
   * conferences. Only conferences whose every child the actor may see; the list itself is audited by
   * `listChildConferences`. A denial is audited as `conference.list`.
   */
  async stillNeededForChild(
    actor: Actor,
    childId: string,
    ctx: RequestContext,
  ): Promise<Array<{ conferenceId: string } & NonNullable<ConferenceLifecycle['stillNeeded']>>> {
    let denial: string | null = null;
    try {
      return await this.deps.uow.run(async (repos) => {
        const facts = isUuid(childId) ? await repos.people.childAccessFacts(childId) : null;
        if (!facts) throw new NotFoundError('The child’s record');
        const decision = canViewChild(actor, facts);
        if (!decision.allowed) {
          denial = decision.reason;
          throw new AccessDeniedError();
        }
        const out: Array<{ conferenceId: string } & NonNullable<ConferenceLifecycle['stillNeeded']>> = [];
        for (const l of await repos.convening.listConferencesForChildren([childId])) {
          if (l.status !== 'cancelled') continue;
          let visible = true;
          for (const id of l.childIds) {
            const f = await repos.people.childAccessFacts(id);
            if (!f || !canViewChild(actor, f).allowed) visible = false;
          }
          if (!visible) continue;
          const needed = await this.stillNeeded(repos, await this.deps.convening.readOverview(repos, l.id), l.childIds);
          if (needed) out.push({ conferenceId: l.id, ...needed });
        }
        return out;
      });
    } catch (err) {
      const reason = denial as string | null;
      if (reason !== null) {
        await this.deps.uow.run(({ audit }) =>
          audit.record({
            action: 'conference.list',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'child', id: childId },
            outcome: 'denied',
            details: { reason },
          }),
        );
      }
      throw err;
    }
  }

  /** For a cancelled conference: its timescale, while no other conference of the type has been convened for the same children since the date it runs from. */
  private async stillNeeded(
    repos: Repositories,
    overview: ConferenceOverview,
    childIds: readonly string[],
  ): Promise<ConferenceLifecycle['stillNeeded']> {
    const c = overview.conference;
    if (c.status !== 'cancelled') return null;
    const others = await repos.convening.listConferencesForChildren(childIds);
    const since = replacementFrom(c.type, overview.deadline.from, this.deps.timescales);
    if (
      cancelledConferenceReplaced(
        { id: c.id, type: c.type, status: c.status, scheduledDate: c.scheduledDate, childIds },
        since,
        others,
      )
    )
      return null;
    const s = deadlineStatus(this.today(), overview.deadline.latest ?? overview.deadline.due, this.deps.calendar, 5);
    return { deadline: overview.deadline, status: s.status, workingDaysLeft: s.workingDaysLeft };
  }

  /**
   * The page sending the invitations: the conference's overview (audited as `conference.view`) with its changes, how
   * each invitation went and whether a conference is still needed (audited as `conference.changes.view`).
   */
  async conferenceWithLifecycle(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<{ overview: ConferenceOverview; life: ConferenceLifecycle }> {
    const overview = await this.deps.convening.getConference(actor, conferenceId, ctx);
    const life = await this.lifecycle(actor, conferenceId, ctx);
    return { overview, life };
  }

  /**
   * A child's list of conferences (audited by `listChildConferences`) with, for each cancelled one whose
   * timescale is still to be met, the deadline a new conference is needed by.
   */
  async childConferences(actor: Actor, childId: string, ctx: RequestContext) {
    const list = await this.deps.convening.listChildConferences(actor, childId, ctx);
    const stillNeeded = await this.stillNeededForChild(actor, childId, ctx);
    return { ...list, stillNeeded };
  }

  /** One invitee's cancellation notice, as issued, to print and post or to read; audited as `conference.cancellation.view`. */
  async cancellationNotice(
    actor: Actor,
    conferenceId: string,
    inviteeId: string,
    ctx: RequestContext,
  ): Promise<{ overview: ConferenceOverview; invitee: InviteeView; notice: CancellationNoticeRecord }> {
    return withConferenceAccess(
      this.deps.uow,
      actor,
      conferenceId,
      'view',
      'conference.cancellation.view',
      ctx,
      async (repos) => {
        const overview = await this.deps.convening.readOverview(repos, conferenceId);
        const invitee = overview.invitees.find((i) => i.id === inviteeId);
        const notice = (await repos.lifecycle.listCancellationNotices(conferenceId)).find(
          (n) => n.inviteeId === inviteeId,
        );
        if (!invitee || !notice) throw new NotFoundError('The cancellation notice');
        await auditConference(repos, ctx, 'conference.cancellation.view', conferenceId, {
          inviteeId,
          noticeId: notice.id,
        });
        return { overview, invitee, notice };
      },
    );
  }

  // ---------------------------------------------------------------- internals

  /** People on the invitation list (not those who came on the day uninvited). */
  private invited(overview: ConferenceOverview): InviteeView[] {
    return overview.invitees.filter((i) => i.invitationMethod !== ARRIVED_ON_THE_DAY);
  }

  private recipients(overview: ConferenceOverview, include: (i: InviteeView) => boolean): Recipient[] {
    return this.invited(overview)
      .filter(include)
      .map((i) => ({ inviteeId: i.id, name: i.name, method: i.email ? ('email' as const) : ('post' as const) }));
  }

  private assertSending(overview: ConferenceOverview): void {
    if (overview.conference.status !== 'planned') {
      throw new DomainError(
        'CONFERENCE_CLOSED',
        `This conference is ${overview.statusLabel.toLowerCase()}: invitations can no longer be sent`,
      );
    }
  }

  /** Not sent, a failed email, or a copy older than the current text: the person needs the invitation (again). */
  private needsSending(s: { state: SendingState; changedSinceIssued: boolean }): boolean {
    return s.state === 'not-sent' || s.state === 'failed' || s.changedSinceIssued;
  }

  /** Each invitee's latest copy and how it went. */
  private async sendingStates(
    repos: Repositories,
    overview: ConferenceOverview,
  ): Promise<
    Map<string, { state: SendingState; changedSinceIssued: boolean; latest: InvitationDispatchRecord | null }>
  > {
    const dispatches = new Map(
      (await repos.lifecycle.listDispatches(overview.conference.id)).map((d) => [d.issueId, d]),
    );
    const out = new Map<
      string,
      { state: SendingState; changedSinceIssued: boolean; latest: InvitationDispatchRecord | null }
    >();
    // Every issued invitation against its current text, the children and families read once for the list.
    const changed = await this.deps.convening.invitationsChangedWithin(repos, overview);
    for (const i of overview.invitees) {
      if (!i.latestIssue) {
        out.set(i.id, {
          state: i.invitationMethod !== null && i.invitationMethod !== ARRIVED_ON_THE_DAY ? 'recorded' : 'not-sent',
          changedSinceIssued: false,
          latest: null,
        });
        continue;
      }
      const d = dispatches.get(i.latestIssue.id) ?? null;
      const state: SendingState = !d
        ? 'recorded'
        : d.method === 'email'
          ? emailState(d.outboxState ?? 'queued')
          : d.postedAt
            ? 'posted'
            : 'to-post';
      out.set(i.id, {
        state,
        changedSinceIssued: changed.get(i.id) ?? false,
        latest: d,
      });
    }
    return out;
  }

  /**
   * Issues a new numbered copy of one invitation now: emailed (the message id is returned) where the
   * person has an address the mail service accepts, otherwise as a letter to post.
   */
  private async issueCopy(
    repos: Repositories,
    conferenceId: string,
    r: Recipient,
    actor: Actor,
    ctx: RequestContext,
    now: Date,
    email: { template: string; values: (letter: string) => Record<string, string> },
  ): Promise<string | null> {
    const overview = await this.deps.convening.readOverview(repos, conferenceId);
    const invitee = overview.invitees.find((i) => i.id === r.inviteeId);
    if (!invitee) throw new NotFoundError('The invitation');
    const method: InvitationMethod = r.method === 'email' && invitee.email ? 'email' : 'letter';
    const issue = await this.deps.convening.issueInvitationWithin(
      repos,
      conferenceId,
      invitee.id,
      { method, at: now, markSent: method === 'email' },
      actor,
      ctx,
    );
    if (method === 'email') {
      const messageId = await this.queueEmail(
        repos,
        conferenceId,
        invitee.email!,
        email.template,
        email.values(letterForEmail(issue.body)),
        ctx,
      );
      if (messageId) {
        await repos.lifecycle.insertDispatch(conferenceId, {
          issueId: issue.id,
          inviteeId: invitee.id,
          method: 'email',
          outboxMessageId: messageId,
          posted: null,
        });
        return messageId;
      }
    }
    await repos.lifecycle.insertDispatch(conferenceId, {
      issueId: issue.id,
      inviteeId: invitee.id,
      method: 'post',
      outboxMessageId: null,
      posted: null,
    });
    return null;
  }

  /** Queues an email in the caller's transaction; null when the address is not one the mail service accepts (the letter is posted instead). */
  private async queueEmail(
    repos: Repositories,
    conferenceId: string,
    to: string,
    template: string,
    values: Record<string, string>,
    ctx: RequestContext,
  ): Promise<string | null> {
    try {
      const { messageId } = await this.deps.mail.queueWithin(repos, {
        template,
        to,
        values,
        about: { subjectType: 'conference', subjectId: conferenceId, ctx },
      });
      return messageId;
    } catch (err) {
      if (err instanceof MailError && err.code === 'INVALID_ADDRESS') return null;
      throw err;
    }
  }
}
