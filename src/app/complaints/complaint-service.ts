/**
 * Complaints about a conference (W-7, 002 §3.12): recorded by the conference team with what the complaint is about,
 * who complained, when and what it says; moved through the council's stages (informal resolution by the chair,
 * formal investigation with an investigator, review panel) and closed with an outcome. While a complaint is open
 * its investigator may view the conference's written record and listen to its recordings (conference-access.ts);
 * closing it ends that access. A case note goes on each child's record when a complaint is recorded and when it
 * closes; every view, change and denial is audited.
 */
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import {
  COMPLAINANT_INVITEE_KINDS,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_STAGE_LABELS,
  COMPLAINT_SUBJECT_LABELS,
  type ComplaintOutcome,
  type ComplaintStage,
  type ComplaintSubject,
  canManageComplaints,
  checkClosing,
  checkNewComplaint,
  checkStageChange,
  isOutcome,
  isStage,
} from '../../domain/complaints/complaints.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  AccessDeniedError,
  ConflictError,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference, auditConferenceDenial, withConferenceAccess } from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { ComplaintRecord } from './ports.ts';

export const COMPLAINT_RECORDED_NOTE_KIND = 'complaint-recorded';
export const COMPLAINT_CLOSED_NOTE_KIND = 'complaint-closed';

export interface ComplaintServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
}

export interface ComplaintView {
  id: string;
  about: Array<{ value: ComplaintSubject; label: string }>;
  complainant: { inviteeId: string | null; name: string };
  receivedOn: string;
  summary: string;
  stage: { value: ComplaintStage; label: string };
  investigator: { userId: string; name: string } | null;
  outcome: { value: ComplaintOutcome; label: string } | null;
  closedOn: string | null;
  open: boolean;
  version: number;
}

export interface ConferenceHeading {
  id: string;
  title: string;
  scheduledDate: string;
}

export interface ConferenceComplaints {
  conference: ConferenceHeading;
  complaints: ComplaintView[];
  /** Parents and young people invited to the conference, who may be named as the complainant. */
  complainants: Array<{ inviteeId: string; name: string }>;
}

export interface ComplaintDetail {
  conference: ConferenceHeading;
  complaint: ComplaintView;
  /** Staff who may be chosen to investigate (only for those who manage complaints). */
  investigators: Array<{ userId: string; name: string }>;
  can: { manage: boolean };
}

export interface NewComplaint {
  about: string[];
  complainantInviteeId: string | null;
  complainantName: string | null;
  receivedOn: string;
  summary: string;
}

export interface StageChange {
  stage: string;
  investigatorUserId: string | null;
  version: number;
}

export interface Closing {
  outcome: string;
  closedOn: string;
  version: number;
}

/** The use cases the complaints pages and API call. */
export interface ComplaintUseCases {
  list(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceComplaints>;
  record(actor: Actor, conferenceId: string, input: NewComplaint, ctx: RequestContext): Promise<ComplaintView>;
  detail(actor: Actor, conferenceId: string, complaintId: string, ctx: RequestContext): Promise<ComplaintDetail>;
  changeStage(
    actor: Actor,
    conferenceId: string,
    complaintId: string,
    input: StageChange,
    ctx: RequestContext,
  ): Promise<ComplaintView>;
  close(
    actor: Actor,
    conferenceId: string,
    complaintId: string,
    input: Closing,
    ctx: RequestContext,
  ): Promise<ComplaintView>;
}

const MANAGE_REFUSAL = 'not a chair, business support, team manager or quality assurance manager';

function heading(conference: MeetingConference): ConferenceHeading {
  return {
    id: conference.id,
    title: CONFERENCE_TYPE_LABELS[conference.type],
    scheduledDate: conference.scheduledDate,
  };
}

interface Scope {
  repos: Repositories;
  conference: MeetingConference;
  childIds: string[];
}

export class ComplaintService implements ComplaintUseCases {
  private readonly deps: ComplaintServiceDeps;

  constructor(deps: ComplaintServiceDeps) {
    this.deps = deps;
  }

  /**
   * Runs `fn` once the caller may see every child in the conference (or, with `investigator`, is the investigator
   * of an open complaint about it) and, unless `check` allows otherwise, manages complaints; a refusal is audited.
   */
  private async within<T>(
    actor: Actor,
    conferenceId: string,
    action: string,
    ctx: RequestContext,
    fn: (scope: Scope) => Promise<T>,
    opts: { investigator?: boolean; lock?: boolean } = {},
  ): Promise<T> {
    const state: { denial: string | null } = { denial: null };
    try {
      return await withConferenceAccess(
        this.deps.uow,
        actor,
        conferenceId,
        'view',
        action,
        ctx,
        async (repos, childIds) => {
          const conference = await repos.meeting.findConference(conferenceId, { lock: opts.lock ?? false });
          if (!conference) throw new NotFoundError('The conference');
          if (!opts.investigator && !canManageComplaints(actor)) {
            state.denial = MANAGE_REFUSAL;
            throw new AccessDeniedError('Only a chair, business support or a manager can do this');
          }
          return fn({ repos, conference, childIds });
        },
        { investigatorMayView: opts.investigator ?? false },
      );
    } catch (err) {
      if (state.denial !== null) await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, state.denial);
      throw err;
    }
  }

  private async complaintOf(
    repos: Repositories,
    conferenceId: string,
    complaintId: string,
    lock = false,
  ): Promise<ComplaintRecord> {
    const found = isUuid(complaintId) ? await repos.complaints.find(complaintId.toLowerCase(), { lock }) : null;
    if (!found || found.conferenceId !== conferenceId) throw new NotFoundError('The complaint');
    return found;
  }

  private async complainants(repos: Repositories, conferenceId: string) {
    const invitees = await repos.meeting.listInvitees(conferenceId);
    return invitees
      .filter((i) => (COMPLAINANT_INVITEE_KINDS as readonly string[]).includes(i.kind))
      .map((i) => ({ inviteeId: i.id, name: i.name }));
  }

  private async view(repos: Repositories, c: ComplaintRecord): Promise<ComplaintView> {
    let name = c.complainantName ?? '';
    if (c.complainantInviteeId) {
      const invitees = await repos.meeting.listInvitees(c.conferenceId);
      name = invitees.find((i) => i.id === c.complainantInviteeId)?.name ?? 'An invitee';
    }
    return {
      id: c.id,
      about: c.about.map((value) => ({ value, label: COMPLAINT_SUBJECT_LABELS[value] })),
      complainant: { inviteeId: c.complainantInviteeId, name },
      receivedOn: c.receivedOn,
      summary: c.summary,
      stage: { value: c.stage, label: COMPLAINT_STAGE_LABELS[c.stage] },
      investigator:
        c.investigatorUserId !== null ? { userId: c.investigatorUserId, name: c.investigatorName ?? '' } : null,
      outcome: c.outcome !== null ? { value: c.outcome, label: COMPLAINT_OUTCOME_LABELS[c.outcome] } : null,
      closedOn: c.closedOn,
      open: c.outcome === null,
      version: c.version,
    };
  }

  /** Staff who could open the written record's and recordings' pages: anyone with a role for children's records. */
  private async investigators(repos: Repositories): Promise<Array<{ userId: string; name: string }>> {
    const users = await repos.accounts.listUsers();
    return users
      .filter(
        (u) => u.disabledAt === null && hasAnyRole({ id: u.id, name: u.name, roles: u.roles }, CHILD_RECORD_ROLES),
      )
      .map((u) => ({ userId: u.id, name: u.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  }

  private today(): string {
    return londonDateOf(this.deps.clock.now());
  }

  private async caseNotes(scope: Scope, kind: string, text: string, ctx: RequestContext): Promise<void> {
    for (const childId of scope.childIds)
      await recordCaseNote(scope.repos, this.deps.clock, { childId, kind, text }, ctx);
  }

  private about(conference: MeetingConference): string {
    return `the ${CONFERENCE_TYPE_LABELS[conference.type].toLowerCase()} on ${formatLongDate(conference.scheduledDate)}`;
  }

  async list(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceComplaints> {
    return this.within(actor, conferenceId, 'complaints.view', ctx, async ({ repos, conference }) => {
      const records = await repos.complaints.listForConference(conferenceId);
      const complaints = await Promise.all(records.map((r) => this.view(repos, r)));
      await auditConference(repos, ctx, 'complaints.view', conferenceId, { complaints: complaints.length });
      return {
        conference: heading(conference),
        complaints,
        complainants: await this.complainants(repos, conferenceId),
      };
    });
  }

  async record(actor: Actor, conferenceId: string, input: NewComplaint, ctx: RequestContext): Promise<ComplaintView> {
    return this.within(actor, conferenceId, 'complaint.record', ctx, async (scope) => {
      const { repos, conference } = scope;
      const complainants = (await this.complainants(repos, conferenceId)).map((c) => c.inviteeId);
      const { problems, checked } = checkNewComplaint(input, this.today(), complainants);
      if (problems.length) throw new InvalidDetailsError(problems);
      const saved = await repos.complaints.insert({
        conferenceId,
        ...checked,
        createdByUserId: actor.id,
        at: this.deps.clock.now(),
      });
      const view = await this.view(repos, saved);
      const about = view.about.map((a) => a.label.toLowerCase()).join('; ');
      await this.caseNotes(
        scope,
        COMPLAINT_RECORDED_NOTE_KIND,
        `A complaint about ${this.about(conference)} was received on ${formatLongDate(view.receivedOn as IsoDate)} (about: ${about}). It is at ${COMPLAINT_STAGE_LABELS.informal.toLowerCase()}.`,
        ctx,
      );
      await auditConference(repos, ctx, 'complaint.record', conferenceId, {
        complaintId: saved.id,
        about: saved.about,
      });
      return view;
    });
  }

  async detail(actor: Actor, conferenceId: string, complaintId: string, ctx: RequestContext): Promise<ComplaintDetail> {
    return this.within(
      actor,
      conferenceId,
      'complaint.view',
      ctx,
      async ({ repos, conference }) => {
        const complaint = await this.complaintOf(repos, conferenceId, complaintId);
        const manage = canManageComplaints(actor);
        const investigating = complaint.investigatorUserId === actor.id && complaint.outcome === null;
        if (!manage && !investigating)
          throw new AccessDeniedError(
            'Only a chair, business support, a manager or the investigator can see this complaint',
          );
        await auditConference(repos, ctx, 'complaint.view', conferenceId, { complaintId: complaint.id });
        return {
          conference: heading(conference),
          complaint: await this.view(repos, complaint),
          investigators: manage && complaint.outcome === null ? await this.investigators(repos) : [],
          can: { manage: manage && complaint.outcome === null },
        };
      },
      { investigator: true },
    );
  }

  async changeStage(
    actor: Actor,
    conferenceId: string,
    complaintId: string,
    input: StageChange,
    ctx: RequestContext,
  ): Promise<ComplaintView> {
    return this.within(
      actor,
      conferenceId,
      'complaint.stage',
      ctx,
      async ({ repos }) => {
        const complaint = await this.complaintOf(repos, conferenceId, complaintId, true);
        if (complaint.outcome !== null) throw new ConflictError('This complaint is closed');
        if (!Number.isSafeInteger(input.version) || complaint.version !== input.version) throw new StaleRecordError();
        const investigatorId = input.investigatorUserId?.toLowerCase() || null;
        const problems = checkStageChange(complaint.stage, input.stage, investigatorId);
        if (!problems.length && investigatorId !== null) {
          const candidates = await this.investigators(repos);
          if (!candidates.some((c) => c.userId === investigatorId))
            problems.push({ field: 'investigator', message: 'Select someone who works with children’s records' });
        }
        if (problems.length || !isStage(input.stage)) throw new InvalidDetailsError(problems);
        const stage = input.stage;
        const updated = await repos.complaints.update(complaint.id, input.version, {
          stage,
          investigatorUserId: stage === 'informal' ? null : investigatorId,
          updatedByUserId: actor.id,
          at: this.deps.clock.now(),
        });
        if (!updated) throw new StaleRecordError();
        await auditConference(repos, ctx, 'complaint.stage', conferenceId, {
          complaintId: complaint.id,
          from: complaint.stage,
          to: stage,
          investigatorUserId: updated.investigatorUserId,
        });
        return this.view(repos, updated);
      },
      { lock: true },
    );
  }

  async close(
    actor: Actor,
    conferenceId: string,
    complaintId: string,
    input: Closing,
    ctx: RequestContext,
  ): Promise<ComplaintView> {
    return this.within(
      actor,
      conferenceId,
      'complaint.close',
      ctx,
      async (scope) => {
        const { repos, conference } = scope;
        const complaint = await this.complaintOf(repos, conferenceId, complaintId, true);
        if (complaint.outcome !== null) throw new ConflictError('This complaint is already closed');
        if (!Number.isSafeInteger(input.version) || complaint.version !== input.version) throw new StaleRecordError();
        const problems = checkClosing(input.outcome, input.closedOn, complaint.receivedOn, this.today());
        if (problems.length || !isOutcome(input.outcome)) throw new InvalidDetailsError(problems);
        const updated = await repos.complaints.update(complaint.id, input.version, {
          outcome: input.outcome,
          closedOn: input.closedOn,
          updatedByUserId: actor.id,
          at: this.deps.clock.now(),
        });
        if (!updated) throw new StaleRecordError();
        await this.caseNotes(
          scope,
          COMPLAINT_CLOSED_NOTE_KIND,
          `The complaint about ${this.about(conference)} received on ${formatLongDate(complaint.receivedOn as IsoDate)} was closed on ${formatLongDate(input.closedOn as IsoDate)} at ${COMPLAINT_STAGE_LABELS[complaint.stage].toLowerCase()}: ${COMPLAINT_OUTCOME_LABELS[input.outcome].toLowerCase()}.`,
          ctx,
        );
        await auditConference(repos, ctx, 'complaint.close', conferenceId, {
          complaintId: complaint.id,
          outcome: input.outcome,
          stage: complaint.stage,
        });
        return this.view(repos, updated);
      },
      { lock: true },
    );
  }
}
