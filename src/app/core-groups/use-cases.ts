/** What the pages and the API see of core groups (002 §3.7, §3.10, §3.11), and what the use cases need. */
import type { Actor } from '../../domain/access/roles.ts';
import type { BankHolidayCalendar, IsoDate, TimescaleSettings } from '../../domain/calendar/index.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import type { Attendance, CoreGroupDue, Progress, RecordInput } from '../../domain/core-groups/core-groups.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';

export interface CoreGroupDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: BankHolidayCalendar;
  timescales: TimescaleSettings;
}

export interface StaffChoice {
  id: string;
  name: string;
}

export interface CoreGroupMember {
  inviteeId: string;
  name: string;
  /** "Family member", "Health visitor, NHS Trust". */
  description: string;
}

export interface PlanAction {
  ordinal: number;
  action: string;
  who: string;
  byWhen: IsoDate | null;
}

/** The child's plan the core group carries out: from the latest version recorded at the conference. */
export interface CorePlanView {
  conferenceId: string;
  conferenceType: ConferenceType;
  conferenceTitle: string;
  conferenceDate: IsoDate;
  planVersion: number;
  /** The latest decision keeps a plan (needed or continues). */
  inForce: boolean;
  firstCoreGroupDate: IsoDate | null;
  /** Named at the conference, or appointed afterwards by a team manager (002 §3.7). */
  lead: { userId: string; name: string | null; appointedAfterwards: boolean } | null;
  members: CoreGroupMember[];
  actions: PlanAction[];
}

export interface CoreGroupRecordView {
  version: number;
  attendance: Array<{ inviteeId: string; name: string; attendance: Attendance }>;
  progress: Array<{ ordinal: number; action: string; progress: Progress; note: string | null }>;
  notes: string | null;
  changeReason: string | null;
  recordedByName: string | null;
  recordedAt: Date;
}

export interface CoreGroupMeetingView {
  id: string;
  childId: string;
  conferenceId: string;
  sequence: number;
  /** "First core group", "Core group 3". */
  title: string;
  meetingDate: IsoDate;
  chair: { userId: string; name: string | null };
  version: number;
  recorded: boolean;
  record: CoreGroupRecordView | null;
}

export interface ChildCoreGroups {
  child: { id: string; name: string };
  plan: CorePlanView | null;
  /** When the next meeting falls due (while the plan is in force). */
  due: CoreGroupDue | null;
  meetings: CoreGroupMeetingView[];
  /** Who may chair a meeting: the lead social worker or a manager (002 §3.10). */
  chairChoices: StaffChoice[];
  /** Social workers a team manager may appoint as lead (002 §3.7). */
  leadChoices: StaffChoice[];
  can: { schedule: boolean; appointLead: boolean };
  /** The date to suggest for the next meeting: the plan's first core group date before the first. */
  suggestedDate: IsoDate | null;
}

export interface CoreGroupMeetingDetail {
  child: { id: string; name: string };
  plan: CorePlanView;
  meeting: CoreGroupMeetingView;
  /** Every version of the record, oldest first. */
  history: CoreGroupRecordView[];
  can: { record: boolean };
}

export interface ScheduleRequest {
  date: IsoDate | null;
  chairUserId: string;
}

export type RecordRequest = RecordInput & { version: number };

export interface CoreGroupUseCases {
  forChild(actor: Actor, childId: string, ctx: RequestContext): Promise<ChildCoreGroups>;
  meeting(actor: Actor, meetingId: string, ctx: RequestContext): Promise<CoreGroupMeetingDetail>;
  schedule(actor: Actor, childId: string, input: ScheduleRequest, ctx: RequestContext): Promise<CoreGroupMeetingView>;
  record(actor: Actor, meetingId: string, input: RecordRequest, ctx: RequestContext): Promise<CoreGroupMeetingDetail>;
  appointLead(actor: Actor, childId: string, input: { userId: string }, ctx: RequestContext): Promise<ChildCoreGroups>;
}
