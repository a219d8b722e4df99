/**
 * A request for a copy of a recording, from receipt to a closed case (A-1 … A-9), as a pure state
 * machine: `receiveRequest` opens one, `applyEvent` takes one step and returns the new record, the
 * audit events to record and the effects the caller must carry out (notifications, emails, case
 * notes). Every step is timestamped by the caller's clock and names who took it.
 *
 *   received ─refer→ referred ─resolve-queries→ queries-resolved ─check-recording→ recording-checked
 *   ─request-verification→ verification-requested ─record-verification→ verified | verification-failed
 *   verified ─prepare-copy→ copy-prepared ─approve-copy→ copy-approved ─send→ sent
 *   ─record-notifications→ notified ─close→ closed
 *
 * Decisions (the seed leaves these open):
 * - verification-failed is NOT an end. The request stops and the chair is told (A-5). The chair then
 *   resumes it (`resume-verification`: back to recording-checked, so business support asks the
 *   requester again), amends the referral (`amend-referral`: back to referred, e.g. a wrong email
 *   address or children), or refuses it. After MAX_VERIFICATION_FAILURES failed replies the chair can
 *   no longer resume it: a stream of wrong guesses at children's dates of birth is itself a warning.
 * - `refuse` and `withdraw` (each with a reason) are possible from every step before `sent`. Once the
 *   copy has been sent it cannot be unsent, so a sent request runs on to notified and closed.
 * - A-9 extension: recorded at most once, before the copy is sent, with the reason and the date the
 *   requester was told, which must fall within the first month (on or before the unextended due
 *   date). It extends to the full period the calendar's `recording-copy-extended` rule allows (by
 *   default two further months): the law's limit is on telling the requester within the first month,
 *   so a second extension could never be told in time, and a shorter one would gain nothing.
 * - `amend-referral` (the chair) takes a request back to referred from any step after referral and
 *   before sending: checks, verification, the prepared copy and its approval are discarded, because
 *   any of them may depend on what changed. The history keeps them; failed verification replies still count.
 * - The copy is approved by a second person: never the person who prepared it. `reject-copy` sends a
 *   prepared copy back (to verified) with a reason, so a new one is prepared.
 * - Every requester type goes through A-5 verification: nothing is sent to anyone before a reply
 *   confirming the address and the children's details (the seed's "nothing is sent before that reply").
 */
import {
  computeDeadline,
  compareIsoDates,
  formatLongDate,
  isIsoDate,
  londonDateOf,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
  DEFAULT_TIMESCALE_SETTINGS,
} from '../calendar/index.ts';
import type { Actor, Role } from '../access/roles.ts';
import { ROLE_LABELS } from '../access/roles.ts';
import { AccessDeniedError, InvalidDetailsError, ProblemList } from '../shared/errors.ts';
import { RequestError } from './errors.ts';
import type { Referral } from './referral.ts';
import { assessEligibility, type EligibilityInput, type IneligibilityCode, type Requester } from './requesters.ts';
import {
  matchVerification,
  type VerificationMismatch,
  type VerificationFailure,
  type VerificationRecordChild,
  type VerificationReply,
} from './verification.ts';

// ------------------------------------------------------------------ states

export const REQUEST_STATES = [
  'received',
  'referred',
  'queries-resolved',
  'recording-checked',
  'verification-requested',
  'verified',
  'verification-failed',
  'copy-prepared',
  'copy-approved',
  'sent',
  'notified',
  'closed',
  'refused',
  'withdrawn',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const REQUEST_STATE_LABELS: Readonly<Record<RequestState, string>> = {
  received: 'Received',
  referred: 'Referred by the chair',
  'queries-resolved': 'Queries resolved with the chair',
  'recording-checked': 'Recording located and checked',
  'verification-requested': 'Waiting for the requester to confirm their details',
  verified: 'Requester’s details confirmed',
  'verification-failed': 'Details did not match: with the chair',
  'copy-prepared': 'Copy prepared',
  'copy-approved': 'Copy approved',
  sent: 'Sent',
  notified: 'Chair, social worker and QA manager told; case notes written',
  closed: 'Closed',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
};

/** What happens next at each step, and the rule behind it, for the request's page. */
export const REQUEST_STATE_NEXT: Readonly<Record<RequestState, string>> = {
  received: 'The chair discusses the request with the requester and refers it to business support the same day.',
  referred: 'Business support checks the referral and resolves any queries with the chair.',
  'queries-resolved':
    'Business support locates the recording and listens to parts of it to confirm it is the right one.',
  'recording-checked':
    'Business support asks the requester to confirm their email address is secure and to give the children’s full names and dates of birth.',
  'verification-requested': 'Waiting for the requester’s reply. Nothing is sent before it.',
  verified: 'Business support prepares the copy, with everything the requester must not hear withheld.',
  'verification-failed':
    'The chair decides whether to ask the requester again, amend the referral or refuse the request.',
  'copy-prepared': 'A second person checks and approves the copy. The person who prepared it cannot approve it.',
  'copy-approved': 'Business support sends the copy securely, reminding the requester it is confidential.',
  sent: 'The chair, the social worker and the QA service manager are told, and a case note is written on each child’s record.',
  notified: 'The request can be closed.',
  closed: 'Nothing more to do.',
  refused: 'Nothing more to do.',
  withdrawn: 'Nothing more to do.',
};

/** Ends: nothing more can happen. */
export const FINAL_STATES: readonly RequestState[] = ['closed', 'refused', 'withdrawn'];
/** Steps from which the copy has gone: it cannot be refused, withdrawn or extended any more. */
export const SENT_STATES: readonly RequestState[] = ['sent', 'notified', 'closed'];

export function isFinal(state: RequestState): boolean {
  return FINAL_STATES.includes(state);
}

/** Still to be sent: may be refused, withdrawn or extended. */
export function isBeforeSending(state: RequestState): boolean {
  return !isFinal(state) && !SENT_STATES.includes(state);
}

export function isRequestState(v: unknown): v is RequestState {
  return typeof v === 'string' && (REQUEST_STATES as readonly string[]).includes(v);
}

// ------------------------------------------------------------------ events and who may take them

export type RequestEvent =
  /** A-3: the chair's referral to business support. */
  | { type: 'refer'; referral: Referral }
  /** The chair changes the referral; the request goes back to referred. */
  | { type: 'amend-referral'; referral: Referral; reason: string }
  /** A-4: queries over the referral resolved with the chair (a note of what, or none). */
  | { type: 'resolve-queries'; note?: string | null }
  /** A-4: the recording located and parts of it listened to. */
  | { type: 'check-recording'; partsListened: string; confirmedRightRecording: boolean }
  /** A-5: the requester asked to confirm their email address and give the children's details. */
  | { type: 'request-verification' }
  /** A-5: the requester's reply, compared with the records of the children in the referral. */
  | { type: 'record-verification'; reply: VerificationReply; recordChildren: readonly VerificationRecordChild[] }
  /** A-5: after a failed reply, the chair agrees to ask the requester again. */
  | { type: 'resume-verification'; note: string }
  | { type: 'prepare-copy'; copyId: string }
  | { type: 'approve-copy' }
  | { type: 'reject-copy'; reason: string }
  /** A-6: sent securely (the delivery: a download link and its one-time code). */
  | { type: 'send'; deliveryId: string }
  /**
   * A-6: the latest link expired or was cancelled before anything was downloaded: a new link (`deliveryId`) to the
   * same confirmed address, with the same limits, in its place. `previous` is that link as it stands (read by the caller).
   */
  | { type: 'send-new-link'; deliveryId: string; previous: PreviousLink; reason: string }
  /** A-7: who was told, and the children whose records have the case note. */
  | { type: 'record-notifications'; notified: readonly NotifiedParty[]; caseNoteChildIds: readonly string[] }
  | { type: 'close' }
  | { type: 'refuse'; reason: string }
  | { type: 'withdraw'; reason: string }
  /** A-9: more time for a complex request; the requester told why within the first month. */
  | { type: 'extend'; reason: string; toldOn: string };

export type RequestEventType = RequestEvent['type'];
/** Every step, including opening the request. */
export type RequestAction = 'receive' | RequestEventType;

export const REQUEST_ACTIONS = [
  'receive',
  'refer',
  'amend-referral',
  'resolve-queries',
  'check-recording',
  'request-verification',
  'record-verification',
  'resume-verification',
  'prepare-copy',
  'approve-copy',
  'reject-copy',
  'send',
  'send-new-link',
  'record-notifications',
  'close',
  'refuse',
  'withdraw',
  'extend',
] as const satisfies readonly RequestAction[];

export const REQUEST_ACTION_LABELS: Readonly<Record<RequestAction, string>> = {
  receive: 'Record a request',
  refer: 'Refer to business support',
  'amend-referral': 'Change the referral',
  'resolve-queries': 'Record queries resolved with the chair',
  'check-recording': 'Confirm the recording is the right one',
  'request-verification': 'Ask the requester to confirm their details',
  'record-verification': 'Record the requester’s reply',
  'resume-verification': 'Ask the requester again',
  'prepare-copy': 'Prepare the copy',
  'approve-copy': 'Approve the copy',
  'reject-copy': 'Send the copy back',
  send: 'Send the copy',
  'send-new-link': 'Send a new download link',
  'record-notifications': 'Record notifications and case notes',
  close: 'Close the request',
  refuse: 'Refuse the request',
  withdraw: 'Record that the request was withdrawn',
  extend: 'Extend the time limit',
};

/**
 * Who may take each step. The social worker takes no step: they take part in a child's joint
 * consideration (A-2, recorded in the referral) and are told at A-3 and A-7. Per-record access (the
 * actor may see every child) is the caller's check, as everywhere.
 */
export const REQUEST_STEP_ROLES: Readonly<Record<RequestAction, readonly Role[]>> = {
  receive: ['chair', 'business_support', 'access_to_records', 'qa_manager'],
  refer: ['chair'],
  'amend-referral': ['chair'],
  'resolve-queries': ['business_support'],
  'check-recording': ['business_support'],
  'request-verification': ['business_support'],
  'record-verification': ['business_support'],
  'resume-verification': ['chair'],
  'prepare-copy': ['business_support'],
  'approve-copy': ['business_support', 'chair', 'qa_manager', 'access_to_records'],
  'reject-copy': ['business_support', 'chair', 'qa_manager', 'access_to_records'],
  send: ['business_support'],
  'send-new-link': ['business_support'],
  'record-notifications': ['business_support'],
  close: ['business_support', 'chair'],
  refuse: ['chair', 'access_to_records'],
  withdraw: ['chair', 'business_support', 'access_to_records'],
  extend: ['chair', 'business_support', 'access_to_records'],
};

/** Roles that may see requests (the work queue, a request's page). */
export const REQUEST_VIEW_ROLES: readonly Role[] = [
  'chair',
  'business_support',
  'qa_manager',
  'access_to_records',
  'social_worker',
];

/** The steps each event may be taken from (extend, refuse and withdraw: every step before sending). */
const BEFORE_SENDING: readonly RequestState[] = REQUEST_STATES.filter(isBeforeSending);
export const REQUEST_TRANSITIONS: Readonly<Record<RequestEventType, readonly RequestState[]>> = {
  refer: ['received'],
  'amend-referral': BEFORE_SENDING.filter((s) => s !== 'received'),
  'resolve-queries': ['referred'],
  'check-recording': ['queries-resolved'],
  'request-verification': ['recording-checked'],
  'record-verification': ['verification-requested'],
  'resume-verification': ['verification-failed'],
  'prepare-copy': ['verified'],
  'approve-copy': ['copy-prepared'],
  'reject-copy': ['copy-prepared'],
  send: ['copy-approved'],
  'send-new-link': ['sent', 'notified'],
  'record-notifications': ['sent'],
  close: ['notified'],
  refuse: BEFORE_SENDING,
  withdraw: BEFORE_SENDING,
  extend: BEFORE_SENDING,
};

/** A-5: failed replies after which the chair can only amend the referral or refuse. */
export const MAX_VERIFICATION_FAILURES = 3;

export const REASON_MAX = 2_000;

/** A-7: who is told when the copy has been sent. */
export const NOTIFIED_PARTIES = ['chair', 'social-worker', 'qa-manager'] as const;
export type NotifiedParty = (typeof NOTIFIED_PARTIES)[number];
export const NOTIFIED_PARTY_LABELS: Readonly<Record<NotifiedParty, string>> = {
  chair: 'Conference chair',
  'social-worker': 'Social worker',
  'qa-manager': 'Quality assurance service manager',
};

// ------------------------------------------------------------------ the record

export interface StepRecord {
  action: RequestAction;
  /** The state after the step. */
  state: RequestState;
  at: Date;
  actorId: string;
}

export interface CopyRequest {
  state: RequestState;
  conferenceId: string;
  requester: Requester;
  /** The date the request was received: starts the A-9 clock. */
  receivedOn: IsoDate;
  /** The chair responsible: the one asked, then the one who referred it. "Chairs see theirs." */
  chairId: string | null;
  /** A-1: the children whose information this requester may be given. */
  childrenCovered: string[];
  /** A-1 / A-3: the conference's children the requester holds no PR for. */
  childrenWithoutPr: string[];
  referral: Referral | null;
  queriesNote: string | null;
  recordingCheck: { partsListened: string; by: string; at: Date } | null;
  verification: {
    requestedAt: Date | null;
    verifiedAt: Date | null;
    /** Failed replies so far (kept across amendments of the referral). */
    failures: number;
    lastFailure: {
      failures: VerificationFailure[];
      mismatches: VerificationMismatch[];
      staffMessages: string[];
      at: Date;
    } | null;
  };
  copy: { copyId: string; preparedBy: string; preparedAt: Date } | null;
  approval: { approvedBy: string; approvedAt: Date } | null;
  delivery: { deliveryId: string; sentBy: string; sentAt: Date } | null;
  notifications: { notified: NotifiedParty[]; caseNoteChildIds: string[]; at: Date } | null;
  extension: { reason: string; toldOn: IsoDate; recordedBy: string; recordedAt: Date } | null;
  /** How a refused or withdrawn request ended. */
  outcome: {
    kind: 'refused' | 'withdrawn';
    reason: string;
    code: IneligibilityCode | null;
    by: string;
    at: Date;
  } | null;
  history: StepRecord[];
}

/** An entry for the audit trail and the request's timeline. Details never hold the requester's reply values. */
export interface RequestAuditEvent {
  action: `copy-request.${string}`;
  at: Date;
  actorId: string;
  from: RequestState | null;
  to: RequestState;
  details: Record<string, string | number | boolean | null | readonly string[]>;
}

export type EffectAbout = 'referred' | 'verification-failed' | 'copy-sent' | 'refused' | 'withdrawn';

/** What the caller must do after a step (send through the outbox; write case notes). */
export type RequestEffect =
  | { kind: 'notify-staff'; to: 'business-support' | 'social-worker' | 'qa-manager' | 'chair'; about: EffectAbout }
  | { kind: 'email-requester'; template: 'confirm-details' | 'copy-ready' }
  | { kind: 'case-note'; childId: string; about: 'copy-sent' };

export interface Applied {
  request: CopyRequest;
  events: RequestAuditEvent[];
  effects: RequestEffect[];
}

/** What a step of a request for copies is judged against: who acts, when, and the calendar for its timescales. */
export interface StepContext {
  actor: Actor;
  /** The caller's clock. */
  at: Date;
  /** For A-9 (extension). */
  rules: { calendar: StatutoryCalendar; settings?: TimescaleSettings };
}

// ------------------------------------------------------------------ helpers

function requireRole(action: RequestAction, actor: Actor): void {
  const allowed = REQUEST_STEP_ROLES[action];
  if (!actor.roles.some((r) => allowed.includes(r))) {
    const names = allowed.map((r) => ROLE_LABELS[r].toLowerCase());
    const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
    throw new AccessDeniedError(
      `Only a ${who} may ${REQUEST_ACTION_LABELS[action].charAt(0).toLowerCase()}${REQUEST_ACTION_LABELS[action].slice(1)}`,
    );
  }
}

function requireValidTime(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new RequestError('INVALID_REQUEST', 'The time of the step is not a valid time');
}

function reasonText(p: ProblemList, field: string, v: string | null | undefined, missing: string): string {
  const t = (v ?? '').trim();
  if (!t) p.add(field, missing);
  else if (t.length > REASON_MAX)
    p.add(field, `This must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`);
  return t;
}

function audit(
  action: string,
  ctx: Pick<StepContext, 'actor' | 'at'>,
  from: RequestState | null,
  to: RequestState,
  details: RequestAuditEvent['details'] = {},
): RequestAuditEvent {
  return { action: `copy-request.${action}`, at: ctx.at, actorId: ctx.actor.id, from, to, details };
}

/** The deadline without an extension, from the calendar's named A-9 rule. */
function firstMonthDue(receivedOn: IsoDate, rules: StepContext['rules']): IsoDate {
  return computeDeadline('recording-copy', receivedOn, rules.calendar, rules.settings ?? DEFAULT_TIMESCALE_SETTINGS)
    .due;
}

// ------------------------------------------------------------------ opening a request

export interface ReceiveInput extends EligibilityInput {
  conferenceId: string;
  /** The date of the conference: a request cannot be about a conference that has not happened. */
  conferenceDate: IsoDate;
  /** The chair the requester asked, when not the person recording it. */
  chairId?: string | null;
}

/**
 * Opens a request (A-1). Field problems throw InvalidDetailsError. An ineligible request is still
 * recorded, and refused at once with the reason and its code, so every refusal is on the record.
 */
export function receiveRequest(input: ReceiveInput, ctx: Omit<StepContext, 'rules'>): Applied {
  requireRole('receive', ctx.actor);
  requireValidTime(ctx.at);
  const today = londonDateOf(ctx.at);
  const p = new ProblemList();
  if (!isIsoDate(input.receivedOn)) p.add('receivedOn', 'Enter the date the request was received as a real date');
  else if (compareIsoDates(input.receivedOn, today) > 0)
    p.add('receivedOn', 'The date the request was received cannot be in the future');
  else if (compareIsoDates(input.receivedOn, input.conferenceDate) < 0) {
    p.add(
      'receivedOn',
      `The request cannot be received before the conference, on ${formatLongDate(input.conferenceDate)}`,
    );
  }
  // Every problem at once: the received date's and the requester's.
  let eligibility: ReturnType<typeof assessEligibility> | null = null;
  try {
    eligibility = assessEligibility(input);
  } catch (e) {
    if (!(e instanceof InvalidDetailsError)) throw e;
    for (const problem of e.problems) p.add(problem.field, problem.message);
  }
  p.throwIfAny();
  if (!eligibility) throw new RequestError('INVALID_REQUEST', 'The request could not be assessed');
  const chairId = input.chairId?.trim() || (ctx.actor.roles.includes('chair') ? ctx.actor.id : null);
  const base: CopyRequest = {
    state: 'received',
    conferenceId: input.conferenceId,
    requester: eligibility.requester,
    receivedOn: input.receivedOn,
    chairId,
    childrenCovered: eligibility.eligible ? eligibility.childrenCovered : [],
    childrenWithoutPr: eligibility.eligible ? eligibility.childrenWithoutPr : [],
    referral: null,
    queriesNote: null,
    recordingCheck: null,
    verification: { requestedAt: null, verifiedAt: null, failures: 0, lastFailure: null },
    copy: null,
    approval: null,
    delivery: null,
    notifications: null,
    extension: null,
    outcome: null,
    history: [{ action: 'receive', state: 'received', at: ctx.at, actorId: ctx.actor.id }],
  };
  const received = audit('received', ctx, null, 'received', {
    requesterType: base.requester.type,
    receivedOn: base.receivedOn,
    eligible: eligibility.eligible,
  });
  if (eligibility.eligible) return { request: base, events: [received], effects: [] };
  const request: CopyRequest = {
    ...base,
    state: 'refused',
    outcome: { kind: 'refused', reason: eligibility.reason, code: eligibility.code, by: ctx.actor.id, at: ctx.at },
    history: [...base.history, { action: 'refuse', state: 'refused', at: ctx.at, actorId: ctx.actor.id }],
  };
  return {
    request,
    events: [
      received,
      audit('refused', ctx, 'received', 'refused', { code: eligibility.code, reason: eligibility.reason }),
    ],
    effects: [],
  };
}

// ------------------------------------------------------------------ taking a step

/** Whether the step is possible now (state and role; the preparer may not approve). Does not check the event's details. */
export function canTake(request: CopyRequest, action: RequestEventType, actor: Actor): boolean {
  if (!REQUEST_TRANSITIONS[action].includes(request.state)) return false;
  if (!actor.roles.some((r) => REQUEST_STEP_ROLES[action].includes(r))) return false;
  if (action === 'approve-copy' && request.copy?.preparedBy === actor.id) return false;
  if (action === 'extend' && request.extension !== null) return false;
  if (action === 'resume-verification' && request.verification.failures >= MAX_VERIFICATION_FAILURES) return false;
  return true;
}

/** The steps this actor can take now, in the order of REQUEST_ACTIONS: for the buttons on the request's page. */
export function availableActions(request: CopyRequest, actor: Actor): RequestEventType[] {
  return REQUEST_ACTIONS.filter(
    (a): a is RequestEventType => a !== 'receive' && !LINK_STEPS.includes(a) && canTake(request, a, actor),
  );
}

/** Steps offered by the state of the request's link, which the request does not hold: shown with the link. */
const LINK_STEPS: readonly RequestAction[] = ['send-new-link'];

/** The link a new one replaces, as it stands when the step is taken (A-6). */
export interface PreviousLink {
  deliveryId: string;
  state: 'active' | 'expired' | 'revoked' | 'used-up';
  /** Files downloaded in full through it so far, all files together. */
  downloads: number;
}

/**
 * A-6: whether a new link may replace `previous`: the request's latest link, expired or cancelled before anything was
 * downloaded through it. Null when it may; otherwise why not, in plain English.
 */
export function newLinkRefusal(request: Pick<CopyRequest, 'delivery'>, previous: PreviousLink): string | null {
  if (!request.delivery || request.delivery.deliveryId !== previous.deliveryId)
    return 'A new link can replace only the latest link sent for this request';
  if (previous.downloads > 0)
    return 'The requester has already downloaded the copy with this link, so a new link cannot be sent';
  if (previous.state === 'active') return 'This link still works. Cancel it first if the requester cannot use it';
  if (previous.state === 'used-up') return 'Every file has been downloaded with this link';
  return null;
}

/** Clears everything after the referral (an amended referral starts the checks again). */
function clearAfterReferral(r: CopyRequest): CopyRequest {
  return {
    ...r,
    queriesNote: null,
    recordingCheck: null,
    verification: { ...r.verification, requestedAt: null, verifiedAt: null },
    copy: null,
    approval: null,
  };
}

/**
 * Takes one step. Throws RequestError (INVALID_TRANSITION and the codes in errors.ts) when the step
 * is not allowed, AccessDeniedError when the actor's roles may not take it, and InvalidDetailsError
 * for a missing reason or date. Never changes `request`.
 */
export function applyEvent(request: CopyRequest, event: RequestEvent, ctx: StepContext): Applied {
  requireValidTime(ctx.at);
  if (!REQUEST_TRANSITIONS[event.type].includes(request.state)) {
    throw new RequestError(
      'INVALID_TRANSITION',
      `You cannot ${REQUEST_ACTION_LABELS[event.type].toLowerCase()} when the request is at “${REQUEST_STATE_LABELS[request.state].toLowerCase()}”`,
    );
  }
  requireRole(event.type, ctx.actor);
  const last = request.history.at(-1);
  if (last && ctx.at.getTime() < last.at.getTime()) {
    throw new RequestError(
      'OUT_OF_ORDER',
      'This step is dated before the request’s previous step; reload the request and try again',
    );
  }
  const from = request.state;
  const actorId = ctx.actor.id;
  const step = (r: CopyRequest, to: RequestState): CopyRequest => ({
    ...r,
    state: to,
    history: [...request.history, { action: event.type, state: to, at: ctx.at, actorId }],
  });
  const one = (
    r: CopyRequest,
    to: RequestState,
    auditName: string,
    details: RequestAuditEvent['details'] = {},
    effects: RequestEffect[] = [],
  ): Applied => ({
    request: step(r, to),
    events: [audit(auditName, ctx, from, to, details)],
    effects,
  });

  switch (event.type) {
    case 'refer': {
      sameConference(request, event.referral);
      const referralEffects: RequestEffect[] = (['business-support', 'social-worker', 'qa-manager'] as const).map(
        (to) => ({ kind: 'notify-staff', to, about: 'referred' }),
      );
      return one(
        { ...request, referral: event.referral, chairId: actorId },
        'referred',
        'referred',
        referralDetails(event.referral),
        referralEffects,
      );
    }
    case 'amend-referral': {
      sameConference(request, event.referral);
      const p = new ProblemList();
      const reason = reasonText(p, 'reason', event.reason, 'Enter why the referral is being changed');
      p.throwIfAny();
      const effects: RequestEffect[] = (['business-support', 'social-worker', 'qa-manager'] as const).map((to) => ({
        kind: 'notify-staff',
        to,
        about: 'referred',
      }));
      return one(
        { ...clearAfterReferral(request), referral: event.referral, chairId: actorId },
        'referred',
        'referral-amended',
        { ...referralDetails(event.referral), reason },
        effects,
      );
    }
    case 'resolve-queries': {
      const p = new ProblemList();
      const note = (event.note ?? '').trim() || null;
      if (note && note.length > REASON_MAX)
        p.add('note', `The note must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`);
      p.throwIfAny();
      return one({ ...request, queriesNote: note }, 'queries-resolved', 'queries-resolved', { note });
    }
    case 'check-recording': {
      if (!event.confirmedRightRecording) {
        throw new RequestError(
          'RECORDING_NOT_CONFIRMED',
          'If this is not the right recording, tell the chair: they can change the referral to name the right one',
          'confirmedRightRecording',
        );
      }
      const p = new ProblemList();
      const partsListened = reasonText(
        p,
        'partsListened',
        event.partsListened,
        'Enter which parts of the recording you listened to, like “0:00 to 2:00 and 45:00 to 47:00”',
      );
      p.throwIfAny();
      return one(
        { ...request, recordingCheck: { partsListened, by: actorId, at: ctx.at } },
        'recording-checked',
        'recording-checked',
        { partsListened },
      );
    }
    case 'request-verification':
      return one(
        { ...request, verification: { ...request.verification, requestedAt: ctx.at } },
        'verification-requested',
        'verification-requested',
        {},
        [{ kind: 'email-requester', template: 'confirm-details' }],
      );
    case 'record-verification': {
      const referred = [...(request.referral?.childIds ?? [])].sort();
      const given = [...new Set(event.recordChildren.map((c) => c.id))].sort();
      if (referred.length !== given.length || referred.some((id, i) => id !== given[i])) {
        throw new RequestError(
          'VERIFICATION_CHILDREN_MISMATCH',
          'The reply must be checked against the records of exactly the children in the referral',
        );
      }
      const result = matchVerification(event.reply, event.recordChildren);
      if (result.matched) {
        // A-5: unborn children are checked by the expected date of delivery, or left out with the reason (ids only).
        const unbornChecked = event.recordChildren
          .filter((c) => c.dateOfBirth === null && !result.notCheckable.includes(c.id))
          .map((c) => c.id);
        return one(
          { ...request, verification: { ...request.verification, verifiedAt: ctx.at } },
          'verified',
          'verified',
          {
            children: result.mismatches.length,
            ...(unbornChecked.length ? { unbornCheckedChildIds: unbornChecked } : {}),
            ...(result.notCheckable.length ? { notCheckedChildIds: result.notCheckable } : {}),
          },
        );
      }
      const failures = request.verification.failures + 1;
      return one(
        {
          ...request,
          verification: {
            ...request.verification,
            verifiedAt: null,
            failures,
            lastFailure: {
              failures: result.failures,
              mismatches: result.mismatches,
              staffMessages: [...result.staffMessages, ...result.notes],
              at: ctx.at,
            },
          },
        },
        'verification-failed',
        'verification-failed',
        // Only kinds of problem: never the values given or on record.
        {
          failures: result.failures,
          mismatchedChildIds: result.mismatches.map((m) => m.childId),
          attempt: failures,
          ...(result.notCheckable.length ? { notCheckedChildIds: result.notCheckable } : {}),
        },
        [{ kind: 'notify-staff', to: 'chair', about: 'verification-failed' }],
      );
    }
    case 'resume-verification': {
      if (request.verification.failures >= MAX_VERIFICATION_FAILURES) {
        throw new RequestError(
          'VERIFICATION_ATTEMPTS_EXHAUSTED',
          `The requester’s details have not matched ${request.verification.failures} times. Change the referral if it was wrong, or refuse the request`,
        );
      }
      const p = new ProblemList();
      const note = reasonText(p, 'note', event.note, 'Enter what you found and why the requester is being asked again');
      p.throwIfAny();
      return one(
        { ...request, verification: { ...request.verification, requestedAt: null } },
        'recording-checked',
        'verification-resumed',
        { note },
      );
    }
    case 'prepare-copy': {
      const copyId = event.copyId.trim();
      if (!copyId)
        throw new RequestError('INVALID_REQUEST', 'Prepare the copy before recording it as prepared', 'copyId');
      return one(
        { ...request, copy: { copyId, preparedBy: actorId, preparedAt: ctx.at }, approval: null },
        'copy-prepared',
        'copy-prepared',
        { copyId },
      );
    }
    case 'approve-copy': {
      if (request.copy?.preparedBy === actorId) {
        throw new RequestError('SAME_PERSON_APPROVAL', 'You prepared this copy, so someone else must approve it');
      }
      return one(
        { ...request, approval: { approvedBy: actorId, approvedAt: ctx.at } },
        'copy-approved',
        'copy-approved',
        { copyId: request.copy?.copyId ?? null },
      );
    }
    case 'reject-copy': {
      const p = new ProblemList();
      const reason = reasonText(p, 'reason', event.reason, 'Enter what is wrong with the copy');
      p.throwIfAny();
      return one({ ...request, copy: null, approval: null }, 'verified', 'copy-rejected', {
        copyId: request.copy?.copyId ?? null,
        reason,
      });
    }
    case 'send': {
      // Defence in depth: the transitions already make these impossible.
      if (
        !request.verification.verifiedAt ||
        !request.copy ||
        !request.approval ||
        request.approval.approvedBy === request.copy.preparedBy
      ) {
        throw new RequestError(
          'NOT_READY_TO_SEND',
          'The copy can be sent only to a requester whose details are confirmed, once a second person has approved it',
        );
      }
      const deliveryId = event.deliveryId.trim();
      if (!deliveryId)
        throw new RequestError(
          'INVALID_REQUEST',
          'Create the secure delivery before recording the copy as sent',
          'deliveryId',
        );
      const childIds = request.referral?.childIds ?? request.childrenCovered;
      return one(
        { ...request, delivery: { deliveryId, sentBy: actorId, sentAt: ctx.at } },
        'sent',
        'sent',
        { deliveryId, copyId: request.copy.copyId },
        [
          { kind: 'email-requester', template: 'copy-ready' },
          ...NOTIFIED_PARTIES.map((to): RequestEffect => ({ kind: 'notify-staff', to, about: 'copy-sent' })),
          ...childIds.map((childId): RequestEffect => ({ kind: 'case-note', childId, about: 'copy-sent' })),
        ],
      );
    }
    case 'send-new-link': {
      const refusal = newLinkRefusal(request, event.previous);
      if (refusal) throw new RequestError('NEW_LINK_NOT_ALLOWED', refusal);
      const p = new ProblemList();
      const reason = reasonText(p, 'reason', event.reason, 'Enter why the requester needs a new link');
      p.throwIfAny();
      const deliveryId = event.deliveryId.trim();
      if (!deliveryId || deliveryId === event.previous.deliveryId || !request.delivery)
        throw new RequestError('INVALID_REQUEST', 'Make the new link before recording it as sent', 'deliveryId');
      return {
        // Not a change of step: the copy was sent, and when (A-9) stays as it was; the history records the new link.
        request: {
          ...request,
          delivery: { ...request.delivery, deliveryId },
          history: [...request.history, { action: 'send-new-link', state: request.state, at: ctx.at, actorId }],
        },
        events: [
          audit('new-link-sent', ctx, from, from, {
            deliveryId,
            previousDeliveryId: event.previous.deliveryId,
            previousState: event.previous.state,
            reason,
          }),
        ],
        effects: [],
      };
    }
    case 'record-notifications': {
      const notified = NOTIFIED_PARTIES.filter((x) => event.notified.includes(x));
      const missingParties = NOTIFIED_PARTIES.filter((x) => !notified.includes(x));
      const childIds = request.referral?.childIds ?? request.childrenCovered;
      const missingNotes = childIds.filter((id) => !event.caseNoteChildIds.includes(id));
      if (missingParties.length || missingNotes.length) {
        const parts = [
          missingParties.length
            ? `tell the ${missingParties.map((x) => NOTIFIED_PARTY_LABELS[x].toLowerCase()).join(' and the ')}`
            : null,
          missingNotes.length
            ? `write the case note on ${missingNotes.length === 1 ? 'one child’s record' : `${missingNotes.length} children’s records`}`
            : null,
        ].filter(Boolean);
        throw new RequestError('NOTIFICATIONS_INCOMPLETE', `When the copy has been sent, ${parts.join(', and ')}`);
      }
      return one(
        { ...request, notifications: { notified: [...notified], caseNoteChildIds: [...childIds], at: ctx.at } },
        'notified',
        'notified',
        { notified: [...notified], caseNoteChildIds: [...childIds] },
      );
    }
    case 'close':
      return one(request, 'closed', 'closed');
    case 'refuse':
    case 'withdraw': {
      const p = new ProblemList();
      const reason = reasonText(
        p,
        'reason',
        event.reason,
        event.type === 'refuse' ? 'Enter why the request is refused' : 'Enter why the request was withdrawn',
      );
      p.throwIfAny();
      const kind = event.type === 'refuse' ? 'refused' : 'withdrawn';
      const effects: RequestEffect[] = request.referral
        ? (['business-support', 'social-worker', 'qa-manager', 'chair'] as const).map((to) => ({
            kind: 'notify-staff',
            to,
            about: kind,
          }))
        : [];
      return one(
        { ...request, outcome: { kind, reason, code: null, by: actorId, at: ctx.at } },
        kind,
        kind,
        { reason },
        effects,
      );
    }
    case 'extend': {
      if (request.extension) {
        throw new RequestError(
          'ALREADY_EXTENDED',
          `The time limit was already extended on ${formatLongDate(londonDateOf(request.extension.recordedAt))}; it can be extended only once`,
        );
      }
      const p = new ProblemList();
      const reason = reasonText(p, 'reason', event.reason, 'Enter why the request is complex and needs more time');
      const toldOn = (event.toldOn ?? '').trim();
      const today = londonDateOf(ctx.at);
      const firstDue = firstMonthDue(request.receivedOn, ctx.rules);
      if (!toldOn) p.add('toldOn', 'Enter the date the requester was told about the extension and why');
      else if (!isIsoDate(toldOn)) p.add('toldOn', 'The date the requester was told must be a real date');
      else if (compareIsoDates(toldOn, request.receivedOn) < 0)
        p.add(
          'toldOn',
          `The requester cannot have been told before the request was received, ${formatLongDate(request.receivedOn)}`,
        );
      else if (compareIsoDates(toldOn, today) > 0)
        p.add('toldOn', 'Record the extension once the requester has been told: the date cannot be in the future');
      p.throwIfAny();
      // Checked by isIsoDate above.
      if (compareIsoDates(toldOn as IsoDate, firstDue) > 0) {
        throw new RequestError(
          'EXTENSION_TOO_LATE',
          `The requester must be told about an extension within the first month, by ${formatLongDate(firstDue)}. It is too late to extend this request`,
          'toldOn',
        );
      }
      const extension = { reason, toldOn: toldOn as IsoDate, recordedBy: actorId, recordedAt: ctx.at };
      const due = computeDeadline(
        'recording-copy-extended',
        request.receivedOn,
        ctx.rules.calendar,
        ctx.rules.settings ?? DEFAULT_TIMESCALE_SETTINGS,
      ).due;
      return {
        // Not a change of step: the step stays, the history records the extension.
        request: {
          ...request,
          extension,
          history: [...request.history, { action: 'extend', state: request.state, at: ctx.at, actorId }],
        },
        events: [audit('extended', ctx, from, from, { reason, toldOn, due })],
        effects: [],
      };
    }
  }
}

function sameConference(request: CopyRequest, referral: Referral): void {
  if (referral.conferenceId !== request.conferenceId) {
    throw new RequestError('INVALID_REQUEST', 'The referral is about a different conference from the request');
  }
}

function referralDetails(r: Referral): RequestAuditEvent['details'] {
  return {
    childIds: r.childIds,
    childrenWithoutPr: r.childrenWithoutPr,
    recordingIds: r.recordingIds,
    partIds: r.partIds,
    withheldSegmentIds: r.withheldSegmentIds,
    withheldAdded: r.withheldAdded.length,
    nothingWithheld: r.nothingWithheld,
    jointConsideration: r.jointConsideration?.on ?? null,
    adjustment: r.adjustment !== null,
  };
}

/** A-3: whether the chair referred the request on the day it was received (in England); null until referred. */
export function referredOnTheDay(r: Pick<CopyRequest, 'receivedOn' | 'history'>): boolean | null {
  const referral = r.history.find((h) => h.action === 'refer');
  return referral ? compareIsoDates(londonDateOf(referral.at), r.receivedOn) <= 0 : null;
}

/** Applies a list of events in order (for tests and rebuilding a request from its history). */
export function applyEvents(
  request: CopyRequest,
  steps: ReadonlyArray<{ event: RequestEvent; ctx: StepContext }>,
): Applied {
  let current: Applied = { request, events: [], effects: [] };
  for (const { event, ctx } of steps) {
    const next = applyEvent(current.request, event, ctx);
    current = {
      request: next.request,
      events: [...current.events, ...next.events],
      effects: [...current.effects, ...next.effects],
    };
  }
  return current;
}
