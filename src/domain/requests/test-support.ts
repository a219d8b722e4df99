/** Fixtures for the requests tests (not part of the public API; not exported from index.ts). */
import type { Actor } from '../access/roles.ts';
import { BankHolidayCalendar, parseIsoDate, type IsoDate } from '../calendar/index.ts';
import { validateReferral, type Referral, type ReferralFacts, type ReferralInput } from './referral.ts';
import type { Requester } from './requesters.ts';
import type { VerificationRecordChild } from './verification.ts';
import {
  applyEvent,
  receiveRequest,
  type Applied,
  type CopyRequest,
  type StepContext,
  type RequestEvent,
} from './workflow.ts';

export const d = (s: string): IsoDate => parseIsoDate(s);
export const calendar = new BankHolidayCalendar();
export const rules = { calendar };

export const chair: Actor = { id: 'chair-1', name: 'Cara Chair', roles: ['chair'] };
export const chair2: Actor = { id: 'chair-2', name: 'Dev Chair', roles: ['chair'] };
export const support: Actor = { id: 'bs-1', name: 'Bea Support', roles: ['business_support'] };
export const support2: Actor = { id: 'bs-2', name: 'Bo Support', roles: ['business_support'] };
export const qa: Actor = { id: 'qa-1', name: 'Quinn QA', roles: ['qa_manager'] };
export const records: Actor = { id: 'atr-1', name: 'Ari Records', roles: ['access_to_records'] };
export const socialWorker: Actor = { id: 'sw-1', name: 'Sam Social', roles: ['social_worker'] };
export const admin: Actor = { id: 'admin-1', name: 'Ada Admin', roles: ['admin'] };

/** Conference on Monday 2 March 2026 about two siblings. */
export const conference = {
  id: 'conf-1',
  date: d('2026-03-02'),
  children: [
    { id: 'child-ava', name: 'Ava Stone' },
    { id: 'child-ben', name: 'Ben Stone' },
  ],
  parts: [] as Array<{ id: string; label: string }>,
};

export const recordChildren: VerificationRecordChild[] = [
  { id: 'child-ava', givenNames: 'Ava Mae', familyName: 'Stone', dateOfBirth: d('2012-05-04') },
  { id: 'child-ben', givenNames: 'Ben', familyName: 'Stone', dateOfBirth: d('2016-11-30') },
];

export const conferenceChildren = recordChildren.map((c) => ({ id: c.id, dateOfBirth: c.dateOfBirth }));

export const recording = {
  id: 'rec-1',
  partId: null,
  durationMs: 3_600_000,
  segments: [
    {
      id: 'seg-police',
      startMs: 60_000,
      endMs: 120_000,
      reason: 'police' as const,
      explanation: 'Police intelligence',
      withheldFrom: { kind: 'all-family' as const },
    },
    {
      id: 'seg-mum',
      startMs: 600_000,
      endMs: 660_000,
      reason: 'confidential-to-parent' as const,
      explanation: 'Mother’s new address',
      withheldFrom: { kind: 'named' as const, personIds: ['person-dad'] },
    },
  ],
};

export const dad: Requester = { type: 'pr-holder', personId: 'person-dad' };

export function referralFacts(over: Partial<ReferralFacts> = {}): ReferralFacts {
  return {
    requester: dad,
    receivedOn: d('2026-03-09'),
    today: d('2026-03-09'),
    conference,
    recordings: [recording],
    childrenWithoutPr: [],
    ...over,
  };
}

export const goodReferralInput: ReferralInput = {
  childIds: ['child-ava', 'child-ben'],
  email: 'dad@example.org',
  emailVerified: true,
  withheldSegmentIds: ['seg-police', 'seg-mum'],
  recordingIds: ['rec-1'],
};

export function referral(input: ReferralInput = goodReferralInput, facts: ReferralFacts = referralFacts()): Referral {
  return validateReferral(input, facts);
}

/** A time on a date in England (GMT in March before the clocks change). */
export function at(date: string, time = '10:00'): Date {
  return new Date(`${date}T${time}:00Z`);
}

export function ctx(actor: Actor, when: Date): StepContext {
  return { actor, at: when, rules };
}

/** Dad's request received Monday 9 March 2026: due Thursday 9 April 2026. */
export function received(): CopyRequest {
  return receiveRequest(
    {
      requester: dad,
      receivedOn: d('2026-03-09'),
      conferenceId: conference.id,
      conferenceDate: conference.date,
      conferenceChildren,
      prChildIds: ['child-ava', 'child-ben'],
    },
    { actor: chair, at: at('2026-03-09', '09:00') },
  ).request;
}

export const reply = {
  emailConfirmedSecure: true,
  children: [
    { fullName: 'Ava Mae Stone', dateOfBirth: d('2012-05-04') },
    { fullName: 'Ben Stone', dateOfBirth: d('2016-11-30') },
  ],
};

/** Every step of the happy path, in order, with who takes it. */
export function happySteps(): Array<{ event: RequestEvent; actor: Actor }> {
  return [
    { event: { type: 'refer', referral: referral() }, actor: chair },
    { event: { type: 'resolve-queries', note: null }, actor: support },
    {
      event: { type: 'check-recording', partsListened: '0:00 to 2:00', confirmedRightRecording: true },
      actor: support,
    },
    { event: { type: 'request-verification' }, actor: support },
    { event: { type: 'record-verification', reply, recordChildren }, actor: support },
    { event: { type: 'prepare-copy', copyId: 'copy-1' }, actor: support },
    { event: { type: 'approve-copy' }, actor: support2 },
    { event: { type: 'send', deliveryId: 'delivery-1' }, actor: support },
    {
      event: {
        type: 'record-notifications',
        notified: ['chair', 'social-worker', 'qa-manager'],
        caseNoteChildIds: ['child-ava', 'child-ben'],
      },
      actor: support,
    },
    { event: { type: 'close' }, actor: chair },
  ];
}

/** Runs steps one hour apart from 10:00 on 10 March 2026. */
export function run(
  request: CopyRequest,
  steps: Array<{ event: RequestEvent; actor: Actor }>,
  start = at('2026-03-10'),
): Applied[] {
  const out: Applied[] = [];
  let current = request;
  steps.forEach((s, i) => {
    const applied = applyEvent(current, s.event, ctx(s.actor, new Date(start.getTime() + i * 3_600_000)));
    out.push(applied);
    current = applied.request;
  });
  return out;
}
