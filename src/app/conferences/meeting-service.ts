/**
 * The conference on the day, for the chair: opening it with the recording reminder (R-1), the register
 * per part (002 §3.2), quoracy from the register (Q-1), decisions per child with agencies' views and
 * dissent (002 §3.6, D-1), the plan with its dates (T-3, T-9), the Worries / Positives / Changes summary
 * (003) and the child's views, and concluding it. Every read and change is checked with
 * `withConferenceAccess` and audited in the same unit of work; once the conference is held, a change to a
 * decision, plan or summary is a new version with its reason, never an overwrite.
 */
import { canViewChild } from '../../domain/access/child-access.ts';
import { type Actor, type Role, hasAnyRole } from '../../domain/access/roles.ts';
import { type Deadline, type IsoDate, formatLongDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  type AttendanceStatus,
  type Exclusion,
  presumedToAttend,
  validateAttendance,
} from '../../domain/conferences/attendance.ts';
import {
  type AgencyView,
  type Category,
  CATEGORIES,
  CATEGORY_LABELS,
  CONFERENCE_TYPE_LABELS,
  type Outcome,
  OUTCOME_LABELS,
  assessChildDecision,
  outcomeHasPlan,
} from '../../domain/conferences/decisions.ts';
import {
  ARRIVED_ON_THE_DAY,
  type CscStaffRole,
  type InviteeKind,
  isSupporterKind,
  mayBeExcluded,
  mayJoinCoreGroup,
  mayUseInterpreter,
} from '../../domain/conferences/invitees.ts';
import { type ConferenceStatus, nextStatus } from '../../domain/conferences/lifecycle.ts';
import { NotTheChairError, actsAsChair } from '../../domain/conferences/chair-cover.ts';
import {
  type ExclusionExtent,
  type OpeningInput,
  type PartInput,
  type PlanInput,
  type ReferralInput,
  type RegisterEntry,
  agenciesPresent,
  assertRecordOpen,
  assessReferralReview,
  changeReasonFor,
  checkAgencyViews,
  clashesInPart,
  formatClockTime,
  nextReviewDeadline,
  parseClockTime,
  planEndedMeetingDeadline,
  REMINDER_POINT_IDS,
  validateAdjournment,
  validateChildViews,
  validateEndTime,
  validateOpening,
  validatePart,
  validatePlan,
  validatePlanEnded,
  validateReferral,
  validateSummary,
} from '../../domain/conferences/meeting.ts';
import type { ExclusionDetailsRecord } from '../participation/ports.ts';
import {
  type ExclusionDetailsInput,
  checkExclusionDetails,
  excludedViewsText,
  exclusionReasonText,
} from '../../domain/participation/exclusion.ts';
import { type QuoracyResult, assessQuoracy } from '../../domain/conferences/quoracy.ts';
import {
  type RelationshipKind,
  ageOn,
  validatePersonDetails,
  validateProfessional,
} from '../../domain/people/index.ts';
import {
  AccessDeniedError,
  ConflictError,
  DomainError,
  InvalidDetailsError,
  NotFoundError,
  type FieldProblem,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { recordCaseNote } from '../people/people-service.ts';
import { consentPromptsFor } from '../recording-consent/service.ts';
import type { Repositories } from '../unit-of-work.ts';
import { FieldChecks } from '../checks.ts';
import { auditConference, auditConferenceDenial, withConferenceAccess } from './conference-access.ts';
import { type ConferenceServiceDeps, isUuid } from './service-deps.ts';
import type {
  AttendanceRecord,
  CurrentOutcome,
  DecisionRecord,
  MeetingChild,
  MeetingConference,
  MeetingInvitee,
  MeetingPart,
  PlanRecord,
  SummaryRecord,
} from './meeting-ports.ts';

/** The kind of case note written on a child's record when the conference record is changed after the event. */
export const RECORD_CHANGE_NOTE_KIND = 'conference-record-change';

/** Who may do what in the meeting: read it, keep the register (chair or business support), or chair it. */
type MeetingRole = 'view' | 'register' | 'chair';

/** Who may record the meeting in the browser as it starts: the chair, and business support for the chair. */
export const LIVE_RECORDERS: readonly Role[] = ['chair', 'business_support'];

/** Starts a live recording in the browser (the recordings service, with its own rules and audit). */
export interface LiveRecorder {
  startLive(
    actor: Actor,
    ctx: RequestContext,
    conferenceId: string,
    input: { kind: 'meeting'; partId: string | null },
  ): Promise<{ id: string }>;
}

/** R-1 as the start page asks it: the opening, and whether to record the meeting (in which part, when split). */
export interface StartInput extends OpeningInput {
  record: boolean;
  partId?: string | null;
}

/** What happened to the recording asked for: started (its id), refused by the recorder's rules, or not asked for. */
export type StartResult = { recordingId: string } | { recordingId: null; recordingRefused: boolean };

export interface MeetingPartView extends MeetingPart {
  /** Clock times in England, from the conference's scheduled start. */
  startsAt: string;
  endsAt: string;
}

export interface MeetingChildView extends MeetingChild {
  unborn: boolean;
  /** Whole years on the conference date; null for an unborn child. */
  age: number | null;
  /** 002 §3.2: 12 or over on the conference date. */
  presumedToAttend: boolean;
  /** The latest version, or null when no decision is recorded yet. */
  decision: DecisionRecord | null;
  /** The latest version of the plan (or the T-9 meeting when the plan ends). */
  plan: PlanRecord | null;
  /** What the plan step records for this child, from the latest decision. */
  planStep: 'plan' | 'plan-ended' | null;
  /** 002 §3.7: the lead social worker a team manager appointed after the conference, where the plan names none. */
  appointedLead: { userId: string; name: string | null; appointedAt: Date } | null;
}

export interface MeetingView {
  conference: MeetingConference;
  children: MeetingChildView[];
  parts: MeetingPartView[];
  invitees: MeetingInvitee[];
  attendance: AttendanceRecord[];
  /** Q-1, live from the register. */
  quoracy: QuoracyResult;
  /** Agencies with a professional who attended: they give their views on each decision. */
  agenciesPresent: Array<{ agencyId: string; agencyName: string }>;
  summary: SummaryRecord | null;
  permissions: { chair: boolean; register: boolean };
  /** T-3 for a child who has (or keeps) a plan, T-9 for one whose plan ends, both from the conference date. */
  reviewDeadline: Deadline;
  planEndedDeadline: Deadline;
  /** Why the conference cannot be concluded yet; empty when it can. */
  toConclude: string[];
  /**
   * P-4, P-5: when the family has asked to record, what the chair must do before going on: ask everyone before any
   * discussion, or stop and ask again because someone joined or a new request was made. Empty otherwise.
   */
  recordingConsentPrompts: string[];
  /** 002 §3.2: friends and supporters the chair has barred (shown as barred; never recorded as attending). */
  barredInviteeIds: string[];
  /** 002 §3.2: each exclusion's criteria, the telling of its reasons, and how the person may send their views. */
  exclusionDetails: ExclusionDetailsRecord[];
}

export interface MeetingHistory {
  conference: MeetingConference;
  children: MeetingChild[];
  invitees: MeetingInvitee[];
  decisions: DecisionRecord[];
  plans: PlanRecord[];
  summaries: SummaryRecord[];
}

export interface RegisterInput {
  inviteeId: string;
  /** 'invited' is "not recorded yet"; exclusions are recorded with `recordExclusion`. */
  status: Exclude<AttendanceStatus, 'excluded'>;
  /** Minutes from the part's start: joined late, left early; null when there throughout. */
  joinedAt: number | null;
  leftAt: number | null;
  interpreterUsed: boolean;
  /** Q-1: a professional's agency has had direct contact with the child and family; left out, unchanged. */
  directContact?: boolean | undefined;
}

export type ArrivalInput =
  | { source: 'network'; personId: string; partIds: string[] }
  | { source: 'child'; childId: string; partIds: string[] }
  | { source: 'professional'; professionalId: string; directContact: boolean; partIds: string[] }
  /** Children's social care from a staff account: a child's allocated social worker, or a team manager. */
  | { source: 'staff'; userId: string; partIds: string[] }
  | {
      source: 'new-professional';
      kind: 'professional' | 'interpreter';
      name: string;
      roleTitle: string;
      agencyId: string;
      directContact: boolean;
      partIds: string[];
    }
  | {
      source: 'new-supporter';
      kind: 'friend' | 'supporter' | 'advocate';
      givenNames: string;
      familyName: string;
      partIds: string[];
    };

export interface ArrivalChoices {
  network: Array<{
    personId: string;
    name: string;
    relationships: Array<{ childId: string; relationship: RelationshipKind }>;
  }>;
  children: Array<{ childId: string; name: string }>;
  professionals: Array<{ professionalId: string; name: string; roleTitle: string; agencyName: string }>;
  /** Children's social care staff not yet on the register: allocated social workers first, then team managers. */
  staff: Array<{ userId: string; name: string; role: CscStaffRole }>;
  agencies: Array<{ id: string; name: string; kind: string }>;
}

export interface DecisionInput {
  outcome: string;
  category: string | null;
  reasons: string;
  agencyViews: ReadonlyArray<{ agencyId: string; view: AgencyView; note?: string | null | undefined }>;
  /** D-1: required when more than one agency dissents. */
  referral?: ReferralInput | null | undefined;
  /** Required once the conference is held. */
  changeReason?: string | null | undefined;
}

export type PlanRecordInput = Partial<PlanInput> & {
  leadSocialWorkerUserId: string | null;
  planEndedMeetingDate?: IsoDate | null | undefined;
  changeReason?: string | null | undefined;
};

function latestBy<T extends { version: number }>(rows: readonly T[], key: (r: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const seen = out.get(key(r));
    if (!seen || seen.version < r.version) out.set(key(r), r);
  }
  return out;
}

function toEntry(
  partId: string,
  invitee: MeetingInvitee,
  a: Pick<
    AttendanceRecord,
    'status' | 'joinedAtMinutes' | 'leftAtMinutes' | 'exclusionExtent' | 'exclusionReason' | 'howViewsHeard'
  >,
): RegisterEntry {
  return {
    partId,
    inviteeId: invitee.id,
    personKey: invitee.personId ?? invitee.professionalId ?? invitee.userId ?? invitee.childId ?? invitee.id,
    status: a.status,
    joinedAt: a.joinedAtMinutes,
    leftAt: a.leftAtMinutes,
    exclusion: a.exclusionExtent
      ? { extent: a.exclusionExtent, reason: a.exclusionReason ?? '', howViewsHeard: a.howViewsHeard ?? '' }
      : null,
  };
}

export class MeetingService {
  protected readonly deps: ConferenceServiceDeps;

  constructor(deps: ConferenceServiceDeps) {
    this.deps = deps;
  }

  private today(): IsoDate {
    return londonDateOf(this.deps.clock.now());
  }

  // ================================================================ reading the meeting

  /**
   * Everything the chair's view shows; audited as a view of the conference. `as` asks for a form's
   * role too ('chair', or 'register' for the chair or business support), so a form is never shown to
   * someone who could not send it; that denial is audited like any other.
   */
  async getMeeting(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
    opts: { as?: 'chair' | 'register' } = {},
  ): Promise<MeetingView> {
    return this.withMeeting(
      actor,
      conferenceId,
      opts.as ?? 'view',
      'conference.meeting.view',
      ctx,
      async (repos, conference) => {
        const view = await this.loadView(repos, actor, conference);
        await this.audit(repos, ctx, 'conference.meeting.view', conferenceId, opts.as ? { form: opts.as } : {});
        return view;
      },
      false,
    );
  }

  /** Every version of every decision, plan and summary, with the reasons for changes. */
  async getHistory(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<MeetingHistory> {
    return this.withMeeting(actor, conferenceId, 'view', 'conference.meeting.view', ctx, async (repos, conference) => {
      const { meeting } = repos;
      const history: MeetingHistory = {
        conference,
        children: await meeting.listChildren(conferenceId),
        invitees: await meeting.listInvitees(conferenceId),
        decisions: await meeting.listDecisions(conferenceId),
        plans: await meeting.listPlans(conferenceId),
        summaries: await meeting.listSummaries(conferenceId),
      };
      await this.audit(repos, ctx, 'conference.meeting.view', conferenceId, { part: 'history' });
      return history;
    });
  }

  /**
   * For dashboards and children's records: each child's latest decision and plan (with `nextReviewDate`)
   * from their latest held conference. Children the actor may not see are left out, as in a search.
   */
  async currentOutcomes(
    actor: Actor,
    childIds: readonly string[] | null,
    ctx: RequestContext,
  ): Promise<CurrentOutcome[]> {
    return this.deps.uow.run(async (repos) => {
      const found = await repos.meeting.currentOutcomes(childIds === null ? null : childIds.filter((id) => isUuid(id)));
      const visible: CurrentOutcome[] = [];
      for (const o of found) {
        const facts = await repos.people.childAccessFacts(o.childId);
        if (facts && canViewChild(actor, facts).allowed) visible.push(o);
      }
      await repos.audit.record({
        action: 'conference.outcomes.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: { childIds: visible.map((o) => o.childId) },
      });
      return visible;
    });
  }

  /** People who could be added to the register when they turn up uninvited. */
  async arrivalChoices(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ArrivalChoices> {
    return this.withMeeting(
      actor,
      conferenceId,
      'register',
      'conference.attendance.arrival',
      ctx,
      async (repos, _conference, childIds) => {
        const invitees = await repos.meeting.listInvitees(conferenceId);
        const children = await repos.meeting.listChildren(conferenceId);
        const network = new Map<string, ArrivalChoices['network'][number]>();
        const professionals = new Map<string, ArrivalChoices['professionals'][number]>();
        for (const childId of childIds) {
          for (const m of await repos.people.listFamily(childId)) {
            if (invitees.some((i) => i.personId === m.person.id)) continue;
            const entry = network.get(m.person.id) ?? {
              personId: m.person.id,
              name: `${m.person.givenNames} ${m.person.familyName}`,
              relationships: [],
            };
            entry.relationships.push({ childId, relationship: m.relationship });
            network.set(m.person.id, entry);
          }
          for (const p of await repos.people.listProfessionals(childId)) {
            if (invitees.some((i) => i.professionalId === p.id)) continue;
            professionals.set(p.id, {
              professionalId: p.id,
              name: p.name,
              roleTitle: p.roleTitle,
              agencyName: p.agency.name,
            });
          }
        }
        return {
          network: [...network.values()],
          children: children
            .filter((c) => c.dateOfBirth && !invitees.some((i) => i.childId === c.childId))
            .map((c) => ({ childId: c.childId, name: `${c.givenNames} ${c.familyName}` })),
          professionals: [...professionals.values()],
          staff: (await this.cscStaff(repos, childIds)).filter((s) => !invitees.some((i) => i.userId === s.userId)),
          agencies: (await repos.people.listAgencies()).map((a) => ({ id: a.id, name: a.name, kind: a.kind })),
        };
      },
    );
  }

  // ================================================================ R-1: opening

  /** R-1: the chair has told those present each point about the recording; the conference is now in progress. */
  async openConference(
    actor: Actor,
    conferenceId: string,
    input: OpeningInput,
    ctx: RequestContext,
  ): Promise<{ status: ConferenceStatus; actualStartTime: string }> {
    return this.withMeeting(actor, conferenceId, 'chair', 'conference.open', ctx, (repos, conference) =>
      this.open(repos, conference, input, ctx),
    );
  }

  /**
   * R-1 from the start page, where ticking "Start recording" also records the meeting in the browser.
   * A split conference's recording belongs to one part: a missing part is found before anything opens,
   * with the opening's own problems. Once open, a recording its rules refuse leaves the conference open
   * (`recordingRefused`, for the recorder's start page to explain); only the chair or business support
   * record, so for anyone else the tick is ignored.
   */
  async startConference(
    actor: Actor,
    conferenceId: string,
    input: StartInput,
    ctx: RequestContext,
    recorder: LiveRecorder,
  ): Promise<StartResult> {
    const record = input.record && hasAnyRole(actor, LIVE_RECORDERS);
    const partId = await this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.open',
      ctx,
      async (repos, conference) => {
        const parts = await repos.meeting.listParts(conferenceId);
        let partId = parts.length === 1 ? parts[0]!.id : null;
        if (record && parts.length > 1) {
          partId = parts.find((p) => p.id === input.partId)?.id ?? null;
          if (!partId) {
            throw new InvalidDetailsError([
              ...this.openingProblems(input, conference),
              { field: 'partId', message: 'Select the part of the conference you are recording' },
            ]);
          }
        }
        await this.open(repos, conference, input, ctx);
        return partId;
      },
    );
    if (!record) return { recordingId: null, recordingRefused: false };
    try {
      return { recordingId: (await recorder.startLive(actor, ctx, conferenceId, { kind: 'meeting', partId })).id };
    } catch (err) {
      if (err instanceof DomainError && err.code !== 'ACCESS_DENIED' && err.code !== 'NOT_FOUND')
        return { recordingId: null, recordingRefused: true };
      throw err;
    }
  }

  private async open(
    repos: Repositories,
    conference: MeetingConference,
    input: OpeningInput,
    ctx: RequestContext,
  ): Promise<{ status: ConferenceStatus; actualStartTime: string }> {
    const status = nextStatus(conference.status, { type: 'open' });
    const { actualStartMinutes } = validateOpening(input, {
      scheduledDate: conference.scheduledDate,
      today: this.today(),
    });
    const actualStartTime = formatClockTime(actualStartMinutes);
    await repos.meeting.updateConference(conference.id, {
      status,
      actualStartTime,
      reminderGivenAt: this.deps.clock.now(),
    });
    // The audit says what was recorded, by field; the values are on the conference.
    await this.audit(repos, ctx, 'conference.open', conference.id, {
      fields: ['status', 'actualStartTime', 'reminderGivenAt'],
      reminderPoints: REMINDER_POINT_IDS.filter((id) => input.pointsGiven.includes(id)),
    });
    return { status, actualStartTime };
  }

  /** The opening's problems as a list (a conference not yet due is a problem with no field), to show with others. */
  private openingProblems(input: OpeningInput, conference: MeetingConference): FieldProblem[] {
    try {
      validateOpening(input, { scheduledDate: conference.scheduledDate, today: this.today() });
      return [];
    } catch (err) {
      if (err instanceof InvalidDetailsError) return [...err.problems];
      if (err instanceof DomainError) return [{ field: err.field ?? '', message: err.message }];
      throw err;
    }
  }

  // ================================================================ parts of a split conference

  async addPart(actor: Actor, conferenceId: string, input: PartInput, ctx: RequestContext): Promise<MeetingPart> {
    return this.withMeeting(actor, conferenceId, 'chair', 'conference.part.add', ctx, async (repos, conference) => {
      this.assertRegisterOpen(conference);
      const part = await repos.meeting.insertPart(conferenceId, validatePart(input));
      await this.audit(repos, ctx, 'conference.part.add', conferenceId, { partId: part.id });
      return part;
    });
  }

  /** Moving or shortening a part must not put anyone present in two places at once. */
  async changePart(
    actor: Actor,
    conferenceId: string,
    partId: string,
    input: PartInput,
    ctx: RequestContext,
  ): Promise<MeetingPart> {
    return this.withMeeting(actor, conferenceId, 'chair', 'conference.part.change', ctx, async (repos, conference) => {
      this.assertRegisterOpen(conference);
      const parts = await repos.meeting.listParts(conferenceId);
      const existing = parts.find((p) => p.id === partId);
      if (!existing) throw new NotFoundError('The part');
      const details = validatePart(input);
      const changed = parts.map((p) => (p.id === partId ? { ...p, ...details } : p));
      const invitees = await repos.meeting.listInvitees(conferenceId);
      const entries = this.entries(invitees, await repos.meeting.listAttendance(conferenceId));
      const clash = clashesInPart(partId, changed, entries)[0];
      if (clash) {
        const who = invitees.find((i) => i.id === clash.inviteeId)?.name ?? 'Someone';
        throw new DomainError(
          'TWO_PLACES_AT_ONCE',
          `${who} would then be in two places at once: they are present in ${clash.otherPart} at the same time`,
          'startOffsetMinutes',
        );
      }
      await repos.meeting.updatePart(partId, details);
      await this.audit(repos, ctx, 'conference.part.change', conferenceId, { partId });
      return { ...existing, ...details };
    });
  }

  /** A part can be removed only while nobody's attendance is recorded in it, and never the last one. */
  async removePart(actor: Actor, conferenceId: string, partId: string, ctx: RequestContext): Promise<void> {
    await this.withMeeting(actor, conferenceId, 'chair', 'conference.part.remove', ctx, async (repos, conference) => {
      this.assertRegisterOpen(conference);
      const parts = await repos.meeting.listParts(conferenceId);
      if (!parts.some((p) => p.id === partId)) throw new NotFoundError('The part');
      if (parts.length === 1)
        throw new DomainError('LAST_PART', 'A conference has at least one part: change this one instead');
      if (
        (await repos.meeting.listAttendance(conferenceId)).some((a) => a.partId === partId && a.status !== 'invited')
      ) {
        throw new DomainError('PART_HAS_ATTENDANCE', 'Attendance is recorded for this part: it cannot be removed');
      }
      await repos.meeting.deletePart(partId);
      await this.audit(repos, ctx, 'conference.part.remove', conferenceId, { partId });
    });
  }

  // ================================================================ the register

  /**
   * The register for one part: attended, apologies, absent, joined late or left early, interpreter used,
   * and (for professionals) direct contact for Q-1. Every problem is reported on its person's field
   * (`status-<inviteeId>`), including "a person in two places at once".
   */
  async recordAttendance(
    actor: Actor,
    conferenceId: string,
    partId: string,
    lines: readonly RegisterInput[],
    ctx: RequestContext,
  ): Promise<{ attendance: AttendanceRecord[]; quoracy: QuoracyResult }> {
    return this.withMeeting(
      actor,
      conferenceId,
      'register',
      'conference.attendance.record',
      ctx,
      async (repos, conference) => {
        this.assertRegisterOpen(conference);
        const parts = await repos.meeting.listParts(conferenceId);
        const part = parts.find((p) => p.id === partId);
        if (!part) throw new NotFoundError('The part');
        const invitees = await repos.meeting.listInvitees(conferenceId);
        const existing = await repos.meeting.listAttendance(conferenceId);
        // 002 §3.2: a friend or supporter the chair has barred is never recorded as attending.
        const barred = new Set((await repos.participation.listBars(conferenceId)).map((b) => b.inviteeId));
        const problems = new FieldChecks();
        const rows: AttendanceRecord[] = [];
        const seen = new Set<string>();
        for (const line of lines) {
          const invitee = invitees.find((i) => i.id === line.inviteeId);
          if (!invitee) throw new NotFoundError('The person on the register');
          if (seen.has(invitee.id))
            throw new DomainError('DUPLICATE_LINE', 'Each person appears once on the register', `status-${invitee.id}`);
          seen.add(invitee.id);
          const before = existing.find((a) => a.partId === partId && a.inviteeId === invitee.id);
          const status = line.status as string;
          if (!['invited', 'attended', 'apologies', 'absent'].includes(status)) {
            problems.add(`status-${invitee.id}`, `Select whether ${invitee.name} attended`);
            continue;
          }
          if (status === 'attended' && barred.has(invitee.id)) {
            problems.add(
              `status-${invitee.id}`,
              `${invitee.name} is barred from this conference by the chair: they cannot be recorded as attending`,
            );
            continue;
          }
          if (before?.exclusionExtent === 'full') {
            problems.add(
              `status-${invitee.id}`,
              `${invitee.name} is excluded from this part: change the exclusion first`,
            );
            continue;
          }
          const row: AttendanceRecord = {
            partId,
            inviteeId: invitee.id,
            status: line.status,
            joinedAtMinutes: line.joinedAt,
            leftAtMinutes: line.leftAt,
            exclusionExtent: before?.exclusionExtent ?? null,
            exclusionReason: before?.exclusionReason ?? null,
            howViewsHeard: before?.howViewsHeard ?? null,
            interpreterUsed: line.status === 'attended' && mayUseInterpreter(invitee.kind) && line.interpreterUsed,
          };
          problems.run(
            () =>
              validateAttendance({ ...toEntry(partId, invitee, row), attendeeKey: invitee.id }, part.durationMinutes),
            '',
            `-${invitee.id}`,
          );
          rows.push(row);
        }
        // 002 §3.2, split conferences: nobody is present in two overlapping parts.
        const merged = [
          ...existing.filter((a) => !(a.partId === partId && rows.some((r) => r.inviteeId === a.inviteeId))),
          ...rows,
        ];
        for (const clash of clashesInPart(partId, parts, this.entries(invitees, merged))) {
          const who = invitees.find((i) => i.id === clash.inviteeId)?.name ?? 'This person';
          problems.add(
            `status-${clash.inviteeId}`,
            `${who} is recorded as present in ${clash.otherPart} at the same time: a person cannot be in two places at once`,
          );
        }
        problems.done();
        await repos.meeting.saveAttendance(rows);
        const contactChanged: string[] = [];
        for (const line of lines) {
          const invitee = invitees.find((i) => i.id === line.inviteeId)!;
          if (
            invitee.kind === 'professional' &&
            line.directContact !== undefined &&
            line.directContact !== invitee.directContact
          ) {
            await repos.meeting.setDirectContact(invitee.id, line.directContact);
            contactChanged.push(invitee.id);
          }
        }
        await this.audit(repos, ctx, 'conference.attendance.record', conferenceId, {
          partId,
          entries: rows.map((r) => ({
            inviteeId: r.inviteeId,
            status: r.status,
            joinedAt: r.joinedAtMinutes,
            leftAt: r.leftAtMinutes,
            interpreterUsed: r.interpreterUsed,
          })),
          ...(contactChanged.length ? { directContactChanged: contactChanged } : {}),
        });
        return {
          attendance: (await repos.meeting.listAttendance(conferenceId)).filter((a) => a.partId === partId),
          quoracy: await this.quoracy(repos, conferenceId),
        };
      },
    );
  }

  /**
   * 002 §3.2: the chair excludes a parent or carer from a part, partly or fully, with the reason as
   * given to them orally and in writing, and how their views were heard; shown on the record.
   */
  async recordExclusion(
    actor: Actor,
    conferenceId: string,
    partId: string,
    inviteeId: string,
    input: ExclusionDetailsInput,
    ctx: RequestContext,
  ): Promise<AttendanceRecord> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.exclusion.record',
      ctx,
      async (repos, conference) => {
        this.assertRegisterOpen(conference);
        const { parts, invitee, before, invitees, attendance } = await this.registerLine(
          repos,
          conferenceId,
          partId,
          inviteeId,
        );
        if (!mayBeExcluded(invitee.kind))
          throw new DomainError('NOT_EXCLUDABLE', 'Only a parent or carer can be excluded from a conference', 'extent');
        // 002 §3.2: the seed's criteria (or another reason), the telling of the reasons, and how views reach the
        // conference; the attendance row keeps the reason and the views as the record shows them.
        const details = checkExclusionDetails(input, this.today());
        const exclusion: Exclusion = {
          extent: input.extent as ExclusionExtent,
          reason: exclusionReasonText(details),
          howViewsHeard: excludedViewsText(details),
        };
        const part = parts.find((p) => p.id === partId)!;
        const row: AttendanceRecord = {
          partId,
          inviteeId,
          // A partial exclusion leaves them present for the rest of the part.
          status: exclusion.extent === 'full' ? 'excluded' : 'attended',
          joinedAtMinutes: exclusion.extent === 'full' ? null : (before?.joinedAtMinutes ?? null),
          leftAtMinutes: exclusion.extent === 'full' ? null : (before?.leftAtMinutes ?? null),
          exclusionExtent: exclusion.extent,
          exclusionReason: exclusion.reason,
          howViewsHeard: exclusion.howViewsHeard,
          interpreterUsed: exclusion.extent === 'full' ? false : (before?.interpreterUsed ?? false),
        };
        validateAttendance({ ...toEntry(partId, invitee, row), attendeeKey: inviteeId }, part.durationMinutes);
        const merged = [...attendance.filter((a) => !(a.partId === partId && a.inviteeId === inviteeId)), row];
        const clash = clashesInPart(partId, parts, this.entries(invitees, merged)).find(
          (c) => c.inviteeId === inviteeId,
        );
        if (clash)
          throw new DomainError(
            'TWO_PLACES_AT_ONCE',
            `${invitee.name} is present in ${clash.otherPart} at the same time: a person cannot be in two places at once`,
            'extent',
          );
        await repos.meeting.saveAttendance([row]);
        await repos.participation.saveExclusionDetails(partId, inviteeId, details);
        await this.audit(repos, ctx, 'conference.exclusion.record', conferenceId, {
          partId,
          inviteeId,
          extent: exclusion.extent,
          criteria: details.criteria,
          toldInWriting: details.toldInWriting !== null,
          viewsRoutes: details.viewsRoutes,
        });
        return row;
      },
    );
  }

  /** Removes an exclusion recorded in error: a partial one leaves them attending, a full one "not recorded yet". */
  async clearExclusion(
    actor: Actor,
    conferenceId: string,
    partId: string,
    inviteeId: string,
    ctx: RequestContext,
  ): Promise<AttendanceRecord> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.exclusion.clear',
      ctx,
      async (repos, conference) => {
        this.assertRegisterOpen(conference);
        const { before } = await this.registerLine(repos, conferenceId, partId, inviteeId);
        if (!before?.exclusionExtent)
          throw new DomainError('NOT_EXCLUDED', 'No exclusion is recorded for this person in this part');
        const row: AttendanceRecord = {
          ...before,
          status: before.exclusionExtent === 'full' ? 'invited' : before.status,
          exclusionExtent: null,
          exclusionReason: null,
          howViewsHeard: null,
        };
        await repos.participation.deleteExclusionDetails(partId, inviteeId);
        await repos.meeting.saveAttendance([row]);
        await this.audit(repos, ctx, 'conference.exclusion.clear', conferenceId, {
          partId,
          inviteeId,
          extent: before.exclusionExtent,
        });
        return row;
      },
    );
  }

  /** Someone who turned up uninvited joins the register as an invitee of the right kind, present in the parts given. */
  async addArrival(
    actor: Actor,
    conferenceId: string,
    input: ArrivalInput,
    ctx: RequestContext,
  ): Promise<{ inviteeId: string }> {
    return this.withMeeting(
      actor,
      conferenceId,
      'register',
      'conference.attendance.arrival',
      ctx,
      async (repos, conference, childIds) => {
        this.assertRegisterOpen(conference);
        const { meeting, people, audit } = repos;
        const parts = await meeting.listParts(conferenceId);
        const invitees = await meeting.listInvitees(conferenceId);
        const problems = new FieldChecks();
        const partIds = [...new Set(input.partIds)];
        if (partIds.length === 0) problems.add('partIds', 'Select the parts of the conference they are present for');
        else if (partIds.some((id) => !parts.some((p) => p.id === id)))
          problems.add('partIds', 'Select parts of this conference');
        let invitee: {
          kind: InviteeKind;
          personId: string | null;
          childId: string | null;
          professionalId: string | null;
          userId?: string;
          staffRole?: CscStaffRole;
          agencyId: string | null;
          directContact: boolean;
        } | null = null;
        const already = (found: boolean) => {
          if (found) throw new ConflictError('They are already on the register', 'source');
        };
        switch (input.source) {
          case 'network': {
            if (!isUuid(input.personId)) throw new NotFoundError('The person');
            const links = [];
            for (const childId of childIds) {
              const m = await people.findFamilyMember(childId, input.personId);
              if (m) links.push(m);
            }
            if (links.length === 0) throw new NotFoundError('The person');
            already(invitees.some((i) => i.personId === input.personId));
            const supporter = links.find((l) => isSupporterKind(l.relationship));
            invitee = {
              kind: supporter ? (supporter.relationship as InviteeKind) : 'family-member',
              personId: input.personId,
              childId: null,
              professionalId: null,
              agencyId: null,
              directContact: false,
            };
            break;
          }
          case 'child': {
            if (!childIds.includes(input.childId)) throw new NotFoundError('The child');
            already(invitees.some((i) => i.childId === input.childId));
            invitee = {
              kind: 'child',
              personId: null,
              childId: input.childId,
              professionalId: null,
              agencyId: null,
              directContact: false,
            };
            break;
          }
          case 'professional': {
            const p = isUuid(input.professionalId) ? await people.findProfessional(input.professionalId) : null;
            if (!p) throw new NotFoundError('The professional');
            already(invitees.some((i) => i.professionalId === p.id));
            invitee = {
              kind: 'professional',
              personId: null,
              childId: null,
              professionalId: p.id,
              agencyId: p.agency.id,
              directContact: input.directContact,
            };
            break;
          }
          case 'staff': {
            const found = (await this.cscStaff(repos, childIds)).find((s) => s.userId === input.userId);
            if (!found) throw new NotFoundError('The member of staff');
            already(invitees.some((i) => i.userId === found.userId));
            const csc = await repos.convening.childrensSocialCareAgency();
            if (!csc)
              throw new DomainError(
                'NO_CSC_AGENCY',
                'Children’s social care is not recorded as an agency: ask an administrator to add it',
                'userId',
              );
            // Q-1: they attend for children's social care; the allocated social worker has direct contact by definition.
            invitee = {
              kind: 'professional',
              personId: null,
              childId: null,
              professionalId: null,
              userId: found.userId,
              staffRole: found.role,
              agencyId: csc.id,
              directContact: found.role === 'social-worker',
            };
            break;
          }
          case 'new-professional': {
            const details = problems.run(() => validateProfessional({ name: input.name, roleTitle: input.roleTitle }));
            const agency = isUuid(input.agencyId) ? await people.findAgency(input.agencyId) : null;
            if (!agency) problems.add('agencyId', 'Select their agency');
            if (input.kind !== 'professional' && input.kind !== 'interpreter')
              problems.add('kind', 'Select whether they are a professional or an interpreter');
            problems.done();
            const professionalId = await people.insertProfessional({
              ...details!,
              email: null,
              phone: null,
              agencyId: agency!.id,
            });
            await audit.record({
              action: 'professional.create',
              actor: ctx.actor,
              correlationId: ctx.correlationId,
              subject: { type: 'professional', id: professionalId },
              outcome: 'success',
              details: { agencyId: agency!.id, conferenceId },
            });
            if (input.kind === 'professional') {
              // Someone attending a child's conference for their agency is working with the child.
              for (const childId of childIds) {
                await people.linkProfessional(childId, professionalId);
                await audit.record({
                  action: 'professional.add',
                  actor: ctx.actor,
                  correlationId: ctx.correlationId,
                  subject: { type: 'child', id: childId },
                  outcome: 'success',
                  details: { professionalId, conferenceId },
                });
              }
            }
            invitee = {
              kind: input.kind,
              personId: null,
              childId: null,
              professionalId,
              agencyId: agency!.id,
              directContact: input.kind === 'professional' && input.directContact,
            };
            break;
          }
          case 'new-supporter': {
            const details = problems.run(() =>
              validatePersonDetails({ givenNames: input.givenNames, familyName: input.familyName }, this.today()),
            );
            if (!isSupporterKind(input.kind))
              problems.add('kind', 'Select whether they are a friend, supporter or advocate');
            problems.done();
            const person = await people.insertPerson(details!);
            await audit.record({
              action: 'person.create',
              actor: ctx.actor,
              correlationId: ctx.correlationId,
              subject: { type: 'person', id: person.id },
              outcome: 'success',
              details: { conferenceId },
            });
            // In each child's network as a friend, supporter or advocate: never with PR, never sent the record (W-4).
            for (const childId of childIds) {
              await people.insertFamilyLink(childId, person.id, input.kind, false);
              await audit.record({
                action: 'relationship.add',
                actor: ctx.actor,
                correlationId: ctx.correlationId,
                subject: { type: 'child', id: childId },
                outcome: 'success',
                details: { personId: person.id, relationship: input.kind, parentalResponsibility: false, conferenceId },
              });
            }
            invitee = {
              kind: input.kind,
              personId: person.id,
              childId: null,
              professionalId: null,
              agencyId: null,
              directContact: false,
            };
            break;
          }
        }
        problems.done();
        const inviteeId = await meeting.insertInvitee(conferenceId, {
          ...invitee!,
          invitationMethod: ARRIVED_ON_THE_DAY,
        });
        const added = (await meeting.listInvitees(conferenceId)).find((i) => i.id === inviteeId)!;
        const attendance = await meeting.listAttendance(conferenceId);
        const rows: AttendanceRecord[] = partIds.map((partId) => ({
          partId,
          inviteeId,
          status: 'attended',
          joinedAtMinutes: null,
          leftAtMinutes: null,
          exclusionExtent: null,
          exclusionReason: null,
          howViewsHeard: null,
          interpreterUsed: false,
        }));
        for (const partId of partIds) {
          const clash = clashesInPart(partId, parts, this.entries([...invitees, added], [...attendance, ...rows]))[0];
          if (clash)
            throw new DomainError(
              'TWO_PLACES_AT_ONCE',
              `Present in overlapping parts (${clash.otherPart}): a person cannot be in two places at once. Record the time they left one part on the register`,
              'partIds',
            );
        }
        await meeting.saveAttendance(rows);
        await this.audit(repos, ctx, 'conference.attendance.arrival', conferenceId, {
          inviteeId,
          kind: invitee!.kind,
          source: input.source,
          partIds,
        });
        return { inviteeId };
      },
    );
  }

  // ================================================================ Q-1: not quorate

  /** Q-1: in exceptional circumstances the chair goes ahead without enough agencies, recording why. */
  async proceedInquorate(
    actor: Actor,
    conferenceId: string,
    input: { reason: string },
    ctx: RequestContext,
  ): Promise<{ status: ConferenceStatus; proceededInquorateReason: string }> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.proceed-inquorate',
      ctx,
      async (repos, conference) => {
        const status = nextStatus(conference.status, { type: 'proceed-inquorate', reason: input.reason ?? '' });
        if ((await this.quoracy(repos, conferenceId)).quorate)
          throw new DomainError(
            'QUORATE',
            'The conference is quorate: there is no need to record a reason to go ahead',
            'proceedReason',
          );
        const reason = input.reason.trim();
        if (reason.length > 2000)
          throw new DomainError('REASON_TOO_LONG', 'The reason must be 2,000 characters or fewer', 'proceedReason');
        await repos.meeting.updateConference(conferenceId, { status, proceededInquorateReason: reason });
        await this.audit(repos, ctx, 'conference.proceed-inquorate', conferenceId, {});
        return { status, proceededInquorateReason: reason };
      },
    );
  }

  /**
   * Q-1: an inquorate conference that does not go ahead: the immediate safety steps and the new date are
   * recorded, and the conference is adjourned. Convening books the reconvened conference and links it.
   */
  async adjournInquorate(
    actor: Actor,
    conferenceId: string,
    input: { safetySteps: string; reconveneDate: IsoDate | null },
    ctx: RequestContext,
  ): Promise<{ status: ConferenceStatus; reconveneDate: IsoDate }> {
    return this.withMeeting(actor, conferenceId, 'chair', 'conference.adjourn', ctx, async (repos, conference) => {
      const checked = validateAdjournment(input, { conferenceDate: conference.scheduledDate });
      const status = nextStatus(conference.status, {
        type: 'adjourn-inquorate',
        safetySteps: checked.safetySteps,
        newDateSet: true,
      });
      if ((await this.quoracy(repos, conferenceId)).quorate)
        throw new DomainError('QUORATE', 'The conference is quorate: it can go ahead', 'safetySteps');
      await repos.meeting.updateConference(conferenceId, {
        status,
        adjournmentSafetySteps: checked.safetySteps,
        reconveneDate: checked.reconveneDate,
      });
      await this.audit(repos, ctx, 'conference.adjourn', conferenceId, {
        fields: ['status', 'adjournmentSafetySteps', 'reconveneDate'],
      });
      return { status, reconveneDate: checked.reconveneDate };
    });
  }

  // ================================================================ decisions

  /**
   * A child's decision (a new version each time): the outcome for the conference type, the category
   * with a plan and never without one, the reasons and each agency present's view. Equally split views
   * record that the chair decided (002 §3.12); more than one dissenting agency needs the D-1 referral.
   */
  async recordDecision(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: DecisionInput,
    ctx: RequestContext,
  ): Promise<DecisionRecord> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.decision.record',
      ctx,
      async (repos, conference, childIds) => {
        if (!childIds.includes(childId)) throw new NotFoundError('The child');
        const changeReason = changeReasonFor(conference.status, input.changeReason);
        await this.assertMayDecide(repos, conference);
        const present = await this.presentAgencies(repos, conferenceId);
        const problems = new FieldChecks();
        const category = input.category === null || input.category === '' ? null : input.category;
        if (category !== null && !(CATEGORIES as readonly string[]).includes(category))
          problems.add('category', 'Select a category from the list');
        const views = input.agencyViews.map((v) => ({
          agencyId: v.agencyId,
          view: v.view,
          note: (v.note ?? '').trim() || null,
        }));
        const assessment = problems.run(() =>
          assessChildDecision(conference.type, {
            outcome: input.outcome as Outcome,
            category: category as Category | null,
            reasons: input.reasons ?? '',
            agencyViews: views.map((v) => ({ agencyId: v.agencyId, view: v.view })),
          }),
        );
        if ((input.reasons ?? '').length > 20_000)
          problems.add('reasons', 'The reasons must be 20,000 characters or fewer');
        problems.run(() => checkAgencyViews(views, present));
        if (views.some((v) => v.view !== 'agrees' && v.view !== 'dissents'))
          problems.add('agencyViews', 'Each view is either agrees or dissents');
        let referral = null;
        if (assessment?.seniorManagerReferralRequired) {
          referral = problems.run(() =>
            validateReferral(input.referral ?? { referredTo: '', referredOn: null }, {
              conferenceDate: conference.scheduledDate,
              today: this.today(),
            }),
          );
        }
        problems.done();
        const decisions = (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === childId);
        const previous = decisions.at(-1);
        const version = (previous?.version ?? 0) + 1;
        // A review already recorded for the same referral stays with it in the new version.
        const keptReview =
          previous?.referral &&
          referral &&
          previous.referral.referredTo === referral.referredTo &&
          previous.referral.referredOn === referral.referredOn
            ? previous.referral
            : null;
        const now = this.deps.clock.now();
        const id = await repos.meeting.insertDecision({
          conferenceId,
          childId,
          version,
          outcome: input.outcome as Outcome,
          category: category as Category | null,
          reasons: input.reasons.trim(),
          equallySplit: assessment!.equallySplit,
          seniorManagerReferralRequired: assessment!.seniorManagerReferralRequired,
          changeReason,
          recordedByUserId: actor.id,
          recordedAt: now,
          agencyViews: views,
          referral: referral
            ? {
                ...referral,
                reviewedOn: keptReview?.reviewedOn ?? null,
                outcome: keptReview?.outcome ?? null,
                reconveneDue: keptReview?.reconveneDue ?? null,
              }
            : null,
        });
        const changeNoteIds = changeReason
          ? [
              await this.changeNote(
                repos,
                conference,
                childId,
                `the decision was changed to “${OUTCOME_LABELS[input.outcome as Outcome]}${category ? `, ${CATEGORY_LABELS[category as Category]}` : ''}” (version ${version})`,
                changeReason,
                ctx,
              ),
            ]
          : [];
        await this.audit(repos, ctx, 'conference.decision.record', conferenceId, {
          childId,
          decisionId: id,
          version,
          outcome: input.outcome,
          category,
          equallySplit: assessment!.equallySplit,
          dissentingAgencyIds: assessment!.dissentingAgencies,
          seniorManagerReferralRequired: assessment!.seniorManagerReferralRequired,
          ...(changeReason ? { changed: true, changeNoteIds } : {}),
        });
        return (await repos.meeting.listDecisions(conferenceId)).find((d) => d.id === id)!;
      },
    );
  }

  /** D-1: the senior manager's review, entered when known; a reconvened conference is due within 20 working days of it. */
  async recordReferralReview(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: { reviewedOn: IsoDate | null; outcome: string },
    ctx: RequestContext,
  ): Promise<{ reconveneDue: IsoDate | null; deadline: Deadline | null }> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.referral.review',
      ctx,
      async (repos, conference, childIds) => {
        if (!childIds.includes(childId)) throw new NotFoundError('The child');
        assertRecordOpen(conference.status);
        const decision = (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === childId).at(-1);
        const referral = decision?.referral;
        if (!referral)
          throw new DomainError('NO_REFERRAL', 'No referral to a senior manager is recorded for this child’s decision');
        if (referral.reviewedOn)
          throw new DomainError('REVIEW_RECORDED', 'The senior manager’s review is already recorded');
        const review = assessReferralReview(
          input,
          { referredOn: referral.referredOn, today: this.today() },
          this.deps.calendar,
          this.deps.timescales,
        );
        const reconveneDue = review.reconvene?.due ?? null;
        await repos.meeting.recordReferralReview(referral.id, {
          reviewedOn: review.reviewedOn,
          outcome: review.outcome,
          reconveneDue,
        });
        await this.audit(repos, ctx, 'conference.referral.review', conferenceId, {
          childId,
          decisionId: decision.id,
          referralId: referral.id,
          outcome: review.outcome,
          reconveneDue,
        });
        return { reconveneDue, deadline: review.reconvene };
      },
    );
  }

  // ================================================================ the plan

  /**
   * A child's plan (a new version each time). With a plan: lead social worker, core group, first core
   * group, actions, contingency and the next review (T-3). When the plan ends: the family meeting (T-9).
   */
  async recordPlan(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: PlanRecordInput,
    ctx: RequestContext,
  ): Promise<PlanRecord> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.plan.record',
      ctx,
      async (repos, conference, childIds) => {
        if (!childIds.includes(childId)) throw new NotFoundError('The child');
        const changeReason = changeReasonFor(conference.status, input.changeReason);
        const decision = (await repos.meeting.listDecisions(conferenceId)).filter((d) => d.childId === childId).at(-1);
        if (!decision) throw new DomainError('DECISION_FIRST', 'Record the decision for this child before the plan');
        if (!outcomeHasPlan(decision.outcome) && decision.outcome !== 'plan-ends')
          throw new DomainError(
            'NO_PLAN',
            'The decision is that no child protection plan is needed: record the outline child in need plan instead',
          );
        const problems = new FieldChecks();
        const lead = input.leadSocialWorkerUserId;
        if (lead !== null) {
          const user = isUuid(lead) ? await repos.accounts.findUserById(lead) : null;
          if (!user || user.disabledAt || !user.roles.includes('social_worker'))
            problems.add('leadSocialWorkerUserId', 'Select a social worker from the list');
        }
        const invitees = await repos.meeting.listInvitees(conferenceId);
        let plan;
        if (decision.outcome === 'plan-ends') {
          const deadline = planEndedMeetingDeadline(conference.scheduledDate, this.deps.calendar, this.deps.timescales);
          const ended = problems.run(() =>
            validatePlanEnded(
              { leadSocialWorkerUserId: lead, planEndedMeetingDate: input.planEndedMeetingDate },
              { conferenceDate: conference.scheduledDate, deadline },
            ),
          );
          problems.done();
          plan = {
            leadSocialWorkerUserId: lead,
            firstCoreGroupDate: null,
            contingencyPlan: null,
            nextReviewDate: null,
            planEndedMeetingDate: ended!.planEndedMeetingDate,
            actions: [],
            coreGroupInviteeIds: [],
          };
        } else {
          const reviewDeadline = nextReviewDeadline(
            conference.type,
            conference.scheduledDate,
            this.deps.calendar,
            this.deps.timescales,
          );
          const checked = problems.run(() =>
            validatePlan(
              {
                leadSocialWorkerUserId: lead,
                coreGroupInviteeIds: input.coreGroupInviteeIds ?? [],
                firstCoreGroupDate: input.firstCoreGroupDate,
                actions: input.actions ?? [],
                contingencyPlan: input.contingencyPlan,
                nextReviewDate: input.nextReviewDate,
              },
              {
                conferenceDate: conference.scheduledDate,
                reviewDeadline,
                coreGroupChoices: new Set(invitees.filter((i) => mayJoinCoreGroup(i.kind)).map((i) => i.id)),
              },
            ),
          );
          problems.done();
          plan = { ...checked!, planEndedMeetingDate: null };
        }
        const previous = (await repos.meeting.listPlans(conferenceId)).filter((p) => p.childId === childId).at(-1);
        const version = (previous?.version ?? 0) + 1;
        const id = await repos.meeting.insertPlan({
          conferenceId,
          childId,
          version,
          changeReason,
          recordedByUserId: actor.id,
          recordedAt: this.deps.clock.now(),
          ...plan,
        });
        const changeNoteIds = changeReason
          ? [
              await this.changeNote(
                repos,
                conference,
                childId,
                `the plan was changed (version ${version})`,
                changeReason,
                ctx,
              ),
            ]
          : [];
        await this.audit(repos, ctx, 'conference.plan.record', conferenceId, {
          childId,
          planId: id,
          version,
          nextReviewDate: plan.nextReviewDate,
          planEndedMeetingDate: plan.planEndedMeetingDate,
          ...(changeReason ? { changed: true, changeNoteIds } : {}),
        });
        return (await repos.meeting.listPlans(conferenceId)).find((p) => p.id === id)!;
      },
    );
  }

  // ================================================================ summary and the child's views

  /** 003: the chair's Worries / Positives / Changes summary (a new version each time). */
  async recordSummary(
    actor: Actor,
    conferenceId: string,
    input: { worries: string; positives: string; changes: string; changeReason?: string | null | undefined },
    ctx: RequestContext,
  ): Promise<SummaryRecord> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.summary.record',
      ctx,
      async (repos, conference, childIds) => {
        const changeReason = changeReasonFor(conference.status, input.changeReason);
        const summary = validateSummary(input);
        const previous = (await repos.meeting.listSummaries(conferenceId)).at(-1);
        const version = (previous?.version ?? 0) + 1;
        const id = await repos.meeting.insertSummary({
          conferenceId,
          version,
          ...summary,
          changeReason,
          recordedByUserId: actor.id,
          recordedAt: this.deps.clock.now(),
        });
        const changeNoteIds: string[] = [];
        if (changeReason) {
          for (const childId of childIds)
            changeNoteIds.push(
              await this.changeNote(
                repos,
                conference,
                childId,
                `the chair’s summary was changed (version ${version})`,
                changeReason,
                ctx,
              ),
            );
        }
        await this.audit(repos, ctx, 'conference.summary.record', conferenceId, {
          summaryId: id,
          version,
          ...(changeReason ? { changed: true, changeNoteIds } : {}),
        });
        return (await repos.meeting.listSummaries(conferenceId)).find((s) => s.id === id)!;
      },
    );
  }

  /**
   * 002 §3.2: the child's views, recorded whether or not they attend. They are kept without versions, so
   * they can be changed only until the conference is held.
   */
  async recordChildViews(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: { views: string },
    ctx: RequestContext,
  ): Promise<void> {
    await this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.child-views.record',
      ctx,
      async (repos, conference, childIds) => {
        if (!childIds.includes(childId)) throw new NotFoundError('The child');
        if (conference.status !== 'planned' && conference.status !== 'in-progress') {
          throw new DomainError(
            'RECORD_CLOSED',
            'The conference is no longer in progress: the child’s views on its record cannot be changed',
          );
        }
        const views = validateChildViews(input.views);
        await repos.meeting.setChildViews(conferenceId, childId, views);
        await this.audit(repos, ctx, 'conference.child-views.record', conferenceId, { childId });
      },
    );
  }

  // ================================================================ concluding

  /** Held only when quorate (or going ahead with the chair's reason) and every child has a decision; R-1: the end time is noted. */
  async conclude(
    actor: Actor,
    conferenceId: string,
    input: { actualEndTime: string | null },
    ctx: RequestContext,
  ): Promise<{ status: ConferenceStatus; actualEndTime: string }> {
    return this.withMeeting(
      actor,
      conferenceId,
      'chair',
      'conference.conclude',
      ctx,
      async (repos, conference, childIds) => {
        const quoracy = await this.quoracy(repos, conferenceId);
        const decided = new Set((await repos.meeting.listDecisions(conferenceId)).map((d) => d.childId));
        const status = nextStatus(conference.status, {
          type: 'conclude',
          quorate: quoracy.quorate,
          proceededInquorateReason: conference.proceededInquorateReason,
          childrenWithoutDecision: childIds.filter((id) => !decided.has(id)).length,
        });
        const actualEndTime = formatClockTime(
          validateEndTime(input.actualEndTime, parseClockTime(conference.actualStartTime)),
        );
        await repos.meeting.updateConference(conferenceId, { status, actualEndTime });
        await this.audit(repos, ctx, 'conference.conclude', conferenceId, { fields: ['status', 'actualEndTime'] });
        return { status, actualEndTime };
      },
    );
  }

  // ================================================================ internals

  /**
   * Runs `fn` in one unit of work once the actor may see (or change) every child in the conference,
   * and for 'chair' holds the chair role or is the assigned chair ('register': or business support).
   * A denial is audited, in its own transaction since the work's transaction is rolled back.
   */
  private async withMeeting<T>(
    actor: Actor,
    conferenceId: string,
    role: MeetingRole,
    action: string,
    ctx: RequestContext,
    fn: (repos: Repositories, conference: MeetingConference, childIds: string[]) => Promise<T>,
    lock = role !== 'view',
  ): Promise<T> {
    const state: { denial: string | null } = { denial: null };
    try {
      return await withConferenceAccess(
        this.deps.uow,
        actor,
        conferenceId,
        role === 'view' ? 'view' : 'edit',
        action,
        ctx,
        async (repos, childIds) => {
          const conference = await repos.meeting.findConference(conferenceId, { lock });
          if (!conference) throw new NotFoundError('The conference');
          if (role !== 'view') {
            const denial = this.roleDenial(actor, conference, role);
            if (denial) {
              state.denial = denial;
              // 002 §4.1: the page says who the chair is and how to record a cover chair.
              throw denial === 'not the chair'
                ? new NotTheChairError(conferenceId, conference.chairName)
                : new AccessDeniedError('Only the chair or business support can keep the register');
            }
          }
          return fn(repos, conference, childIds);
        },
      );
    } catch (err) {
      if (state.denial !== null) await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, state.denial);
      throw err;
    }
  }

  /** 002 §4.1: the assigned chair, or the cover chair recorded for them; holding the chair role is not enough. */
  private isChair(actor: Actor, conference: MeetingConference): boolean {
    return actsAsChair(actor, conference);
  }

  private roleDenial(actor: Actor, conference: MeetingConference, role: MeetingRole): string | null {
    if (this.isChair(actor, conference)) return null;
    if (role === 'register' && hasAnyRole(actor, ['business_support'])) return null;
    return role === 'chair' ? 'not the chair' : 'not the chair or business support';
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    conferenceId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await auditConference(repos, ctx, action, conferenceId, details);
  }

  /** The register is kept before and during the conference; once it is held, adjourned or cancelled it is part of the record. */
  private assertRegisterOpen(conference: MeetingConference): void {
    if (conference.status !== 'planned' && conference.status !== 'in-progress') {
      throw new DomainError(
        'REGISTER_CLOSED',
        'The conference is no longer in progress: its register cannot be changed',
      );
    }
  }

  private entries(invitees: readonly MeetingInvitee[], attendance: readonly AttendanceRecord[]): RegisterEntry[] {
    const byId = new Map(invitees.map((i) => [i.id, i]));
    return attendance.filter((a) => byId.has(a.inviteeId)).map((a) => toEntry(a.partId, byId.get(a.inviteeId)!, a));
  }

  private async registerLine(repos: Repositories, conferenceId: string, partId: string, inviteeId: string) {
    const parts = await repos.meeting.listParts(conferenceId);
    if (!parts.some((p) => p.id === partId)) throw new NotFoundError('The part');
    const invitees = await repos.meeting.listInvitees(conferenceId);
    const invitee = invitees.find((i) => i.id === inviteeId);
    if (!invitee) throw new NotFoundError('The person on the register');
    const attendance = await repos.meeting.listAttendance(conferenceId);
    const before = attendance.find((a) => a.partId === partId && a.inviteeId === inviteeId) ?? null;
    return { parts, invitees, invitee, attendance, before };
  }

  /** The children's allocated social workers (active accounts), then the active team managers who are not one of them. */
  private async cscStaff(repos: Repositories, childIds: readonly string[]): Promise<ArrivalChoices['staff']> {
    const users = (await repos.accounts.listUsers()).filter((u) => !u.disabledAt);
    const out: ArrivalChoices['staff'] = [];
    for (const childId of childIds) {
      const facts = await repos.people.childAccessFacts(childId);
      const user = users.find((u) => u.id === facts?.allocatedSocialWorkerId);
      if (user && !out.some((s) => s.userId === user.id))
        out.push({ userId: user.id, name: user.name, role: 'social-worker' });
    }
    const managers = users
      .filter((u) => u.roles.includes('team_manager') && !out.some((s) => s.userId === u.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    return [...out, ...managers.map((u) => ({ userId: u.id, name: u.name, role: 'team-manager' as const }))];
  }

  private async quoracy(repos: Repositories, conferenceId: string): Promise<QuoracyResult> {
    const invitees = await repos.meeting.listInvitees(conferenceId);
    return assessQuoracy(agenciesPresent(invitees, await repos.meeting.listAttendance(conferenceId)));
  }

  private async presentAgencies(
    repos: Repositories,
    conferenceId: string,
  ): Promise<Array<{ agencyId: string; agencyName: string }>> {
    const invitees = await repos.meeting.listInvitees(conferenceId);
    const present = agenciesPresent(invitees, await repos.meeting.listAttendance(conferenceId));
    const unique = new Map(present.map((p) => [p.agencyId, { agencyId: p.agencyId, agencyName: p.agencyName }]));
    return [...unique.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName, 'en-GB'));
  }

  /** Q-1: decisions are made by a quorate conference, or one the chair went ahead with for a recorded reason. */
  private async assertMayDecide(repos: Repositories, conference: MeetingConference): Promise<void> {
    if (conference.status !== 'in-progress' || conference.proceededInquorateReason) return;
    const q = await this.quoracy(repos, conference.id);
    if (!q.quorate) {
      throw new DomainError(
        'NOT_QUORATE',
        `${q.explanation} Record why the conference is going ahead, or adjourn it, before recording decisions`,
      );
    }
  }

  /** A case note on the child's record saying what changed after the conference, and why. */
  private async changeNote(
    repos: Repositories,
    conference: MeetingConference,
    childId: string,
    what: string,
    reason: string,
    ctx: RequestContext,
  ): Promise<string> {
    const text = `${CONFERENCE_TYPE_LABELS[conference.type]} on ${formatLongDate(conference.scheduledDate)}: after the conference ${what}. Reason: ${reason}`;
    const note = await recordCaseNote(repos, this.deps.clock, { childId, kind: RECORD_CHANGE_NOTE_KIND, text }, ctx);
    return note.id;
  }

  private async loadView(repos: Repositories, actor: Actor, conference: MeetingConference): Promise<MeetingView> {
    const { meeting } = repos;
    const id = conference.id;
    const [children, parts, invitees, attendance, decisions, plans, summaries] = [
      await meeting.listChildren(id),
      await meeting.listParts(id),
      await meeting.listInvitees(id),
      await meeting.listAttendance(id),
      await meeting.listDecisions(id),
      await meeting.listPlans(id),
      await meeting.listSummaries(id),
    ];
    const latestDecision = latestBy(decisions, (d) => d.childId);
    const latestPlan = latestBy(plans, (p) => p.childId);
    const present = agenciesPresent(invitees, attendance);
    const quoracy = assessQuoracy(present);
    const base = parseClockTime(conference.startTime) ?? 0;
    // 002 §3.7: where the conference named no lead social worker, the one a team manager appointed since.
    const appointed = new Map<string, MeetingChildView['appointedLead']>();
    for (const c of children) {
      if (latestPlan.get(c.childId) && !latestPlan.get(c.childId)!.leadSocialWorkerUserId)
        appointed.set(c.childId, await repos.coreGroups.latestAppointment(id, c.childId));
    }
    const childViews = children.map((c): MeetingChildView => {
      const decision = latestDecision.get(c.childId) ?? null;
      return {
        ...c,
        unborn: c.dateOfBirth === null,
        age: c.dateOfBirth ? ageOn(c.dateOfBirth, conference.scheduledDate) : null,
        presumedToAttend: presumedToAttend(c.dateOfBirth, conference.scheduledDate),
        decision,
        plan: latestPlan.get(c.childId) ?? null,
        planStep: !decision
          ? null
          : outcomeHasPlan(decision.outcome)
            ? 'plan'
            : decision.outcome === 'plan-ends'
              ? 'plan-ended'
              : null,
        appointedLead: appointed.get(c.childId) ?? null,
      };
    });
    const toConclude: string[] = [];
    if (conference.status === 'in-progress') {
      if (!quoracy.quorate && !conference.proceededInquorateReason)
        toConclude.push('The conference is not quorate: record why it is going ahead, or adjourn it.');
      const missing = childViews.filter((c) => !c.decision);
      if (missing.length) toConclude.push(`Record a decision for ${missing.map((c) => c.givenNames).join(', ')}.`);
    }
    const unique = new Map(present.map((p) => [p.agencyId, { agencyId: p.agencyId, agencyName: p.agencyName }]));
    return {
      conference,
      children: childViews,
      parts: parts.map((p) => ({
        ...p,
        startsAt: formatClockTime(base + p.startOffsetMinutes),
        endsAt: formatClockTime(base + p.startOffsetMinutes + p.durationMinutes),
      })),
      invitees,
      attendance,
      quoracy,
      agenciesPresent: [...unique.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName, 'en-GB')),
      summary: summaries.at(-1) ?? null,
      permissions: {
        chair: this.isChair(actor, conference),
        register: this.roleDenial(actor, conference, 'register') === null,
      },
      reviewDeadline: nextReviewDeadline(
        conference.type,
        conference.scheduledDate,
        this.deps.calendar,
        this.deps.timescales,
      ),
      planEndedDeadline: planEndedMeetingDeadline(conference.scheduledDate, this.deps.calendar, this.deps.timescales),
      toConclude,
      recordingConsentPrompts:
        conference.status === 'planned' || conference.status === 'in-progress'
          ? (await consentPromptsFor(repos, id)).map((p) => p.text)
          : [],
      barredInviteeIds: (await repos.participation.listBars(id)).map((b) => b.inviteeId),
      exclusionDetails: await repos.participation.listExclusionDetails(id),
    };
  }
}
