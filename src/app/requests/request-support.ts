/**
 * What the requests service's queries and commands share (A-1 … A-10): its dependencies, reaching a
 * request with the access check (one transaction), auditing, and the reads that name things (the
 * conference, people, the recordings and the referral's facts).
 *
 * Access: a request is seen only by users with a role in REQUEST_VIEW_ROLES who may see every child
 * of its conference (denials audited); the domain decides which role may take each step.
 */
import { hasAnyRole, type Actor, type Role } from '../../domain/access/roles.ts';
import {
  formatLongDate,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../../domain/calendar/index.ts';
import { CONFERENCE_TYPE_LABELS, type ConferenceType } from '../../domain/conferences/decisions.ts';
import { formatDuration, WITHHOLDING_REASON_LABELS } from '../../domain/recordings/index.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import {
  buildWorkQueue,
  REQUEST_STATE_LABELS,
  REQUEST_STEP_ROLES,
  REQUEST_VIEW_ROLES,
  REQUESTER_TYPE_SHORT_LABELS,
  withheldFromRecording,
  type CopyRequest,
  type QueueRules,
  type Referral,
  type ReferralFacts,
  type ReferralRecording,
} from '../../domain/requests/index.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import type { MailRepositories } from '../mail/ports.ts';
import type { PeopleService } from '../people/people-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { CopyRequestRecord } from './ports.ts';
import type { MeetingChild } from '../conferences/meeting-ports.ts';
import type { DeliveryService } from './delivery-service.ts';
import type { DisclosureCopyService } from './disclosure-copies.ts';
import { withRequestAccess, type LoadedRequest } from './request-access.ts';
import type { RequestSummaryRow, ReferralView, ConferenceRef, Named } from './request-views.ts';

/** the kind of case note written on each child's record when the copy has been sent. */
export const COPY_SENT_CASE_NOTE_KIND = 'copy-request-sent';

/** Who may record a request. */
export const REQUEST_STEP_ROLES_RECEIVE: readonly Role[] = REQUEST_STEP_ROLES.receive;

/** Roles that see every request they may access; anyone else with a request role sees only their own. */
export const WHOLE_QUEUE_ROLES: readonly Role[] = ['business_support', 'qa_manager', 'access_to_records'];

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
  /** the secure delivery service, which makes the download link in the step's own transaction. */
  deliveries: Pick<
    DeliveryService,
    | 'createWithin'
    | 'listWithin'
    | 'revoke'
    | 'createReplacementWithin'
    | 'previousLinkWithin'
    | 'linkTerms'
    | 'summaryWithin'
  >;
  /** finding the children whose conference a new request is for (the search checks access to each). */
  people: Pick<PeopleService, 'searchChildren'>;
  /** the disclosure copy service, which makes the redacted copy and reports on it. */
  copies: Pick<DisclosureCopyService, 'start' | 'status'>;
  settings: {
    /** The service's address, for links to the request in staff emails. */
    publicBaseUrl: string;
    /** How a requester reaches conference business support (((reply_to)) in emails). */
    replyTo: string;
    amberWorkingDays?: number;
  };
}

/** The timescale rules a request's deadline and the work queue use. */
export type RequestRules = QueueRules & { settings: TimescaleSettings };

export type Loaded = LoadedRequest;

export function requestReference(r: Pick<CopyRequestRecord, 'number' | 'request'>): string {
  return `CR-${r.request.receivedOn.slice(0, 4)}-${String(r.number).padStart(4, '0')}`;
}

export const fullName = (p: { givenNames: string; familyName: string }) => `${p.givenNames} ${p.familyName}`;

/** A successful use of a request, in the audit trail, in the caller's transaction. */
export async function auditRequest(
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

// ------------------------------------------------------------------ reads that name things

export async function conferenceRef(
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
  return refOf(conference, await repos.meeting.listChildren(conferenceId));
}

type ConferenceRefWithChildren = Awaited<ReturnType<typeof conferenceRef>>;

function refOf(
  conference: { id: string; type: ConferenceType; scheduledDate: IsoDate },
  children: MeetingChild[],
): ConferenceRefWithChildren {
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

/**
 * Fills the caches `summaryRow` reads for a list of requests (their conferences, chairs and family requesters)
 * in a few statements, however long the list: a queue's rows then cost no statement each.
 */
export async function prefetchSummaries(
  repos: Repositories,
  records: readonly CopyRequestRecord[],
  caches: SummaryCaches,
): Promise<void> {
  const conferenceIds = [...new Set(records.map((r) => r.conferenceId))].filter((id) => !caches.conferences.has(id));
  const headings = await repos.convening.conferenceHeadings(conferenceIds);
  const childrenOf = await repos.meeting.listChildrenOfConferences([...headings.keys()]);
  for (const [id, heading] of headings) caches.conferences.set(id, refOf(heading, childrenOf.get(id) ?? []));
  const chairIds = [...new Set(records.map((r) => r.request.chairId))].filter(
    (id): id is string => id !== null && !caches.users.has(id),
  );
  const names = await repos.accounts.userNames(chairIds);
  for (const id of chairIds) caches.users.set(id, names.get(id) ?? 'A former member of staff');
  const personIds = [
    ...new Set(
      records.flatMap((r) => (r.request.requester.type === 'pr-holder' ? [r.request.requester.personId] : [])),
    ),
  ];
  const people = await repos.people.personNames(personIds);
  caches.people ??= new Map();
  for (const id of personIds) caches.people.set(id, people.get(id) ?? null);
}

export interface SummaryCaches {
  users: Map<string, string>;
  conferences: Map<string, ConferenceRefWithChildren>;
  /** Family requesters' names by person id (null: no longer on record). */
  people?: Map<string, string | null>;
}

export async function userName(
  repos: Repositories,
  id: string | null,
  cache = new Map<string, string>(),
): Promise<Named | null> {
  if (!id) return null;
  if (!cache.has(id)) cache.set(id, (await repos.accounts.findUserById(id))?.name ?? 'A former member of staff');
  return { id, name: cache.get(id)! };
}

export async function requesterName(
  repos: Repositories,
  r: CopyRequest,
  names: Map<string, string>,
  people?: Map<string, string | null>,
): Promise<string> {
  const q = r.requester;
  switch (q.type) {
    case 'child':
      return (
        names.get(q.childId) ?? (await repos.people.findChild(q.childId).then((c) => (c ? fullName(c) : 'A child')))
      );
    case 'pr-holder': {
      const known = people?.get(q.personId);
      if (known !== undefined) return known ?? 'A family member';
      return (await repos.people.findPerson(q.personId).then((p) => (p ? fullName(p) : null))) ?? 'A family member';
    }
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

export async function summaryRow(
  repos: Repositories,
  record: CopyRequestRecord,
  today: IsoDate,
  caches: SummaryCaches,
  rules: RequestRules,
): Promise<RequestSummaryRow> {
  const r = record.request;
  let conference = caches.conferences.get(record.conferenceId);
  if (!conference) {
    conference = await conferenceRef(repos, record.conferenceId);
    caches.conferences.set(record.conferenceId, conference);
  }
  const names = new Map(conference.children.map((c) => [c.id, c.name]));
  const item = buildWorkQueue([{ ...r, id: record.id }], today, rules, { includeFinished: true })[0]!;
  const { children: _children, ...ref } = conference;
  return {
    id: record.id,
    reference: requestReference(record),
    conference: ref,
    requesterType: r.requester.type,
    requesterTypeLabel: REQUESTER_TYPE_SHORT_LABELS[r.requester.type],
    requesterName: await requesterName(repos, r, names, caches.people),
    state: r.state,
    stateLabel: REQUEST_STATE_LABELS[r.state],
    receivedOn: r.receivedOn,
    dueOn: item.deadline.due,
    status: item.status,
    sentInTime: item.sentInTime,
    extended: r.extension !== null,
    chair: await userName(repos, r.chairId, caches.users),
  };
}

export async function recordingsFor(
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
  // each recording by the name every page gives it (type, date, part, number, where it was made).
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
    labels.set(r.id, `${names.get(r.id)!}, ${formatDuration(r.durationMs!)} long`);
  }
  return { recordings, labels, parts };
}

export async function referralFacts(
  repos: Repositories,
  record: CopyRequestRecord,
  today: IsoDate,
): Promise<{ facts: ReferralFacts; labels: Map<string, string> }> {
  const conf = await conferenceRef(repos, record.conferenceId);
  const { recordings, labels, parts } = await recordingsFor(repos, record.conferenceId);
  return {
    labels,
    facts: {
      requester: record.request.requester,
      receivedOn: record.request.receivedOn,
      today,
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

export function referralView(referral: Referral, facts: ReferralFacts, labels: Map<string, string>): ReferralView {
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

// ------------------------------------------------------------------ the base of the service

/** The requests service's dependencies, rules, access check and audit, for its queries and commands. */
export abstract class RequestSupport {
  protected readonly deps: RequestServiceDeps;

  constructor(deps: RequestServiceDeps) {
    this.deps = deps;
  }

  protected get rules(): RequestRules {
    return {
      calendar: this.deps.calendar,
      settings: this.deps.timescales,
      ...(this.deps.settings.amberWorkingDays !== undefined
        ? { amberWorkingDays: this.deps.settings.amberWorkingDays }
        : {}),
    };
  }

  protected link(id: string): string {
    return `${this.deps.settings.publicBaseUrl}/requests/${id}`;
  }

  protected async denied(
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

  protected async requireViewRole(
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
  protected async withRequest<T>(
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

  protected async audit(
    repos: Repositories,
    ctx: RequestContext,
    action: string,
    requestId: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await auditRequest(repos, ctx, action, requestId, details);
  }
}
