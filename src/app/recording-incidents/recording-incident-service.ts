/**
 * When recording goes wrong at a conference (001, 004).
 *
 * P-8: a family member or friend without parental responsibility records against the parents' wishes: the chair
 * (the conference's assigned chair, or the cover chair recorded for them; another chair is refused) records, with the time of each step, that they were asked to stop, the meeting was halted, they were asked to
 * leave, and how it ended. Anyone who may see the conference sees these on its page; the written record can draw
 * on them (`unpermittedRecordingFacts`).
 *
 * P-9: a covert recording is found: a chair, business support or the allocated social worker records it (whoever
 * finds out tells the chair); a case note goes on each affected child's record and the conference's chair (and its
 * cover chair, while one is recorded) is emailed in the same transaction. The chair records each action considered, done or decided against, and closes
 * the incident with its outcome. An incident's details are seen only by chairs, team managers and the council's
 * legal advisers (who see nothing else of the child's record); open incidents are on the dashboards of chairs and
 * team managers and on the legal advisers' list, and the chair is reminded by email until the incident is closed.
 *
 * Every view, change and refusal is audited with ids and counts only.
 */
import { CHILD_RECORD_ROLES } from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { englandMinutes } from '../../domain/calendar/england-time.ts';
import { formatLongDate, type IsoDate, londonDateOf } from '../../domain/calendar/iso-date.ts';
import { type WorkingDayCalendar, addWorkingDays } from '../../domain/calendar/working-days.ts';
import { NotTheChairError, actsAsChair } from '../../domain/conferences/chair-cover.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import {
  ACTION_DECISION_LABELS,
  COVERT_ACTION_LABELS,
  COVERT_VIEWER_ROLES,
  type CovertAction,
  PUBLISHED_LABELS,
  type PublicationAnswer,
  TAKEN_DOWN_LABELS,
  UNPERMITTED_OUTCOME_LABELS,
  type UnpermittedOutcome,
  actionsStillToConsider,
  canViewIncidentsAbout,
  checkCovertAction,
  checkCovertClosing,
  checkCovertDiscovery,
  checkUnpermittedRecording,
  mayDecideCovert,
  mayRecordUnpermitted,
  mayReportCovert,
  mayViewCovert,
} from '../../domain/recording-incidents/incidents.ts';
import {
  AccessDeniedError,
  ConflictError,
  InvalidDetailsError,
  NotFoundError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import {
  type ConferenceRule,
  type ConferenceRuleOptions,
  type ConferenceScope,
  auditConference,
  withConferenceRule,
} from '../conferences/conference-access.ts';
import type { MeetingConference, MeetingInvitee } from '../conferences/meeting-ports.ts';
import { chairsToTell, everyoneIn } from '../conferences/chairing/chairs-to-tell.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { MailRepositories } from '../mail/ports.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { CovertIncidentRecord, OpenCovertIncident, UnpermittedRecordingRecord } from './ports.ts';

export const COVERT_REPORTED_NOTE_KIND = 'covert-recording-found';
export const COVERT_CLOSED_NOTE_KIND = 'covert-recording-closed';
export const COVERT_REPORTED_TEMPLATE = 'covert-recording-reported';
export const COVERT_REMINDER_TEMPLATE = 'covert-recording-reminder';
/** P-9: the pg-boss scheduled job that sends the reminders. */
export const COVERT_REMINDER_JOB = 'covert-recording-reminders';
/** P-9: who the scheduled reminders are audited as. */
const REMINDERS: RequestContext = { actor: { id: null, label: 'system: covert recording reminders' } };

/** Invitees who may be named as recording against the parents' wishes: family and friends, never staff. */
const FAMILY_AND_FRIENDS = ['family-member', 'friend', 'supporter', 'advocate'];

export interface RecordingIncidentMail {
  queueWithin(repos: MailRepositories, email: EmailToQueue): Promise<{ messageId: string }>;
  dispatch(...messageIds: string[]): Promise<void>;
}

export interface RecordingIncidentServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: RecordingIncidentMail;
  publicBaseUrl: string;
  /** P-9: an open incident reminds its chair every `workingDays` working days (COVERT_REMINDER_WORKING_DAYS). */
  reminders: { workingDays: number; calendar: WorkingDayCalendar };
}

/** P-9: what one run of the reminders did: incidents due a reminder, and emails queued. */
export interface ReminderRun {
  due: number;
  emailed: number;
}

export interface ConferenceHeading {
  id: string;
  title: string;
  scheduledDate: string;
}

export interface UnpermittedRecordingView {
  id: string;
  person: { inviteeId: string | null; name: string };
  askedToStopAt: string;
  meetingHaltedAt: string | null;
  askedToLeaveAt: string | null;
  outcome: { value: UnpermittedOutcome; label: string };
  outcomeAt: string;
  notes: string | null;
  recordedBy: string;
}

export interface CovertActionView {
  id: string;
  action: { value: CovertAction; label: string };
  description: string | null;
  decision: { value: 'taken' | 'not-taken'; label: string };
  on: string;
  by: string;
  outcome: string | null;
}

export interface CovertIncidentView {
  id: string;
  children: Array<{ childId: string; name: string }>;
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: { value: PublicationAnswer; label: string };
  publishedWhere: string | null;
  publishedOn: string | null;
  takenDown: { value: PublicationAnswer; label: string } | null;
  takenDownOn: string | null;
  /** Whether the conference's chair (or its cover chair) was emailed when it was recorded. */
  chairTold: boolean;
  reportedBy: string;
  actions: CovertActionView[];
  /** P-9: what must still be considered before it can close. */
  stillToConsider: Array<{ value: CovertAction; label: string }>;
  outcome: string | null;
  closedOn: string | null;
  open: boolean;
  version: number;
}

export interface ConferenceRecordingIncidents {
  conference: ConferenceHeading;
  unpermitted: UnpermittedRecordingView[];
  /** Null when the person may not see covert recording incidents. */
  covert: CovertIncidentView[] | null;
  /** Family and friends on the register who attended and hold no parental responsibility (P-8). */
  people: Array<{ inviteeId: string; name: string }>;
  children: Array<{ childId: string; name: string }>;
  can: { recordUnpermitted: boolean; reportCovert: boolean; viewCovert: boolean; decide: boolean };
}

export interface CovertIncidentDetail {
  conference: ConferenceHeading;
  incident: CovertIncidentView;
  /** `seeConference`: false for a legal adviser, who sees the incident but not the conference or its children. */
  can: { decide: boolean; seeConference: boolean };
}

export interface NewUnpermittedRecording {
  personInviteeId: string | null;
  personDescription: string | null;
  askedToStopAt: string;
  meetingHaltedAt: string;
  askedToLeaveAt: string;
  outcome: string;
  outcomeAt: string;
  notes: string;
}

export interface NewCovertDiscovery {
  childIds: string[];
  foundOn: string;
  foundBy: string;
  howFound: string;
  published: string;
  publishedWhere: string;
  publishedOn: string;
  takenDown: string;
  takenDownOn: string;
}

export interface NewCovertAction {
  action: string;
  description: string;
  decision: string;
  on: string;
  by: string;
  outcome: string;
}

export interface CovertClosing {
  outcome: string;
  closedOn: string;
  version: number;
}

export interface ReportedCovert {
  id: string;
  chairTold: boolean;
  /** The person who recorded it may see the incident (a chair, not business support or a social worker). */
  mayView: boolean;
}

/** P-9: an open incident in the council-wide list of those who see incidents: ids, the conference and dates only. */
export interface OpenIncidentListItem {
  id: string;
  conference: ConferenceHeading;
  foundOn: string;
  actionCount: number;
}

/** The use cases the pages and the API call. */
export interface RecordingIncidentUseCases {
  /**
   * P-9: every open incident the person may see, council-wide (chairs, team managers and legal advisers; a
   * restricted child's only when named on it), for the legal advisers who have no dashboard.
   */
  openIncidents(actor: Actor, ctx: RequestContext): Promise<OpenIncidentListItem[]>;
  overview(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceRecordingIncidents>;
  /** P-8: the form's read, for the conference's assigned or cover chair only. */
  unpermittedForm(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceRecordingIncidents>;
  /** P-8 alone, for the conference's page. */
  unpermittedAt(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<UnpermittedRecordingView[]>;
  recordUnpermitted(
    actor: Actor,
    conferenceId: string,
    input: NewUnpermittedRecording,
    ctx: RequestContext,
  ): Promise<UnpermittedRecordingView>;
  reportCovert(
    actor: Actor,
    conferenceId: string,
    input: NewCovertDiscovery,
    ctx: RequestContext,
  ): Promise<ReportedCovert>;
  covertDetail(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    ctx: RequestContext,
  ): Promise<CovertIncidentDetail>;
  recordAction(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: NewCovertAction,
    ctx: RequestContext,
  ): Promise<CovertIncidentView>;
  closeCovert(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: CovertClosing,
    ctx: RequestContext,
  ): Promise<CovertIncidentView>;
}

const heading = (c: MeetingConference): ConferenceHeading => ({
  id: c.id,
  title: CONFERENCE_TYPE_LABELS[c.type],
  scheduledDate: c.scheduledDate,
});

const longDate = (d: string) => formatLongDate(d as IsoDate);

// Who may do what (P-8, P-9): a refusal is audited with its reason and shown with its message.
/** P-8, 002 §4.1: the conference's assigned chair, or the cover chair recorded for them, halts the meeting. */
const recordsUnpermitted = (actor: Actor, conference: MeetingConference) =>
  mayRecordUnpermitted(actor) && actsAsChair(actor, conference);
const mayRecordUnpermittedRule =
  (actor: Actor) =>
  (conference: MeetingConference): ConferenceRule => ({
    ok: recordsUnpermitted(actor, conference),
    reason: mayRecordUnpermitted(actor) ? 'not the conference chair' : 'not a chair',
    message: 'Only the conference’s chair can record this',
    // Another chair is told who the chair is and how a cover chair is recorded.
    ...(mayRecordUnpermitted(actor) ? { error: new NotTheChairError(conference.id, conference.chairName) } : {}),
  });
const mayReportCovertRule = (actor: Actor): ConferenceRule => ({
  ok: mayReportCovert(actor),
  reason: 'not a chair, business support or a social worker',
  message: 'Only a chair, business support or the social worker can record this',
});
const COVERT_VIEW_REFUSED = 'Only a chair, a team manager or a legal adviser can see a covert recording incident';
const mayViewCovertRule = (actor: Actor): ConferenceRule => ({
  ok: mayViewCovert(actor),
  reason: 'not a chair, team manager or legal adviser',
  message: COVERT_VIEW_REFUSED,
});
/** What a refused child of an incident says: the role's refusal when the role is refused as well. */
const covertDenialMessage = (actor: Actor) => (mayViewCovert(actor) ? undefined : COVERT_VIEW_REFUSED);
/** P-9, 002 §4.1: the conference's assigned chair, or the cover chair recorded for them, decides; another chair may not. */
const decidesCovert = (actor: Actor, conference: MeetingConference) =>
  mayDecideCovert(actor) && actsAsChair(actor, conference);
const chairOnly =
  (actor: Actor, message: string) =>
  (conference: MeetingConference): ConferenceRule => ({
    ok: decidesCovert(actor, conference),
    reason: mayDecideCovert(actor) ? 'not the conference chair' : 'not a chair',
    message,
    // The page names the chair and says how a cover chair is recorded.
    error: new NotTheChairError(conference.id, conference.chairName),
  });

export class RecordingIncidentService implements RecordingIncidentUseCases {
  private readonly deps: RecordingIncidentServiceDeps;

  constructor(deps: RecordingIncidentServiceDeps) {
    this.deps = deps;
  }

  /** Runs `fn` once the caller passes the conference's per-child check and the rule of who may do it. */
  private within<T>(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
    how: ConferenceRuleOptions,
    fn: (scope: ConferenceScope) => Promise<T>,
  ): Promise<T> {
    return withConferenceRule(this.deps.uow, actor, conferenceId, ctx, how, fn);
  }

  private today(): string {
    return londonDateOf(this.deps.clock.now());
  }

  private async childNames(repos: Repositories, conferenceId: string) {
    const kids = await repos.meeting.listChildren(conferenceId);
    return kids.map((k) => ({ childId: k.childId, name: `${k.givenNames} ${k.familyName}` }));
  }

  /** P-8: family and friends on the register who attended and hold parental responsibility for none of the children. */
  private async people(repos: Repositories, conferenceId: string, invitees: MeetingInvitee[]) {
    const attendance = await repos.meeting.listAttendance(conferenceId);
    const attended = new Set(attendance.filter((a) => a.status === 'attended').map((a) => a.inviteeId));
    return invitees
      .filter(
        (i) =>
          FAMILY_AND_FRIENDS.includes(i.kind) &&
          attended.has(i.id) &&
          !i.relationships.some((r) => r.parentalResponsibility),
      )
      .map((i) => ({ inviteeId: i.id, name: i.name }));
  }

  private unpermittedView(r: UnpermittedRecordingRecord, invitees: MeetingInvitee[]): UnpermittedRecordingView {
    return {
      id: r.id,
      person: {
        inviteeId: r.personInviteeId,
        name: r.personInviteeId
          ? (invitees.find((i) => i.id === r.personInviteeId)?.name ?? 'Someone on the register')
          : (r.personDescription ?? ''),
      },
      askedToStopAt: r.askedToStopAt,
      meetingHaltedAt: r.meetingHaltedAt,
      askedToLeaveAt: r.askedToLeaveAt,
      outcome: { value: r.outcome, label: UNPERMITTED_OUTCOME_LABELS[r.outcome] },
      outcomeAt: r.outcomeAt,
      notes: r.notes,
      recordedBy: r.recordedByName ?? 'Unknown',
    };
  }

  private covertView(i: CovertIncidentRecord, names: Array<{ childId: string; name: string }>): CovertIncidentView {
    return {
      id: i.id,
      children: i.childIds.map((id) => names.find((n) => n.childId === id) ?? { childId: id, name: 'A child' }),
      foundOn: i.foundOn,
      foundBy: i.foundBy,
      howFound: i.howFound,
      published: { value: i.published, label: PUBLISHED_LABELS[i.published] },
      publishedWhere: i.publishedWhere,
      publishedOn: i.publishedOn,
      takenDown: i.takenDown ? { value: i.takenDown, label: TAKEN_DOWN_LABELS[i.takenDown] } : null,
      takenDownOn: i.takenDownOn,
      chairTold: i.chairMessageId !== null,
      reportedBy: i.reportedByName ?? 'Unknown',
      actions: i.actions.map((a) => ({
        id: a.id,
        action: { value: a.action, label: COVERT_ACTION_LABELS[a.action] },
        description: a.description,
        decision: { value: a.decision, label: ACTION_DECISION_LABELS[a.decision] },
        on: a.doneOn,
        by: a.doneBy,
        outcome: a.outcome,
      })),
      stillToConsider:
        i.closedOn === null
          ? actionsStillToConsider(
              i.published,
              i.actions.map((a) => a.action),
            ).map((value) => ({ value, label: COVERT_ACTION_LABELS[value] }))
          : [],
      outcome: i.outcome,
      closedOn: i.closedOn,
      open: i.closedOn === null,
      version: i.version,
    };
  }

  private async incidentOf(repos: Repositories, conferenceId: string, incidentId: string, lock = false) {
    const found = isUuid(incidentId)
      ? await repos.recordingIncidents.findCovert(incidentId.toLowerCase(), { lock })
      : null;
    if (!found || found.conferenceId !== conferenceId) throw new NotFoundError('The incident');
    return found;
  }

  private about(c: MeetingConference): string {
    return `the ${CONFERENCE_TYPE_LABELS[c.type].toLowerCase()} on ${longDate(c.scheduledDate)}`;
  }

  async openIncidents(actor: Actor, ctx: RequestContext): Promise<OpenIncidentListItem[]> {
    const action = 'covert-recordings.open.view';
    const record = (
      repos: Pick<Repositories, 'audit'>,
      outcome: 'success' | 'denied',
      details: Record<string, unknown>,
    ) => repos.audit.record({ action, actor: ctx.actor, correlationId: ctx.correlationId, outcome, details });
    if (!mayViewCovert(actor)) {
      await this.deps.uow.run((repos) =>
        record(repos, 'denied', { reason: 'not a chair, team manager or legal adviser' }),
      );
      throw new AccessDeniedError('Only a chair, a team manager or a legal adviser can see covert recording incidents');
    }
    return this.deps.uow.run(async (repos) => {
      const items: OpenIncidentListItem[] = [];
      let withheld = 0;
      for (const open of await repos.recordingIncidents.listOpen()) {
        const childIds = (await repos.convening.conferenceChildIds(open.conferenceId)) ?? [];
        let allowed = childIds.length > 0;
        for (const childId of childIds) {
          const facts = await repos.people.childAccessFacts(childId);
          if (!facts || !canViewIncidentsAbout(actor, facts).allowed) allowed = false;
        }
        const conference = allowed ? await repos.meeting.findConference(open.conferenceId) : null;
        if (!conference) {
          withheld++;
          continue;
        }
        items.push({
          id: open.id,
          conference: heading(conference),
          foundOn: open.foundOn,
          actionCount: open.actionCount,
        });
      }
      await record(repos, 'success', { covertIncidentIds: items.map((i) => i.id), withheld });
      return items;
    });
  }

  async overview(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceRecordingIncidents> {
    const action = 'recording-incidents.view';
    return this.within(actor, conferenceId, ctx, { access: 'view', action }, (scope) =>
      this.overviewIn(actor, scope, ctx, action),
    );
  }

  /**
   * P-8: the form for recording someone recording against the parents' wishes, for the conference's assigned or
   * cover chair only: another chair is refused (NotTheChairError) and the refusal audited.
   */
  async unpermittedForm(
    actor: Actor,
    conferenceId: string,
    ctx: RequestContext,
  ): Promise<ConferenceRecordingIncidents> {
    const action = 'unpermitted-recording.form';
    return this.within(
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action, rule: mayRecordUnpermittedRule(actor) },
      (scope) => this.overviewIn(actor, scope, ctx, action),
    );
  }

  private async overviewIn(
    actor: Actor,
    { repos, conference }: ConferenceScope,
    ctx: RequestContext,
    action: string,
  ): Promise<ConferenceRecordingIncidents> {
    const conferenceId = conference.id;
    const invitees = await repos.meeting.listInvitees(conferenceId);
    const unpermitted = (await repos.recordingIncidents.listUnpermitted(conferenceId)).map((r) =>
      this.unpermittedView(r, invitees),
    );
    const children = await this.childNames(repos, conferenceId);
    const viewCovert = mayViewCovert(actor);
    const covert = viewCovert
      ? (await repos.recordingIncidents.listCovert(conferenceId)).map((i) => this.covertView(i, children))
      : null;
    await auditConference(repos, ctx, action, conferenceId, {
      unpermitted: unpermitted.length,
      ...(covert ? { covertIncidentIds: covert.map((c) => c.id) } : {}),
    });
    return {
      conference: heading(conference),
      unpermitted,
      covert,
      people: await this.people(repos, conferenceId, invitees),
      children,
      can: {
        recordUnpermitted: recordsUnpermitted(actor, conference),
        reportCovert: mayReportCovert(actor),
        viewCovert,
        decide: decidesCovert(actor, conference),
      },
    };
  }

  async unpermittedAt(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<UnpermittedRecordingView[]> {
    const action = 'unpermitted-recordings.view';
    return this.within(actor, conferenceId, ctx, { access: 'view', action }, async ({ repos }) => {
      const invitees = await repos.meeting.listInvitees(conferenceId);
      const found = (await repos.recordingIncidents.listUnpermitted(conferenceId)).map((r) =>
        this.unpermittedView(r, invitees),
      );
      if (found.length) await auditConference(repos, ctx, action, conferenceId, { unpermitted: found.length });
      return found;
    });
  }

  async recordUnpermitted(
    actor: Actor,
    conferenceId: string,
    input: NewUnpermittedRecording,
    ctx: RequestContext,
  ): Promise<UnpermittedRecordingView> {
    const action = 'unpermitted-recording.record';
    return this.within(
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action, rule: mayRecordUnpermittedRule(actor) },
      async ({ repos, conference }) => {
        if (conference.status === 'cancelled') throw new ConflictError('This conference was cancelled');
        const invitees = await repos.meeting.listInvitees(conferenceId);
        const people = (await this.people(repos, conferenceId, invitees)).map((p) => p.inviteeId);
        const now = this.deps.clock.now();
        const { problems, checked } = checkUnpermittedRecording(
          input,
          { date: conference.scheduledDate, today: this.today(), nowMinutes: englandMinutes(now) },
          people,
        );
        if (problems.length) throw new InvalidDetailsError(problems);
        const saved = await repos.recordingIncidents.insertUnpermitted({
          conferenceId,
          ...checked,
          recordedByUserId: actor.id,
          createdAt: now,
        });
        await auditConference(repos, ctx, action, conferenceId, {
          unpermittedRecordingId: saved.id,
          outcome: saved.outcome,
          onRegister: saved.personInviteeId !== null,
        });
        return this.unpermittedView(saved, invitees);
      },
    );
  }

  async reportCovert(
    actor: Actor,
    conferenceId: string,
    input: NewCovertDiscovery,
    ctx: RequestContext,
  ): Promise<ReportedCovert> {
    const action = 'covert-recording.report';
    const messageIds: string[] = [];
    const reported = await this.within(
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action, rule: mayReportCovertRule(actor) },
      async ({ repos, conference, childIds }) => {
        const { problems, checked } = checkCovertDiscovery(input, conference.scheduledDate, this.today(), childIds);
        if (problems.length) throw new InvalidDetailsError(problems);
        // P-9: the chair is told, and the cover chair as well while one is recorded (002 §4.1).
        const tell = await chairsToTell(repos, conference);
        const chairTold = tell.chair !== null || tell.cover !== null;
        const id = await repos.recordingIncidents.insertCovert({
          conferenceId,
          ...checked,
          chairUserId: tell.chair?.id ?? null,
          reportedByUserId: actor.id,
          at: this.deps.clock.now(),
        });
        // In the same transaction as the incident; the first email (the assigned chair's) is kept with it.
        for (const user of everyoneIn(tell)) {
          const { messageId } = await this.deps.mail.queueWithin(repos, {
            template: COVERT_REPORTED_TEMPLATE,
            to: user.email,
            values: {
              conference_title: CONFERENCE_TYPE_LABELS[conference.type],
              conference_date: longDate(conference.scheduledDate),
              found_on: longDate(checked.foundOn),
              incident_link: `${this.deps.publicBaseUrl}/conferences/${conferenceId}/recording-incidents/covert/${id}`,
            },
            about: { subjectType: 'conference', subjectId: conferenceId, ctx },
          });
          if (!messageIds.length) await repos.recordingIncidents.setChairMessage(id, messageId);
          messageIds.push(messageId);
        }
        for (const childId of checked.childIds)
          await recordCaseNote(
            repos,
            this.deps.clock,
            {
              childId,
              kind: COVERT_REPORTED_NOTE_KIND,
              text: `A covert recording of ${this.about(conference)} was found on ${longDate(checked.foundOn)} and reported to the chair. The details are kept with the conference’s recording incidents, seen by chairs, team managers and the council’s legal advisers.`,
            },
            ctx,
          );
        await auditConference(repos, ctx, action, conferenceId, {
          incidentId: id,
          childIds: checked.childIds,
          published: checked.published,
          chairTold,
          ...(tell.cover ? { coverChairTold: true } : {}),
        });
        return { id, chairTold, mayView: mayViewCovert(actor) };
      },
    );
    await this.deps.mail.dispatch(...messageIds);
    return reported;
  }

  async covertDetail(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    ctx: RequestContext,
  ): Promise<CovertIncidentDetail> {
    const action = 'covert-recording.view';
    return this.within(
      actor,
      conferenceId,
      ctx,
      // P-9: an incident's own check, child by child: a legal adviser sees incidents, not the child's record.
      {
        access: canViewIncidentsAbout,
        action,
        rule: mayViewCovertRule(actor),
        childDenialMessage: covertDenialMessage(actor),
      },
      async ({ repos, conference }) => {
        const incident = await this.incidentOf(repos, conferenceId, incidentId);
        await auditConference(repos, ctx, action, conferenceId, { incidentId: incident.id });
        return {
          conference: heading(conference),
          incident: this.covertView(incident, await this.childNames(repos, conferenceId)),
          can: {
            decide: decidesCovert(actor, conference) && incident.closedOn === null,
            seeConference: hasAnyRole(actor, CHILD_RECORD_ROLES),
          },
        };
      },
    );
  }

  async recordAction(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: NewCovertAction,
    ctx: RequestContext,
  ): Promise<CovertIncidentView> {
    const action = 'covert-recording.action';
    return this.within(
      actor,
      conferenceId,
      ctx,
      { access: 'edit', action, rule: chairOnly(actor, 'Only the conference’s chair can record what was done') },
      async ({ repos }) => {
        const incident = await this.incidentOf(repos, conferenceId, incidentId, true);
        if (incident.closedOn !== null) throw new ConflictError('This incident is closed');
        const { problems, checked } = checkCovertAction(input, incident.foundOn, this.today());
        if (problems.length) throw new InvalidDetailsError(problems);
        const now = this.deps.clock.now();
        const saved = await repos.recordingIncidents.insertAction({
          incidentId: incident.id,
          action: checked.action,
          description: checked.description,
          decision: checked.decision,
          doneOn: checked.on,
          doneBy: checked.by,
          outcome: checked.outcome,
          recordedByUserId: actor.id,
          createdAt: now,
        });
        if (!(await repos.recordingIncidents.touch(incident.id, incident.version, now))) throw new StaleRecordError();
        await auditConference(repos, ctx, action, conferenceId, {
          incidentId: incident.id,
          actionId: saved.id,
          action: saved.action,
          decision: saved.decision,
        });
        const updated = await this.incidentOf(repos, conferenceId, incident.id);
        return this.covertView(updated, await this.childNames(repos, conferenceId));
      },
    );
  }

  async closeCovert(
    actor: Actor,
    conferenceId: string,
    incidentId: string,
    input: CovertClosing,
    ctx: RequestContext,
  ): Promise<CovertIncidentView> {
    const action = 'covert-recording.close';
    return this.within(
      actor,
      conferenceId,
      ctx,
      {
        access: 'edit',
        action,
        rule: chairOnly(actor, 'Only the conference’s chair can close an incident'),
        lock: true,
      },
      async ({ repos, conference }) => {
        const incident = await this.incidentOf(repos, conferenceId, incidentId, true);
        if (incident.closedOn !== null) throw new ConflictError('This incident is already closed');
        if (!Number.isSafeInteger(input.version) || input.version !== incident.version) throw new StaleRecordError();
        const problems = checkCovertClosing(
          input,
          {
            foundOn: incident.foundOn,
            published: incident.published,
            actions: incident.actions.map((a) => ({ action: a.action, on: a.doneOn })),
          },
          this.today(),
        );
        if (problems.length) throw new InvalidDetailsError(problems);
        const closed = await repos.recordingIncidents.close(incident.id, input.version, {
          outcome: input.outcome.trim(),
          closedOn: input.closedOn,
          closedByUserId: actor.id,
          at: this.deps.clock.now(),
        });
        if (!closed) throw new StaleRecordError();
        for (const childId of incident.childIds)
          await recordCaseNote(
            repos,
            this.deps.clock,
            {
              childId,
              kind: COVERT_CLOSED_NOTE_KIND,
              text: `The incident about a covert recording of ${this.about(conference)}, found on ${longDate(incident.foundOn)}, was closed on ${longDate(input.closedOn)}.`,
            },
            ctx,
          );
        await auditConference(repos, ctx, action, conferenceId, {
          incidentId: incident.id,
          actions: incident.actions.length,
        });
        const updated = await this.incidentOf(repos, conferenceId, incident.id);
        return this.covertView(updated, await this.childNames(repos, conferenceId));
      },
    );
  }

  /**
   * P-9, "reminders until closed": run by a scheduled job. Each open incident whose last reminder (or, before the
   * first, the day it was recorded) is `workingDays` working days ago or more reminds the conference's chair by
   * email through the outbox. Each reminder is claimed once per incident and day it fell due, with the incident
   * locked, so two nodes running the job at once send it once; an incident closed meanwhile is not reminded. When
   * no chair can be reminded (none named, or their account disabled), the reminder is still recorded and audited.
   */
  async sendReminders(): Promise<ReminderRun> {
    const { workingDays, calendar } = this.deps.reminders;
    const today = this.today();
    const run: ReminderRun = { due: 0, emailed: 0 };
    // Reminders go on working days only: one falling due on a bank holiday goes the next working day.
    if (!calendar.isWorkingDay(today as IsoDate)) return run;
    const open = await this.deps.uow.run((repos) => repos.recordingIncidents.listForReminders());
    for (const candidate of open) {
      const from = (candidate.lastRemindedOn ?? londonDateOf(candidate.reportedAt)) as IsoDate;
      const dueOn = addWorkingDays(from, workingDays, calendar);
      if (dueOn > today) continue;
      const messageIds: string[] = [];
      const claimed = await this.deps.uow.run(async (repos) => {
        const incident = await repos.recordingIncidents.findCovert(candidate.id, { lock: true });
        if (!incident || incident.closedOn !== null) return false;
        const at = this.deps.clock.now();
        if (!(await repos.recordingIncidents.claimReminder({ incidentId: incident.id, dueOn, sentOn: today, at })))
          return false;
        const conference = await repos.meeting.findConference(incident.conferenceId);
        if (!conference) throw new NotFoundError('The conference');
        // The chair (or, their account disabled, the chair told when it was recorded), and the cover chair while
        // one is recorded (002 §4.1). The reminder keeps the first of them; each email is in the outbox.
        const tell = await chairsToTell(repos, conference, [incident.chairUserId]);
        const still = actionsStillToConsider(
          incident.published,
          incident.actions.map((a) => a.action),
        );
        for (const user of everyoneIn(tell)) {
          const { messageId } = await this.deps.mail.queueWithin(repos, {
            template: COVERT_REMINDER_TEMPLATE,
            to: user.email,
            values: {
              conference_title: CONFERENCE_TYPE_LABELS[conference.type],
              conference_date: longDate(conference.scheduledDate),
              found_on: longDate(incident.foundOn),
              still_to_consider: still.length
                ? still.map((a) => `- ${COVERT_ACTION_LABELS[a]}`).join('\n')
                : '- Nothing: record the outcome and close the incident',
              incident_link: `${this.deps.publicBaseUrl}/conferences/${conference.id}/recording-incidents/covert/${incident.id}`,
            },
            about: { subjectType: 'conference', subjectId: conference.id, ctx: REMINDERS },
          });
          if (!messageIds.length)
            await repos.recordingIncidents.setReminderMessage(incident.id, dueOn, user.id, messageId);
          messageIds.push(messageId);
        }
        await auditConference(repos, REMINDERS, 'covert-recording.remind', conference.id, {
          incidentId: incident.id,
          dueOn,
          chairReminded: tell.chair !== null,
          ...(tell.cover ? { coverChairReminded: true } : {}),
          stillToConsider: still.length,
        });
        return true;
      });
      if (!claimed) continue;
      run.due++;
      run.emailed += messageIds.length;
      await this.deps.mail.dispatch(...messageIds);
    }
    return run;
  }
}

/**
 * P-9: open covert recording incidents for a dashboard, in the caller's transaction, for those who may see them
 * (chairs, team managers; legal advisers have no dashboard) and only for conferences the caller may see (`visible`). The caller
 * audits the ids shown.
 */
export async function openCovertIncidentsFor(
  repos: Pick<Repositories, 'recordingIncidents'>,
  actor: Actor,
  visible: (conferenceId: string) => boolean,
): Promise<OpenCovertIncident[]> {
  if (!hasAnyRole(actor, COVERT_VIEWER_ROLES)) return [];
  return (await repos.recordingIncidents.listOpen()).filter((i) => visible(i.conferenceId));
}

/**
 * P-8: what the conference record draws on: each time someone was asked to stop recording, in plain English with
 * its times, in the caller's transaction (the caller checks access and audits).
 */
export async function unpermittedRecordingFacts(
  repos: Pick<Repositories, 'recordingIncidents' | 'meeting'>,
  conferenceId: string,
): Promise<string[]> {
  const records = await repos.recordingIncidents.listUnpermitted(conferenceId);
  if (!records.length) return [];
  const invitees = await repos.meeting.listInvitees(conferenceId);
  return records.map((r) => {
    const who = r.personInviteeId
      ? (invitees.find((i) => i.id === r.personInviteeId)?.name ?? 'Someone on the register')
      : (r.personDescription ?? 'Someone');
    const steps = [
      `was asked to stop recording at ${r.askedToStopAt}`,
      ...(r.meetingHaltedAt ? [`the meeting was halted at ${r.meetingHaltedAt}`] : []),
      ...(r.askedToLeaveAt ? [`they were asked to leave at ${r.askedToLeaveAt}`] : []),
    ];
    return `${who} ${steps.join(', ')}, as the parents did not agree to the recording. ${UNPERMITTED_OUTCOME_LABELS[r.outcome]} (${r.outcomeAt}).`;
  });
}
