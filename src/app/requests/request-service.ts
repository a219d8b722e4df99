/**
 * Requests for copies of conference recordings (A-1 … A-10): the use cases over the pure workflow in
 * src/domain/requests. Each step loads the request (locked), checks the version the user saw, applies
 * the domain's `applyEvent`, and in the same transaction saves the record, appends its timeline,
 * audits every event and carries out the effects: emails through the outbox and A-7 case notes.
 * Emails are handed to the mail service for delivery only after the transaction commits.
 *
 * Access: a request is seen only by users with a role in REQUEST_VIEW_ROLES who may see every child
 * of its conference (denials audited); the domain decides which role may take each step.
 *
 * The requester's personal data (name, email address, the children's details they give at A-5) is in
 * the stored record only: never in audit details, step details, logs or URLs.
 */
import { canViewChild, type ChildAccessFacts } from '../../domain/access/child-access.ts';
import { hasAnyRole, type Actor, type Role } from '../../domain/access/roles.ts';
import {
  formatLongDate,
  londonDateOf,
  type DeadlineRag,
  type DeadlineStatus,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS } from '../../domain/conferences/decisions.ts';
import { ATTENDANCE_LABELS } from '../../domain/conferences/attendance.ts';
import { WITHHOLDING_REASON_LABELS, type WithholdingReason } from '../../domain/recordings/index.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import {
  applyEvent,
  availableActions,
  buildWorkQueue,
  countByStep,
  isFinal,
  NOTIFIED_PARTIES,
  NOTIFIED_PARTY_LABELS,
  prefillWithheld,
  receiveRequest,
  REQUEST_ACTION_LABELS,
  REQUEST_STATE_LABELS,
  REQUEST_STATE_NEXT,
  REQUEST_STATES,
  REQUEST_STEP_ROLES,
  REQUEST_VIEW_ROLES,
  REQUESTER_TYPE_LABELS,
  REQUESTER_TYPE_SHORT_LABELS,
  REQUESTER_TYPES,
  requestDeadline,
  RequestError,
  validateReferral,
  validateVerificationReply,
  withheldFromRecording,
  type Applied,
  type CopyRequest,
  type NotifiedParty,
  type QueueRules,
  type Referral,
  type ReferralFacts,
  type ReferralInput,
  type ReferralRecording,
  type RequestAction,
  type RequestEffect,
  type RequestEvent,
  type RequestEventType,
  type RequesterInput,
  type RequesterType,
  type RequestState,
  type VerificationRecordChild,
  type VerificationReplyInput,
  type ConferenceChildFacts,
} from '../../domain/requests/index.ts';
import { AccessDeniedError, NotFoundError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { withConferenceAccess } from '../conferences/conference-access.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import type { MailRepositories } from '../mail/ports.ts';
import { recordCaseNote } from '../people/people-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { CopyRequestRecord, CopyRequestStepRecord, NewCopyRequestStep, RequestWarning } from './ports.ts';
import type { DeliverySummary } from './delivery-ports.ts';
import type { DeliveryService } from './delivery-service.ts';
import type { CopyStatus, DisclosureCopyService } from './disclosure-copies.ts';
import { copyReadyWithin, deliveryLiveWithin, withRequestAccess, type LoadedRequest } from './request-access.ts';

/** A-7: the kind of case note written on each child's record when the copy has been sent. */
export const COPY_SENT_CASE_NOTE_KIND = 'copy-request-sent';

/** Who may record a request (A-1). */
const REQUEST_STEP_ROLES_RECEIVE: readonly Role[] = REQUEST_STEP_ROLES.receive;

/** Roles that see every request they may access; anyone else with a request role sees only their own. */
const WHOLE_QUEUE_ROLES: readonly Role[] = ['business_support', 'qa_manager', 'access_to_records'];

/** A form posted with a version older than the stored one: someone else changed the request first. */
export const REQUEST_CHANGED =
  'This request was changed by someone else while you were working on it. Reload it and try again.';

export interface RequestMail {
  queueWithin(repos: MailRepositories, email: EmailToQueue): Promise<{ messageId: string }>;
  dispatch(...messageIds: string[]): Promise<void>;
}

export interface RequestServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  calendar: StatutoryCalendar;
  timescales: TimescaleSettings;
  mail: RequestMail;
  /** A-6: the secure delivery service, which makes the download link in the step's own transaction. */
  deliveries: Pick<DeliveryService, 'createWithin' | 'summaryWithin' | 'revoke'>;
  /** R-3: the disclosure copy service, which makes the redacted copy and reports on it. */
  copies: Pick<DisclosureCopyService, 'start' | 'status'>;
  settings: {
    /** The service's address, for links to the request in staff emails. */
    publicBaseUrl: string;
    /** How a requester reaches conference business support (((reply_to)) in emails). */
    replyTo: string;
    amberWorkingDays?: number;
  };
}

// ------------------------------------------------------------------ view models

export interface Named {
  id: string;
  name: string;
}

export interface ConferenceRef {
  id: string;
  title: string;
  date: IsoDate;
  typeLabel: string;
  childNames: string[];
}

export interface StepResult {
  id: string;
  state: RequestState;
  version: number;
  /** Things that could not be done, recorded visibly on the request. */
  warnings: string[];
}

export interface ReceiveRequestInput {
  conferenceId: string;
  receivedOn: string;
  requester: RequesterInput;
  chairId?: string | null;
}

export interface ReceiveFormView {
  conference: ConferenceRef;
  children: Array<{ id: string; name: string; dateOfBirth: IsoDate | null }>;
  people: Array<{ id: string; name: string; prChildIds: string[] }>;
  chairs: Named[];
  requesterTypes: Array<{ value: RequesterType; label: string }>;
}

export interface QueueFilterInput {
  steps?: readonly RequestState[];
  statuses?: readonly DeadlineRag[];
  mine?: boolean;
  includeFinished?: boolean;
}

export interface RequestSummaryRow {
  id: string;
  reference: string;
  conference: ConferenceRef;
  requesterType: RequesterType;
  requesterTypeLabel: string;
  requesterName: string;
  state: RequestState;
  stateLabel: string;
  receivedOn: IsoDate;
  dueOn: IsoDate;
  status: DeadlineStatus | null;
  sentInTime: boolean | null;
  extended: boolean;
  chair: Named | null;
}

export interface WorkQueueView {
  rows: RequestSummaryRow[];
  counts: Record<RequestState, number>;
  filter: { steps: RequestState[]; statuses: DeadlineRag[]; mine: boolean; includeFinished: boolean };
  onlyOwn: boolean;
}

export interface StepView {
  seq: number;
  action: RequestAction | 'warning';
  actionLabel: string;
  from: RequestState | null;
  to: RequestState;
  toLabel: string;
  at: Date;
  actor: Named | null;
  details: Array<{ label: string; value: string }>;
}

export interface ReferralView {
  conferenceDate: IsoDate;
  children: Named[];
  childrenWithoutPr: Named[];
  email: string;
  withheld: Array<{
    recordingLabel: string;
    startMs: number;
    endMs: number;
    reasonLabel: string;
    explanation: string;
    fromTimeline: boolean;
  }>;
  nothingWithheld: boolean;
  recordings: Array<{ id: string; label: string }>;
  parts: Array<{ id: string; label: string }>;
  jointConsideration: { on: IsoDate; faceToFace: boolean; notes: string | null } | null;
  adjustment: string | null;
  reasons: string | null;
  advice: string | null;
}

export interface RequestView extends RequestSummaryRow {
  version: number;
  request: CopyRequest;
  next: string;
  deadline: { due: IsoDate; explanation: string; rule: string };
  childrenCovered: Named[];
  childrenWithoutPr: Named[];
  requesterDetails: Array<{ label: string; value: string }>;
  referral: ReferralView | null;
  timeline: StepView[];
  actions: RequestEventType[];
  approvalBlockedReason: string | null;
  verificationFailure: { attempt: number; staffMessages: string[]; at: Date } | null;
  verificationChildCount: number;
  /** A-5: children in the referral not born yet (the requester gives the expected date of delivery for them). */
  verificationUnborn: string[];
  copy: { copyId: string; preparedBy: Named; preparedAt: Date } | null;
  approval: { approvedBy: Named; approvedAt: Date } | null;
  delivery: { deliveryId: string; sentBy: Named; sentAt: Date } | null;
  outcome: { kind: 'refused' | 'withdrawn'; reason: string; by: Named; at: Date } | null;
  extension: { reason: string; toldOn: IsoDate; by: Named; at: Date } | null;
  warnings: RequestWarning[];
}

/** The request's page: the request and, once the copy has been sent, its secure deliveries (A-6). */
export interface RequestPageView {
  view: RequestView;
  deliveries: DeliverySummary[];
}

export interface ReferralFormView {
  request: RequestSummaryRow & { version: number; requesterType: RequesterType };
  conference: ConferenceRef & {
    children: Array<{ id: string; name: string; covered: boolean; withoutPr: boolean }>;
    parts: Array<{ id: string; label: string }>;
    split: boolean;
  };
  recordings: Array<{
    id: string;
    label: string;
    partId: string | null;
    partLabel: string | null;
    durationMs: number;
    segments: Array<{
      id: string;
      startMs: number;
      endMs: number;
      reasonLabel: string;
      explanation: string;
      withheldFromLabel: string;
      prefilled: boolean;
    }>;
  }>;
  attendance: Array<{ name: string; roleLabel: string; statusLabel: string; exclusion: string | null }>;
  needsJointConsideration: boolean;
  prefill: ReferralInput;
  amending: boolean;
}

export interface DisclosurePlan {
  requestId: string;
  conferenceId: string;
  recordingIds: string[];
  withheld: Array<{
    recordingId: string;
    startMs: number;
    endMs: number;
    reason: WithholdingReason;
    explanation: string;
    approvedBy: string;
  }>;
}

export type StepInput =
  | { type: 'refer'; referral: ReferralInput }
  | { type: 'amend-referral'; referral: ReferralInput; reason: string }
  | { type: 'resolve-queries'; note?: string | null }
  | { type: 'check-recording'; partsListened: string; confirmedRightRecording: boolean }
  | { type: 'request-verification' }
  | { type: 'record-verification'; reply: VerificationReplyInput }
  | { type: 'resume-verification'; note: string }
  | { type: 'prepare-copy'; copyId: string }
  | { type: 'approve-copy' }
  | { type: 'reject-copy'; reason: string }
  | { type: 'send'; deliveryId: string }
  | { type: 'record-notifications'; toldOtherwise?: readonly NotifiedParty[] }
  | { type: 'close' }
  | { type: 'refuse'; reason: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'extend'; reason: string; toldOn: string };

// ------------------------------------------------------------------ helpers

type StaffTarget = Extract<RequestEffect, { kind: 'notify-staff' }>['to'];

const STAFF_TARGET_LABELS: Record<StaffTarget, string> = {
  'business-support': 'conference business support',
  'social-worker': 'the social worker',
  'qa-manager': 'the quality assurance service manager',
  chair: 'the chair',
};

/** The email each staff notification uses. */
function staffTemplate(
  to: StaffTarget,
  about: Extract<RequestEffect, { kind: 'notify-staff' }>['about'],
): string | null {
  switch (about) {
    case 'referred':
      return 'request-referred';
    case 'verification-failed':
      return 'confirmation-failed';
    case 'copy-sent':
      return to === 'chair'
        ? 'copy-sent-chair'
        : to === 'social-worker'
          ? 'copy-sent-social-worker'
          : to === 'qa-manager'
            ? 'copy-sent-qa-manager'
            : null;
    case 'refused':
    case 'withdrawn':
      return 'request-ended';
    default:
      return null;
  }
}

/** A-7: who was emailed, in words, for the case note. */
function toldText(parties: readonly NotifiedParty[]): string {
  const names = NOTIFIED_PARTIES.filter((p) => parties.includes(p)).map((p) => NOTIFIED_PARTY_LABELS[p].toLowerCase());
  if (names.length === 0) return 'Nobody could be emailed about it from the service.';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
  return `The ${list} ${names.length > 1 ? 'have' : 'has'} been emailed.`;
}

const PARTY_OF_TARGET: Partial<Record<StaffTarget, NotifiedParty>> = {
  chair: 'chair',
  'social-worker': 'social-worker',
  'qa-manager': 'qa-manager',
};

export function requestReference(r: Pick<CopyRequestRecord, 'number' | 'request'>): string {
  return `CR-${r.request.receivedOn.slice(0, 4)}-${String(r.number).padStart(4, '0')}`;
}

const fullName = (p: { givenNames: string; familyName: string }) => `${p.givenNames} ${p.familyName}`;

function msToClock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
    : `${m}:${String(s).padStart(2, '0')}`;
}

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
};

const FAILURE_LABELS: Record<string, string> = {
  'email-not-confirmed': 'email address not confirmed as secure',
  mismatch: 'children’s details did not match',
  'unexpected-child': 'a child not in the request was named',
  'no-checkable-child': 'no child could be checked',
};

type Loaded = LoadedRequest;

/** A step the domain refused the actor: carried out of the transaction so the denial is audited after the rollback. */
class StepDenied extends Error {
  override readonly cause: AccessDeniedError;
  constructor(cause: AccessDeniedError) {
    super(cause.message);
    this.cause = cause;
  }
}

export class RequestService {
  private readonly deps: RequestServiceDeps;

  constructor(deps: RequestServiceDeps) {
    this.deps = deps;
  }

  private get rules(): QueueRules & { settings: TimescaleSettings } {
    return {
      calendar: this.deps.calendar,
      settings: this.deps.timescales,
      ...(this.deps.settings.amberWorkingDays !== undefined
        ? { amberWorkingDays: this.deps.settings.amberWorkingDays }
        : {}),
    };
  }

  private link(id: string): string {
    return `${this.deps.settings.publicBaseUrl}/requests/${id}`;
  }

  // ---------------------------------------------------------------- access

  private async denied(
    ctx: RequestContext,
    action: string,
    subject: { type: string; id: string },
    reason: string,
  ): Promise<never> {
    await this.deps.uow.run(({ audit }) =>
      audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject,
        outcome: 'denied',
        details: { reason },
      }),
    );
    throw new AccessDeniedError();
  }

  private async requireViewRole(
    actor: Actor,
    ctx: RequestContext,
    action: string,
    subject: { type: string; id: string },
  ): Promise<void> {
    if (!hasAnyRole(actor, REQUEST_VIEW_ROLES))
      await this.denied(ctx, action, subject, 'role may not see requests for copies');
  }

  /**
   * Runs `fn` in ONE transaction with the request, once the actor has a request role and may see every
   * child of its conference (denials audited under `action`).
   */
  private async withRequest<T>(
    actor: Actor,
    ctx: RequestContext,
    requestId: string,
    action: string,
    fn: (repos: Repositories, loaded: Loaded) => Promise<T>,
    opts: { lock?: boolean } = {},
  ): Promise<T> {
    if (!isUuid(requestId)) throw new NotFoundError('The request');
    await this.requireViewRole(actor, ctx, action, { type: 'copy-request', id: requestId });
    return withRequestAccess(this.deps.uow, actor, requestId, action, ctx, fn, opts);
  }

  private async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    requestId: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await repos.audit.record({
      action,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      subject: { type: 'copy-request', id: requestId },
      outcome: 'success',
      details,
    });
  }

  // ---------------------------------------------------------------- reading: names and facts

  private async conferenceRef(
    repos: Repositories,
    conferenceId: string,
  ): Promise<
    ConferenceRef & {
      children: Array<{
        id: string;
        name: string;
        dateOfBirth: IsoDate | null;
        allocatedSocialWorkerId: string | null;
      }>;
    }
  > {
    const conference = await repos.meeting.findConference(conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    const children = await repos.meeting.listChildren(conferenceId);
    const typeLabel = CONFERENCE_TYPE_LABELS[conference.type];
    return {
      id: conference.id,
      title: `${typeLabel} on ${formatLongDate(conference.scheduledDate)}`,
      date: conference.scheduledDate,
      typeLabel,
      childNames: children.map(fullName),
      children: children.map((c) => ({
        id: c.childId,
        name: fullName(c),
        dateOfBirth: c.dateOfBirth,
        allocatedSocialWorkerId: c.allocatedSocialWorkerId,
      })),
    };
  }

  private async userName(
    repos: Repositories,
    id: string | null,
    cache = new Map<string, string>(),
  ): Promise<Named | null> {
    if (!id) return null;
    if (!cache.has(id)) cache.set(id, (await repos.accounts.findUserById(id))?.name ?? 'A former member of staff');
    return { id, name: cache.get(id)! };
  }

  private async requesterName(repos: Repositories, r: CopyRequest, names: Map<string, string>): Promise<string> {
    const q = r.requester;
    switch (q.type) {
      case 'child':
        return (
          names.get(q.childId) ?? (await repos.people.findChild(q.childId).then((c) => (c ? fullName(c) : 'A child')))
        );
      case 'pr-holder':
        return (await repos.people.findPerson(q.personId).then((p) => (p ? fullName(p) : null))) ?? 'A family member';
      case 'court':
        return `${q.contactName}, ${q.courtName}`;
      case 'complaints-service':
        return `${q.contactName}, complaints and information service`;
      case 'qa-service':
        return `${q.contactName}, quality assurance service`;
      case 'local-authority':
        return `${q.contactName}, ${q.authorityName}`;
    }
  }

  private requesterDetails(r: CopyRequest): Array<{ label: string; value: string }> {
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

  private async summaryRow(
    repos: Repositories,
    record: CopyRequestRecord,
    today: IsoDate,
    caches: {
      users: Map<string, string>;
      conferences: Map<string, Awaited<ReturnType<RequestService['conferenceRef']>>>;
    },
  ): Promise<RequestSummaryRow> {
    const r = record.request;
    let conference = caches.conferences.get(record.conferenceId);
    if (!conference) {
      conference = await this.conferenceRef(repos, record.conferenceId);
      caches.conferences.set(record.conferenceId, conference);
    }
    const names = new Map(conference.children.map((c) => [c.id, c.name]));
    const item = buildWorkQueue([{ ...r, id: record.id }], today, this.rules, { includeFinished: true })[0]!;
    const { children: _children, ...ref } = conference;
    return {
      id: record.id,
      reference: requestReference(record),
      conference: ref,
      requesterType: r.requester.type,
      requesterTypeLabel: REQUESTER_TYPE_SHORT_LABELS[r.requester.type],
      requesterName: await this.requesterName(repos, r, names),
      state: r.state,
      stateLabel: REQUEST_STATE_LABELS[r.state],
      receivedOn: r.receivedOn,
      dueOn: item.deadline.due,
      status: item.status,
      sentInTime: item.sentInTime,
      extended: r.extension !== null,
      chair: await this.userName(repos, r.chairId, caches.users),
    };
  }

  private async recordingsFor(
    repos: Repositories,
    conferenceId: string,
  ): Promise<{
    recordings: ReferralRecording[];
    labels: Map<string, string>;
    parts: Array<{ id: string; label: string }>;
  }> {
    const conference = await repos.meeting.findConference(conferenceId);
    if (!conference) throw new NotFoundError('The conference');
    const meetingParts = await repos.meeting.listParts(conferenceId);
    const parts = meetingParts.map((p) => ({ id: p.id, label: p.label }));
    const all = await repos.recordings.listForConference(conferenceId);
    // A-3, A-4: each recording by the name every page gives it (type, date, part, number, where it was made).
    const names = nameRecordings(conference, meetingParts, all);
    const stored = all.filter((r) => r.status === 'stored' && r.kind === 'meeting' && r.durationMs !== null);
    const recordings: ReferralRecording[] = [];
    const labels = new Map<string, string>();
    for (const r of stored) {
      const segments = (await repos.recordings.listWithheld(r.id)).map((w) => ({
        id: w.id,
        startMs: w.startMs,
        endMs: w.endMs,
        reason: w.reason,
        explanation: w.explanation,
        withheldFrom: w.withheldFrom,
      }));
      recordings.push({ id: r.id, partId: r.conferencePartId, durationMs: r.durationMs!, segments });
      labels.set(r.id, `${names.get(r.id)!}, ${msToClock(r.durationMs!)} long`);
    }
    return { recordings, labels, parts };
  }

  private async referralFacts(
    repos: Repositories,
    record: CopyRequestRecord,
  ): Promise<{ facts: ReferralFacts; labels: Map<string, string> }> {
    const conf = await this.conferenceRef(repos, record.conferenceId);
    const { recordings, labels, parts } = await this.recordingsFor(repos, record.conferenceId);
    return {
      labels,
      facts: {
        requester: record.request.requester,
        receivedOn: record.request.receivedOn,
        today: londonDateOf(this.deps.clock.now()),
        conference: {
          id: conf.id,
          date: conf.date,
          children: conf.children.map((c) => ({ id: c.id, name: c.name })),
          parts,
        },
        recordings,
        childrenWithoutPr: record.request.childrenWithoutPr,
      },
    };
  }

  private referralView(referral: Referral, facts: ReferralFacts, labels: Map<string, string>): ReferralView {
    const childName = new Map(facts.conference.children.map((c) => [c.id, c.name]));
    const named = (ids: readonly string[]) =>
      ids.map((id) => ({ id, name: childName.get(id) ?? 'A child no longer in the conference' }));
    const withheld = referral.recordingIds.flatMap((id) => {
      const recording = facts.recordings.find((r) => r.id === id);
      if (!recording) return [];
      return withheldFromRecording(referral, recording).items.map((w) => ({
        recordingLabel: labels.get(id) ?? 'Recording',
        startMs: w.startMs,
        endMs: w.endMs,
        reasonLabel: WITHHOLDING_REASON_LABELS[w.reason],
        explanation: w.explanation,
        fromTimeline: w.segmentId !== null,
      }));
    });
    return {
      conferenceDate: referral.conferenceDate,
      children: named(referral.childIds),
      childrenWithoutPr: named(referral.childrenWithoutPr),
      email: referral.email,
      withheld,
      nothingWithheld: referral.nothingWithheld,
      recordings: referral.recordingIds.map((id) => ({ id, label: labels.get(id) ?? 'A recording no longer stored' })),
      parts: referral.partIds.map((id) => ({
        id,
        label: facts.conference.parts.find((p) => p.id === id)?.label ?? 'Part',
      })),
      jointConsideration: referral.jointConsideration,
      adjustment: referral.adjustment,
      reasons: referral.reasons,
      advice: referral.advice,
    };
  }

  private async stepViews(
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
        else if (key === 'receivedOn' || key === 'toldOn' || key === 'due' || key === 'jointConsideration')
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
        actionLabel: s.action === 'warning' ? 'Could not be done' : REQUEST_ACTION_LABELS[s.action],
        from: s.fromState,
        to: s.toState,
        toLabel: REQUEST_STATE_LABELS[s.toState],
        at: s.at,
        actor: await this.userName(repos, s.actorId, users),
        details,
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- reading: the pages

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
      const records = await repos.copyRequests.list(applied.mine || chairOnly ? { chairId: actor.id } : {});
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
      const caches = { users: new Map<string, string>(), conferences: new Map() };
      const rows: RequestSummaryRow[] = [];
      for (const item of shown) rows.push(await this.summaryRow(repos, byId.get(item.request.id)!, today, caches));
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
  private async visibleRecords(
    repos: Repositories,
    actor: Actor,
    records: CopyRequestRecord[],
  ): Promise<CopyRequestRecord[]> {
    const facts = new Map<string, ChildAccessFacts | null>();
    const conferenceOk = new Map<string, boolean>();
    const out: CopyRequestRecord[] = [];
    for (const r of records) {
      let ok = conferenceOk.get(r.conferenceId);
      if (ok === undefined) {
        const childIds = (await repos.convening.conferenceChildIds(r.conferenceId)) ?? [];
        ok = childIds.length > 0;
        for (const id of childIds) {
          if (!facts.has(id)) facts.set(id, await repos.people.childAccessFacts(id));
          const f = facts.get(id);
          if (!f || !canViewChild(actor, f).allowed) ok = false;
        }
        conferenceOk.set(r.conferenceId, ok);
      }
      if (ok) out.push(r);
    }
    return out;
  }

  /**
   * For "Record a request" (A-1): the conferences of these children, newest first, each with its stored
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
        const { children: _children, ...ref } = await this.conferenceRef(repos, c.id);
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

  async listForConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<RequestSummaryRow[]> {
    await this.requireViewRole(actor, ctx, 'copy-request.list', { type: 'conference', id: conferenceId });
    return withConferenceAccess(this.deps.uow, actor, conferenceId, 'view', 'copy-request.list', ctx, async (repos) => {
      const today = londonDateOf(this.deps.clock.now());
      const records = await repos.copyRequests.list({ conferenceId });
      const caches = { users: new Map<string, string>(), conferences: new Map() };
      const rows: RequestSummaryRow[] = [];
      for (const r of records) rows.push(await this.summaryRow(repos, r, today, caches));
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
   * for it, newest first (A-6). Audited as copy-request.view, and as delivery.summary when deliveries are shown.
   */
  async page(actor: Actor, requestId: string, ctx: RequestContext): Promise<RequestPageView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.view', async (repos, { record }) => {
      const view = await this.buildView(repos, actor, record);
      await this.audit(repos, ctx, 'copy-request.view', record.id, { state: record.request.state });
      const deliveries = view.delivery ? await this.deps.deliveries.summaryWithin(repos, record.id, ctx) : [];
      return { view, deliveries };
    });
  }

  async steps(actor: Actor, requestId: string, ctx: RequestContext): Promise<StepView[]> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.view', async (repos, { record }) => {
      const conf = await this.conferenceRef(repos, record.conferenceId);
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

  private async buildView(repos: Repositories, actor: Actor, record: CopyRequestRecord): Promise<RequestView> {
    const r = record.request;
    const today = londonDateOf(this.deps.clock.now());
    const users = new Map<string, string>();
    const caches = { users, conferences: new Map() };
    const row = await this.summaryRow(repos, record, today, caches);
    const conf = caches.conferences.get(record.conferenceId)! as Awaited<ReturnType<RequestService['conferenceRef']>>;
    const childNames = new Map(conf.children.map((c) => [c.id, c.name]));
    const named = (ids: readonly string[]) => ids.map((id) => ({ id, name: childNames.get(id) ?? 'A child' }));
    const deadline = requestDeadline(r, this.rules);
    let referral: ReferralView | null = null;
    if (r.referral) {
      const { facts, labels } = await this.referralFacts(repos, record);
      referral = this.referralView(r.referral, facts, labels);
    }
    const who = async (id: string) => (await this.userName(repos, id, users))!;
    const failure = r.verification.lastFailure;
    return {
      ...row,
      version: record.version,
      request: r,
      next: REQUEST_STATE_NEXT[r.state],
      deadline: { due: deadline.due, explanation: deadline.explanation, rule: deadline.ruleId },
      childrenCovered: named(r.childrenCovered),
      childrenWithoutPr: named(r.childrenWithoutPr),
      requesterDetails: this.requesterDetails(r),
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

  // ---------------------------------------------------------------- recording a request (A-1)

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
        const conf = await this.conferenceRef(repos, conferenceId);
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
        };
      },
    );
  }

  /**
   * Records a request (A-1). Eligibility is checked against the record: the child's age on the date
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
        await this.record(repos, ctx, saved.id, { request: { ...applied.request, history: [] } }, applied);
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

  /** Appends the steps and audit entries for what `applied` did to the request. */
  private async record(
    repos: Repositories,
    ctx: RequestContext,
    requestId: string,
    before: Pick<CopyRequestRecord, 'request'>,
    applied: Applied,
    extraDetails: Record<string, unknown> = {},
  ): Promise<void> {
    const newHistory = applied.request.history.slice(before.request.history.length);
    const steps: NewCopyRequestStep[] = applied.events.map((e, i) => ({
      action: newHistory[i]?.action ?? 'receive',
      fromState: e.from,
      toState: e.to,
      at: e.at,
      actorId: e.actorId,
      details: { ...e.details, ...(i === applied.events.length - 1 ? extraDetails : {}) },
    }));
    await repos.copyRequests.appendSteps(requestId, steps);
    for (const e of applied.events) {
      await this.audit(repos, ctx, e.action, requestId, { from: e.from, to: e.to, ...e.details, ...extraDetails });
    }
  }

  // ---------------------------------------------------------------- the chair's referral (A-3)

  async referralForm(actor: Actor, requestId: string, ctx: RequestContext): Promise<ReferralFormView> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.referral-form', async (repos, { record }) => {
      const r = record.request;
      const today = londonDateOf(this.deps.clock.now());
      const caches = { users: new Map<string, string>(), conferences: new Map() };
      const row = await this.summaryRow(repos, record, today, caches);
      const conf = caches.conferences.get(record.conferenceId)! as Awaited<ReturnType<RequestService['conferenceRef']>>;
      const { recordings, labels, parts } = await this.recordingsFor(repos, record.conferenceId);
      const prefilled = new Set(prefillWithheld(r.requester, recordings));
      const partLabel = new Map(parts.map((p) => [p.id, p.label]));
      const personNames = new Map<string, string>();
      const withheldFromLabel = async (w: ReferralRecording['segments'][number]['withheldFrom']) => {
        if (w.kind === 'all-family') return 'Everyone in the family';
        const names: string[] = [];
        for (const id of w.personIds) {
          if (!personNames.has(id))
            personNames.set(
              id,
              await repos.people.findPerson(id).then((p) => (p ? fullName(p) : 'a person no longer on record')),
            );
          names.push(personNames.get(id)!);
        }
        return names.join(', ');
      };
      const recordingViews: ReferralFormView['recordings'] = [];
      for (const rec of recordings) {
        const segments = [];
        for (const s of rec.segments) {
          segments.push({
            id: s.id,
            startMs: s.startMs,
            endMs: s.endMs,
            reasonLabel: WITHHOLDING_REASON_LABELS[s.reason],
            explanation: s.explanation,
            withheldFromLabel: await withheldFromLabel(s.withheldFrom),
            prefilled: prefilled.has(s.id),
          });
        }
        recordingViews.push({
          id: rec.id,
          label: labels.get(rec.id)!,
          partId: rec.partId,
          partLabel: rec.partId ? (partLabel.get(rec.partId) ?? null) : null,
          durationMs: rec.durationMs,
          segments,
        });
      }
      const invitees = new Map((await repos.meeting.listInvitees(record.conferenceId)).map((i) => [i.id, i]));
      const attendance = (await repos.meeting.listAttendance(record.conferenceId))
        .filter((a) => a.status !== 'invited')
        .map((a) => {
          const who = invitees.get(a.inviteeId);
          const part = parts.length > 1 ? partLabel.get(a.partId) : null;
          return {
            name: who?.name ?? 'Someone no longer invited',
            roleLabel: who ? (who.roleTitle ?? (who.agencyName ? who.agencyName : who.kind.replace(/-/g, ' '))) : '',
            statusLabel: `${ATTENDANCE_LABELS[a.status]}${part ? ` (${part})` : ''}`,
            exclusion:
              a.status === 'excluded'
                ? `${a.exclusionExtent === 'partial' ? 'Excluded from part of the conference' : 'Excluded from the conference'}${a.exclusionReason ? `: ${a.exclusionReason}` : ''}`
                : null,
          };
        });
      const existing = r.referral;
      const prefill: ReferralInput = existing
        ? {
            childIds: existing.childIds,
            email: existing.email,
            emailVerified: false,
            withheldSegmentIds: existing.withheldSegmentIds,
            withheldAdded: existing.withheldAdded.map((w) => ({
              recordingId: w.recordingId,
              start: msToClock(w.startMs),
              end: msToClock(w.endMs),
              reason: w.reason,
              explanation: w.explanation,
            })),
            nothingWithheld: existing.nothingWithheld,
            recordingIds: existing.recordingIds,
            partIds: existing.partIds,
            jointConsideration: existing.jointConsideration
              ? {
                  on: existing.jointConsideration.on,
                  faceToFace: existing.jointConsideration.faceToFace,
                  notes: existing.jointConsideration.notes,
                  childTookPart: true,
                  socialWorkerTookPart: true,
                  chairTookPart: true,
                }
              : null,
            adjustment: existing.adjustment,
            reasons: existing.reasons,
            advice: existing.advice,
          }
        : {
            childIds: r.childrenCovered,
            // A-3: a family member's email address on their record; the chair still confirms it with them.
            ...(r.requester.type === 'pr-holder'
              ? { email: (await repos.people.findPerson(r.requester.personId))?.email ?? undefined }
              : {}),
            withheldSegmentIds: [...prefilled],
            recordingIds: recordings.length === 1 ? [recordings[0]!.id] : [],
            partIds: [],
          };
      await this.audit(repos, ctx, 'copy-request.referral-form', record.id);
      const { children, ...ref } = conf;
      return {
        request: { ...row, version: record.version, requesterType: r.requester.type },
        conference: {
          ...ref,
          children: children.map((c) => ({
            id: c.id,
            name: c.name,
            covered: r.childrenCovered.includes(c.id),
            withoutPr: r.childrenWithoutPr.includes(c.id),
          })),
          parts,
          split: parts.length > 1,
        },
        recordings: recordingViews,
        attendance,
        needsJointConsideration: r.requester.type === 'child',
        prefill,
        amending: existing !== null,
      };
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
      const { facts, labels } = await this.referralFacts(repos, record);
      return this.referralView(validateReferral(input, facts), facts, labels);
    });
  }

  // ---------------------------------------------------------------- taking steps

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
   * A-6, A-7: sends the approved copy. In ONE transaction it checks access and the version the user saw,
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
    const built = await this.buildEvent(repos, record, step, { copyReady, deliveryReady });
    let applied: Applied;
    try {
      applied = applyEvent(before, built.event, { actor, at: this.deps.clock.now(), rules: this.rules });
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new StepDenied(err);
      throw err;
    }
    const at = this.deps.clock.now();
    const effects = await this.carryOut(repos, ctx, record, applied, messageIds);
    const warnings = [...record.warnings, ...effects.warnings.map((text) => ({ at, text }))];
    const dueOn = requestDeadline(applied.request, this.rules).due;
    const newVersion = await repos.copyRequests.update(record.id, version, {
      request: applied.request,
      dueOn,
      warnings,
      at,
    });
    if (newVersion === null) throw new StaleRecordError(REQUEST_CHANGED);
    await this.record(repos, ctx, record.id, record, applied, { ...built.details, ...effects.details });
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

  /** The domain event for a step, with what it needs from the record (referral facts, the children's records). */
  private async buildEvent(
    repos: Repositories,
    record: CopyRequestRecord,
    step: StepInput,
    checks: { copyReady: boolean; deliveryReady: boolean },
  ): Promise<{ event: RequestEvent; details: Record<string, unknown> }> {
    const r = record.request;
    switch (step.type) {
      case 'refer':
      case 'amend-referral': {
        const { facts } = await this.referralFacts(repos, record);
        const referral = validateReferral(step.referral ?? {}, facts);
        return {
          event:
            step.type === 'refer'
              ? { type: 'refer', referral }
              : { type: 'amend-referral', referral, reason: step.reason },
          details: {},
        };
      }
      case 'record-verification': {
        const reply = validateVerificationReply(step.reply ?? {});
        const recordChildren: VerificationRecordChild[] = [];
        for (const id of r.referral?.childIds ?? []) {
          const child = await repos.people.findChild(id);
          if (child)
            recordChildren.push({
              id,
              givenNames: child.givenNames,
              familyName: child.familyName,
              dateOfBirth: child.dateOfBirth,
              expectedDeliveryDate: child.expectedDeliveryDate,
            });
        }
        return { event: { type: 'record-verification', reply, recordChildren }, details: {} };
      }
      case 'prepare-copy': {
        const copyId = (step.copyId ?? '').trim();
        // Only a copy the disclosure copy service made for this request, and finished, may be recorded.
        if (copyId && !checks.copyReady && r.state === 'verified') {
          throw new RequestError(
            'INVALID_REQUEST',
            'That copy is not ready yet, or was not made for this request. Wait until it is ready, then try again',
            'copyId',
          );
        }
        return { event: { type: 'prepare-copy', copyId }, details: {} };
      }
      case 'send': {
        const deliveryId = (step.deliveryId ?? '').trim();
        if (deliveryId && !checks.deliveryReady && r.state === 'copy-approved') {
          throw new RequestError(
            'INVALID_REQUEST',
            'That secure delivery does not exist, has been revoked, or is for another request. Create the delivery, then try again',
            'deliveryId',
          );
        }
        return { event: { type: 'send', deliveryId }, details: {} };
      }
      case 'record-notifications': {
        // A-7: what was done when the copy was sent, plus anyone business support told another way.
        const steps = await repos.copyRequests.listSteps(record.id);
        const sent = steps.filter((s) => s.action === 'send').at(-1);
        const emailed = (sent?.details['notifiedParties'] as NotifiedParty[] | undefined) ?? [];
        const notes = (sent?.details['caseNoteChildIds'] as string[] | undefined) ?? [];
        const toldOtherwise = NOTIFIED_PARTIES.filter((p) => (step.toldOtherwise ?? []).includes(p));
        return {
          event: {
            type: 'record-notifications',
            notified: [...new Set([...emailed, ...toldOtherwise])],
            caseNoteChildIds: notes,
          },
          details: { toldOtherwise },
        };
      }
      default:
        return { event: step as RequestEvent, details: {} };
    }
  }

  /** Carries out the step's effects in its transaction: emails queued in the outbox, case notes written. */
  private async carryOut(
    repos: Repositories,
    ctx: RequestContext,
    record: CopyRequestRecord,
    applied: Applied,
    messageIds: string[],
  ): Promise<{ warnings: string[]; details: Record<string, unknown> }> {
    const r = applied.request;
    const warnings: string[] = [];
    const notifiedParties: NotifiedParty[] = [];
    const caseNoteChildIds: string[] = [];
    const reference = requestReference(record);
    const about = { subjectType: 'copy-request', subjectId: record.id, ctx };
    const conference = await repos.meeting.findConference(record.conferenceId);
    const conferenceChildren = await repos.meeting.listChildren(record.conferenceId);
    const childIds = r.referral?.childIds ?? r.childrenCovered;
    const queue = async (template: string, to: string, values: Record<string, string>) => {
      const { messageId } = await this.deps.mail.queueWithin(repos, { template, to, values, about });
      messageIds.push(messageId);
    };
    for (const effect of applied.effects) {
      switch (effect.kind) {
        case 'notify-staff': {
          const template = staffTemplate(effect.to, effect.about);
          if (!template) {
            // There is no email for a request that has ended: say so on the request, once, so someone tells them.
            const warning = `Nobody was emailed that the request was ${effect.about}: tell conference business support, the social worker and the quality assurance service manager another way.`;
            if (!warnings.includes(warning)) warnings.push(warning);
            continue;
          }
          const recipients = await this.staffRecipients(
            repos,
            r,
            effect.to,
            conferenceChildren.filter((c) => childIds.includes(c.childId)).map((c) => c.allocatedSocialWorkerId),
          );
          if (recipients.length === 0) {
            warnings.push(
              `Nobody was emailed as ${STAFF_TARGET_LABELS[effect.to]}: ${effect.to === 'social-worker' ? 'no child in the request has an allocated social worker with an account' : effect.to === 'chair' ? 'the request has no chair' : 'nobody with that role can see every child in the request'}. Tell them another way.`,
            );
            continue;
          }
          const values = await this.staffValues(repos, template, record, r, reference);
          for (const u of recipients) await queue(template, u.email, values);
          const party = PARTY_OF_TARGET[effect.to];
          if (party && effect.about === 'copy-sent') notifiedParties.push(party);
          break;
        }
        case 'email-requester': {
          // The copy-ready email with the download link is sent by the secure delivery service when it
          // creates the delivery (only it knows the link); here only the A-5 request for details.
          if (effect.template !== 'confirm-details') continue;
          if (!r.referral)
            throw new RequestError(
              'INVALID_REQUEST',
              'The request has no referral, so there is no email address to write to',
            );
          await queue('email-confirmation', r.referral.email, {
            requester_name: await this.requesterName(
              repos,
              r,
              new Map(conferenceChildren.map((c) => [c.childId, fullName(c)])),
            ),
            request_reference: reference,
            reply_to: this.deps.settings.replyTo,
          });
          break;
        }
        case 'case-note': {
          const on = r.delivery
            ? formatLongDate(londonDateOf(r.delivery.sentAt))
            : formatLongDate(londonDateOf(this.deps.clock.now()));
          const confText = conference
            ? `the ${CONFERENCE_TYPE_LABELS[conference.type].toLowerCase()} on ${formatLongDate(conference.scheduledDate)}`
            : 'a conference';
          await recordCaseNote(
            repos,
            this.deps.clock,
            {
              childId: effect.childId,
              kind: COPY_SENT_CASE_NOTE_KIND,
              text: `A copy of the audio recording of ${confText} was sent securely on ${on} to the person who asked for it (request ${reference}), with the parts they must not hear withheld. ${toldText(notifiedParties)}`,
            },
            ctx,
          );
          caseNoteChildIds.push(effect.childId);
          break;
        }
      }
    }
    const details: Record<string, unknown> = {};
    if (applied.effects.some((e) => e.kind === 'case-note' || (e.kind === 'notify-staff' && e.about === 'copy-sent'))) {
      details['notifiedParties'] = notifiedParties;
      details['caseNoteChildIds'] = caseNoteChildIds;
    }
    return { warnings, details };
  }

  /** Who to email for a staff notification: active users in that role who may see every child of the conference. */
  private async staffRecipients(
    repos: Repositories,
    r: CopyRequest,
    to: StaffTarget,
    socialWorkerIds: Array<string | null>,
  ): Promise<Array<{ id: string; email: string }>> {
    const childIds = (await repos.convening.conferenceChildIds(r.conferenceId)) ?? [];
    const facts: ChildAccessFacts[] = [];
    for (const id of childIds) {
      const f = await repos.people.childAccessFacts(id);
      if (f) facts.push(f);
    }
    const canSeeAll = (u: { id: string; name: string; roles: Role[] }) =>
      facts.length === childIds.length &&
      facts.every((f) => canViewChild({ id: u.id, name: u.name, roles: u.roles }, f).allowed);
    let candidates: Array<{ id: string; name: string; email: string; roles: Role[]; disabledAt: Date | null }> = [];
    if (to === 'business-support') candidates = await repos.accounts.listUsersWithRole('business_support');
    else if (to === 'qa-manager') candidates = await repos.accounts.listUsersWithRole('qa_manager');
    else {
      const ids = to === 'chair' ? [r.chairId] : [...new Set(socialWorkerIds)];
      for (const id of ids) {
        if (!id) continue;
        const u = await repos.accounts.findUserById(id);
        if (u) candidates.push(u);
      }
    }
    // A social worker allocated to only some of the children is still told about their child's request.
    return candidates
      .filter((u) => u.disabledAt === null && (to === 'social-worker' || canSeeAll(u)))
      .map((u) => ({ id: u.id, email: u.email }));
  }

  private async staffValues(
    repos: Repositories,
    template: string,
    record: CopyRequestRecord,
    r: CopyRequest,
    reference: string,
  ): Promise<Record<string, string>> {
    const link = this.link(record.id);
    if (template === 'request-referred') {
      return {
        request_reference: reference,
        received_on: formatLongDate(r.receivedOn),
        due_on: formatLongDate(requestDeadline(r, this.rules).due),
        referred_by: (await this.userName(repos, r.chairId))?.name ?? 'The chair',
        request_link: link,
      };
    }
    if (template === 'confirmation-failed') return { request_reference: reference, request_link: link };
    if (template === 'request-ended')
      return {
        request_reference: reference,
        ended_as: r.state === 'withdrawn' ? 'withdrawn' : 'refused',
        request_link: link,
      };
    return {
      request_reference: reference,
      sent_on: formatLongDate(londonDateOf(r.delivery?.sentAt ?? this.deps.clock.now())),
      request_link: link,
    };
  }

  // ---------------------------------------------------------------- typed helpers

  refer(
    actor: Actor,
    requestId: string,
    version: number,
    referral: ReferralInput,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'refer', referral }, ctx);
  }

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

  resolveQueries(
    actor: Actor,
    requestId: string,
    version: number,
    note: string | null,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'resolve-queries', note }, ctx);
  }

  checkRecording(
    actor: Actor,
    requestId: string,
    version: number,
    input: { partsListened: string; confirmedRightRecording: boolean },
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'check-recording', ...input }, ctx);
  }

  requestVerification(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'request-verification' }, ctx);
  }

  /** A-5: the reply as typed in, compared with the children's records (one transaction). */
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

  resumeVerification(
    actor: Actor,
    requestId: string,
    version: number,
    note: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'resume-verification', note }, ctx);
  }

  prepareCopy(
    actor: Actor,
    requestId: string,
    version: number,
    copyId: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'prepare-copy', copyId }, ctx);
  }

  approveCopy(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'approve-copy' }, ctx);
  }

  rejectCopy(
    actor: Actor,
    requestId: string,
    version: number,
    reason: string,
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'reject-copy', reason }, ctx);
  }

  send(actor: Actor, requestId: string, version: number, deliveryId: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'send', deliveryId }, ctx);
  }

  recordNotifications(
    actor: Actor,
    requestId: string,
    version: number,
    ctx: RequestContext,
    toldOtherwise: readonly NotifiedParty[] = [],
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'record-notifications', toldOtherwise }, ctx);
  }

  close(actor: Actor, requestId: string, version: number, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'close' }, ctx);
  }

  refuse(actor: Actor, requestId: string, version: number, reason: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'refuse', reason }, ctx);
  }

  withdraw(actor: Actor, requestId: string, version: number, reason: string, ctx: RequestContext): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'withdraw', reason }, ctx);
  }

  extend(
    actor: Actor,
    requestId: string,
    version: number,
    input: { reason: string; toldOn: string },
    ctx: RequestContext,
  ): Promise<StepResult> {
    return this.takeStep(actor, requestId, version, { type: 'extend', ...input }, ctx);
  }

  // ---------------------------------------------------------------- for the disclosure copy

  /** What the disclosure copy needs: the referral's recordings and every range withheld, with who approved it (the referring chair). */
  async disclosurePlan(actor: Actor, requestId: string, ctx: RequestContext): Promise<DisclosurePlan> {
    return this.withRequest(actor, ctx, requestId, 'copy-request.disclosure-plan', async (repos, { record }) => {
      const r = record.request;
      if (!r.referral || isFinal(r.state))
        throw new RequestError('INVALID_REQUEST', 'Only an open request with a referral can have a copy made');
      const { facts } = await this.referralFacts(repos, record);
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
   * R-3: starts making the disclosure copy for the request's referral (its recordings, every range
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
   * The copy's page (R-3): the request and the copy made for it, both audited as views. Null when the
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
   * Listening to one file of a copy before approving it (R-3): the copy and the request, both audited
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

  /**
   * A-6: cancels a download link made for this request once the copy has been sent. A link of another
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
