/** What the recording incident use cases take and give (P-8, P-9). */
import type { Actor } from '../../domain/access/roles.ts';
import type { WorkingDayCalendar } from '../../domain/calendar/working-days.ts';
import type {
  CovertAction,
  PublicationAnswer,
  UnpermittedOutcome,
  UnpermittedRecordingInput,
} from '../../domain/recording-incidents/incidents.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { MailRepositories } from '../mail/ports.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

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

/** What the chair records of someone recording against the parents' wishes (P-8): the domain's own input. */
export type NewUnpermittedRecording = UnpermittedRecordingInput;

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
