/** What the plan-ending use cases need, and what they show (002 §3.8, §3.9, T-4, T-9). */
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate, StatutoryCalendar, TimescaleSettings } from '../../domain/calendar/index.ts';
import type { ConferenceType, Outcome } from '../../domain/conferences/decisions.ts';
import type {
  EndingInput,
  EndingReason,
  LookedAfterCriterion,
  StepDownInput,
  StepDownKind,
  TransferInput,
  TransferProgressInput,
} from '../../domain/plan-endings/index.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import type { NoticeMethod } from './ports.ts';

export interface PlanEndingDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: Pick<MailService, 'queueWithin' | 'dispatch'>;
  calendar: StatutoryCalendar;
  timescales: TimescaleSettings;
  councilName: string;
}

export interface StepDownView {
  id: string;
  version: number;
  kind: StepDownKind;
  kindLabel: string;
  leadProfessional: string;
  services: string;
  firstMeetingDate: IsoDate | null;
  recordedAt: Date;
}

/** The step-down form for one child at one conference. */
export interface StepDownForm {
  conference: { id: string; type: ConferenceType; date: IsoDate; held: boolean };
  child: { id: string; givenNames: string; familyName: string };
  outcome: Outcome;
  stepDown: StepDownView | null;
}

export interface NoticeView {
  id: string;
  recipientName: string;
  recipientRole: string | null;
  agencyName: string | null;
  method: NoticeMethod;
  /** The outbox message, for an email (administrators may open it). */
  outboxMessageId: string | null;
  letterText: string | null;
  createdAt: Date;
  postedAt: Date | null;
}

export interface EndingView {
  id: string;
  reason: EndingReason;
  reasonLabel: string;
  endedOn: IsoDate;
  details: string | null;
  lookedAfterCriterion: LookedAfterCriterion | null;
  lookedAfterCriterionLabel: string | null;
  modToldOn: IsoDate | null;
  modResourcesConfirmed: boolean;
  authorisedByName: string | null;
  authorisedOn: IsoDate | null;
  recordedAt: Date;
  notices: NoticeView[];
}

export interface TransferView {
  id: string;
  version: number;
  authorityName: string;
  contactEmail: string;
  noticeOn: IsoDate;
  conferenceDue: IsoDate;
  dueExplanation: string;
  receivingConferenceOn: IsoDate | null;
  confirmationReceivedOn: IsoDate | null;
  packText: string;
  packMessageId: string | null;
  overdue: boolean;
  complete: boolean;
}

/**
 * The state of the child's plan: none (no plan at their latest conference), active, ended by a conference whose
 * ending has not been recorded yet (the agencies not yet told), or ended.
 */
export type PlanState = 'none' | 'active' | 'ended-at-conference' | 'ended';

export interface ChildPlanView {
  child: { id: string; givenNames: string; familyName: string; dateOfBirth: IsoDate | null };
  state: PlanState;
  /** The conference whose plan this is (made, continued or ended there). */
  plan: {
    conferenceId: string;
    conferenceType: ConferenceType;
    conferenceDate: IsoDate;
    outcome: Outcome;
    leadSocialWorkerName: string | null;
    nextReviewDate: IsoDate | null;
    familyMeetingDate: IsoDate | null;
  } | null;
  stepDown: StepDownView | null;
  ending: EndingView | null;
  transfer: TransferView | null;
  warnings: string[];
  /** Team managers and quality assurance managers, for the authority of an ending. */
  seniorManagers: Array<{ id: string; name: string }>;
  mayRecord: boolean;
  /** Where a request for a copy of the recording is recorded (from the receiving authority). */
  copyRequestHref: string | null;
}

export type StepDownRequest = StepDownInput & { changeReason?: string | null | undefined };
export type EndingRequest = EndingInput;
export type TransferProgressRequest = TransferProgressInput & { version: number };

export interface PlanEndingUseCases {
  stepDownForm(actor: Actor, conferenceId: string, childId: string, ctx: RequestContext): Promise<StepDownForm>;
  recordStepDown(
    actor: Actor,
    conferenceId: string,
    childId: string,
    input: StepDownRequest,
    ctx: RequestContext,
  ): Promise<StepDownView>;
  forChild(actor: Actor, childId: string, ctx: RequestContext): Promise<ChildPlanView>;
  recordEnding(actor: Actor, childId: string, input: EndingRequest, ctx: RequestContext): Promise<ChildPlanView>;
  recordConferenceEnding(actor: Actor, childId: string, ctx: RequestContext): Promise<ChildPlanView>;
  markLetterPosted(actor: Actor, childId: string, noticeId: string, ctx: RequestContext): Promise<ChildPlanView>;
  recordTransfer(actor: Actor, childId: string, input: TransferInput, ctx: RequestContext): Promise<ChildPlanView>;
  recordTransferProgress(
    actor: Actor,
    childId: string,
    input: TransferProgressRequest,
    ctx: RequestContext,
  ): Promise<ChildPlanView>;
}
