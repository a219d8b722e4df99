import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../access/roles.ts';
import { ROLES } from '../access/roles.ts';
import { DomainError, InvalidDetailsError } from '../shared/errors.ts';
import {
  admin,
  at,
  chair,
  chair2,
  conference,
  conferenceChildren,
  ctx,
  d,
  dad,
  happySteps,
  qa,
  received,
  recordChildren,
  records,
  referral,
  referralFacts,
  reply,
  run,
  socialWorker,
  support,
  support2,
} from './test-support.ts';
import {
  applyEvent,
  availableActions,
  canTake,
  MAX_VERIFICATION_FAILURES,
  receiveRequest,
  referredOnTheDay,
  REQUEST_ACTIONS,
  REQUEST_STATES,
  REQUEST_STEP_ROLES,
  REQUEST_TRANSITIONS,
  SENT_STATES,
  isBeforeSending,
  isFinal,
  type CopyRequest,
  type RequestEvent,
  type RequestEventType,
  type RequestState,
} from './workflow.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/** The request after the first n happy-path steps. */
function after(n: number): CopyRequest {
  const steps = happySteps().slice(0, n);
  return n === 0 ? received() : run(received(), steps).at(-1)!.request;
}

/** One example of every event, valid wherever its step allows it. */
const EXAMPLES: Record<RequestEventType, RequestEvent> = {
  refer: { type: 'refer', referral: referral() },
  'amend-referral': { type: 'amend-referral', referral: referral(), reason: 'Wrong email address' },
  'resolve-queries': { type: 'resolve-queries' },
  'check-recording': { type: 'check-recording', partsListened: '0:00 to 1:00', confirmedRightRecording: true },
  'request-verification': { type: 'request-verification' },
  'record-verification': { type: 'record-verification', reply, recordChildren },
  'resume-verification': { type: 'resume-verification', note: 'Typo in the date; asking again' },
  'prepare-copy': { type: 'prepare-copy', copyId: 'copy-x' },
  'approve-copy': { type: 'approve-copy' },
  'reject-copy': { type: 'reject-copy', reason: 'Police part audible' },
  send: { type: 'send', deliveryId: 'delivery-x' },
  'send-new-link': {
    type: 'send-new-link',
    deliveryId: 'delivery-y',
    previous: { deliveryId: 'delivery-x', state: 'expired', downloads: 0 },
    reason: 'Away while it worked',
  },
  'record-notifications': {
    type: 'record-notifications',
    notified: ['chair', 'social-worker', 'qa-manager'],
    caseNoteChildIds: ['child-ava', 'child-ben'],
  },
  close: { type: 'close' },
  refuse: { type: 'refuse', reason: 'Risk of serious harm' },
  withdraw: { type: 'withdraw', reason: 'Requester no longer wants it' },
  extend: { type: 'extend', reason: 'Several recordings to review', toldOn: '2026-03-10' },
};

/** Someone holding every role, for checking transitions apart from roles. */
const everyone: Actor = { id: 'all-roles', name: 'All Roles', roles: [...ROLES] };

describe('opening a request (A-1)', () => {
  it('A-1: an eligible request is recorded as received, with the chair asked', () => {
    const { request, events, effects } = receiveRequest(
      {
        requester: dad,
        receivedOn: d('2026-03-09'),
        conferenceId: 'conf-1',
        conferenceDate: conference.date,
        conferenceChildren,
        prChildIds: ['child-ben'],
      },
      { actor: support, at: at('2026-03-09') },
    );
    expect(request).toMatchObject({
      state: 'received',
      receivedOn: '2026-03-09',
      chairId: null,
      childrenCovered: ['child-ben'],
      childrenWithoutPr: ['child-ava'],
    });
    expect(request.history).toEqual([{ action: 'receive', state: 'received', at: at('2026-03-09'), actorId: 'bs-1' }]);
    expect(events.map((e) => e.action)).toEqual(['copy-request.received']);
    expect(effects).toEqual([]);
    expect(received().chairId).toBe('chair-1'); // recorded by a chair: theirs
  });

  it('A-1: an ineligible request is recorded and refused at once, with the reason and its code', () => {
    const { request, events } = receiveRequest(
      {
        requester: dad,
        receivedOn: d('2026-03-09'),
        conferenceId: 'conf-1',
        conferenceDate: conference.date,
        conferenceChildren,
        prChildIds: [],
      },
      { actor: chair, at: at('2026-03-09') },
    );
    expect(request.state).toBe('refused');
    expect(request.outcome).toMatchObject({ kind: 'refused', code: 'NO_PR', by: 'chair-1' });
    expect(request.outcome?.reason).toMatch(/does not hold parental responsibility/);
    expect(events.map((e) => [e.action, e.from, e.to])).toEqual([
      ['copy-request.received', null, 'received'],
      ['copy-request.refused', 'received', 'refused'],
    ]);
  });

  it('the received date cannot be in the future or before the conference', () => {
    const base = {
      requester: dad,
      conferenceId: 'conf-1',
      conferenceDate: conference.date,
      conferenceChildren,
      prChildIds: ['child-ava'],
    };
    expect(
      messageOf(() => receiveRequest({ ...base, receivedOn: d('2026-03-10') }, { actor: chair, at: at('2026-03-09') })),
    ).toMatch(/cannot be in the future/);
    expect(
      messageOf(() => receiveRequest({ ...base, receivedOn: d('2026-03-01') }, { actor: chair, at: at('2026-03-09') })),
    ).toMatch(/before the conference, on 2 March 2026/);
    // The date in England decides: 00:30 BST on 1 April is still 31 March in UTC.
    expect(
      receiveRequest({ ...base, receivedOn: d('2026-04-01') }, { actor: chair, at: new Date('2026-03-31T23:30:00Z') })
        .request.state,
    ).toBe('received');
  });

  it('lists the received date’s problems and the requester’s together', () => {
    try {
      receiveRequest(
        {
          requester: { type: 'court', contactName: 'C' },
          receivedOn: d('2026-03-10'),
          conferenceId: 'conf-1',
          conferenceDate: conference.date,
          conferenceChildren,
        },
        { actor: chair, at: at('2026-03-09') },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDetailsError);
      expect((e as InvalidDetailsError).problems.map((p) => p.field)).toEqual([
        'receivedOn',
        'courtName',
        'courtReference',
      ]);
    }
  });

  it('A-3: the referral is expected on the day the request is received', () => {
    expect(referredOnTheDay(after(0))).toBeNull();
    expect(referredOnTheDay(after(1))).toBe(false); // received 9 March, referred 10 March
    const sameDay = applyEvent(received(), EXAMPLES.refer, ctx(chair, at('2026-03-09', '16:00'))).request;
    expect(referredOnTheDay(sameDay)).toBe(true);
  });

  it('only chairs, business support, access to records and QA may record a request', () => {
    const input = {
      requester: dad,
      receivedOn: d('2026-03-09'),
      conferenceId: 'conf-1',
      conferenceDate: conference.date,
      conferenceChildren,
      prChildIds: ['child-ava'],
    };
    expect(codeOf(() => receiveRequest(input, { actor: admin, at: at('2026-03-09') }))).toBe('ACCESS_DENIED');
    expect(codeOf(() => receiveRequest(input, { actor: socialWorker, at: at('2026-03-09') }))).toBe('ACCESS_DENIED');
    for (const actor of [chair, support, records, qa])
      expect(receiveRequest(input, { actor, at: at('2026-03-09') }).request.state).toBe('received');
  });
});

describe('the happy path, every step timestamped', () => {
  it('received → referred → queries resolved → recording checked → verification requested → verified → copy prepared → copy approved → sent → notified → closed', () => {
    const results = run(received(), happySteps());
    expect(results.map((r) => r.request.state)).toEqual([
      'referred',
      'queries-resolved',
      'recording-checked',
      'verification-requested',
      'verified',
      'copy-prepared',
      'copy-approved',
      'sent',
      'notified',
      'closed',
    ]);
    const final = results.at(-1)!.request;
    expect(final.history.map((h) => [h.action, h.state, h.actorId])).toEqual([
      ['receive', 'received', 'chair-1'],
      ['refer', 'referred', 'chair-1'],
      ['resolve-queries', 'queries-resolved', 'bs-1'],
      ['check-recording', 'recording-checked', 'bs-1'],
      ['request-verification', 'verification-requested', 'bs-1'],
      ['record-verification', 'verified', 'bs-1'],
      ['prepare-copy', 'copy-prepared', 'bs-1'],
      ['approve-copy', 'copy-approved', 'bs-2'],
      ['send', 'sent', 'bs-1'],
      ['record-notifications', 'notified', 'bs-1'],
      ['close', 'closed', 'chair-1'],
    ]);
    expect(final.history.map((h) => h.at.toISOString().slice(11, 16))).toEqual([
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
      '17:00',
      '18:00',
      '19:00',
    ]);
    expect(final).toMatchObject({
      copy: { copyId: 'copy-1', preparedBy: 'bs-1' },
      approval: { approvedBy: 'bs-2' },
      delivery: { deliveryId: 'delivery-1', sentBy: 'bs-1' },
      notifications: {
        notified: ['chair', 'social-worker', 'qa-manager'],
        caseNoteChildIds: ['child-ava', 'child-ben'],
      },
      recordingCheck: { partsListened: '0:00 to 2:00', by: 'bs-1' },
    });
    expect(results.flatMap((r) => r.events.map((e) => e.action))).toEqual([
      'copy-request.referred',
      'copy-request.queries-resolved',
      'copy-request.recording-checked',
      'copy-request.verification-requested',
      'copy-request.verified',
      'copy-request.copy-prepared',
      'copy-request.copy-approved',
      'copy-request.sent',
      'copy-request.notified',
      'copy-request.closed',
    ]);
  });

  it('A-3: the referral tells business support, the social worker and the QA service manager; the referring chair becomes the request’s chair', () => {
    const [referred] = run({ ...received(), chairId: null }, happySteps().slice(0, 1));
    expect(referred!.effects).toEqual([
      { kind: 'notify-staff', to: 'business-support', about: 'referred' },
      { kind: 'notify-staff', to: 'social-worker', about: 'referred' },
      { kind: 'notify-staff', to: 'qa-manager', about: 'referred' },
    ]);
    expect(referred!.request.chairId).toBe('chair-1');
  });

  it('A-5: asking the requester emails them; A-6 / A-7: sending emails the copy-ready message, tells chair, social worker and QA, and writes a case note per child', () => {
    const results = run(received(), happySteps());
    expect(results[3]!.effects).toEqual([{ kind: 'email-requester', template: 'confirm-details' }]);
    expect(results[7]!.effects).toEqual([
      { kind: 'email-requester', template: 'copy-ready' },
      { kind: 'notify-staff', to: 'chair', about: 'copy-sent' },
      { kind: 'notify-staff', to: 'social-worker', about: 'copy-sent' },
      { kind: 'notify-staff', to: 'qa-manager', about: 'copy-sent' },
      { kind: 'case-note', childId: 'child-ava', about: 'copy-sent' },
      { kind: 'case-note', childId: 'child-ben', about: 'copy-sent' },
    ]);
  });

  it('A-6: a new link replaces the latest link only once it expired or was cancelled unused; the request stays sent, sent when it was', () => {
    const sent = run(received(), happySteps().slice(0, 8)).at(-1)!.request;
    expect(sent.state).toBe('sent');
    const later = at('2026-03-30');
    const step = (
      previous: { deliveryId: string; state: 'active' | 'expired' | 'revoked' | 'used-up'; downloads: number },
      reason = 'Away while it worked',
    ) => applyEvent(sent, { type: 'send-new-link', deliveryId: 'delivery-2', previous, reason }, ctx(support, later));
    const applied = step({ deliveryId: 'delivery-1', state: 'expired', downloads: 0 });
    expect(applied.request).toMatchObject({
      state: 'sent',
      delivery: { deliveryId: 'delivery-2', sentBy: 'bs-1', sentAt: sent.delivery!.sentAt },
    });
    expect(applied.request.history.at(-1)).toMatchObject({ action: 'send-new-link', state: 'sent', actorId: 'bs-1' });
    expect(applied.events).toEqual([
      expect.objectContaining({
        action: 'copy-request.new-link-sent',
        from: 'sent',
        to: 'sent',
        details: {
          deliveryId: 'delivery-2',
          previousDeliveryId: 'delivery-1',
          previousState: 'expired',
          reason: 'Away while it worked',
        },
      }),
    ]);
    expect(applied.effects).toEqual([]);
    expect(step({ deliveryId: 'delivery-1', state: 'revoked', downloads: 0 }).request.delivery!.deliveryId).toBe(
      'delivery-2',
    );
    const refused = (previous: Parameters<typeof step>[0], message: RegExp) =>
      expect(() => step(previous)).toThrow(
        expect.objectContaining({ code: 'NEW_LINK_NOT_ALLOWED', message: expect.stringMatching(message) }),
      );
    refused({ deliveryId: 'delivery-1', state: 'active', downloads: 0 }, /still works/);
    refused({ deliveryId: 'delivery-1', state: 'expired', downloads: 1 }, /already downloaded/);
    refused({ deliveryId: 'delivery-1', state: 'used-up', downloads: 0 }, /Every file/);
    refused({ deliveryId: 'delivery-0', state: 'expired', downloads: 0 }, /only the latest link/);
    expect(() => step({ deliveryId: 'delivery-1', state: 'expired', downloads: 0 }, '  ')).toThrow(InvalidDetailsError);
    // Business support only; not before sending, nor once closed.
    expect(() =>
      applyEvent(
        sent,
        {
          type: 'send-new-link',
          deliveryId: 'delivery-2',
          previous: { deliveryId: 'delivery-1', state: 'expired', downloads: 0 },
          reason: 'x',
        },
        ctx(chair, later),
      ),
    ).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED' }));
    const closed = run(received(), happySteps()).at(-1)!.request;
    expect(canTake(closed, 'send-new-link', support)).toBe(false);
    expect(canTake(sent, 'send-new-link', support)).toBe(true);
    // Offered with the link (its state is not the request's), never among the request's buttons.
    expect(availableActions(sent, support)).not.toContain('send-new-link');
  });

  it('never changes the request it is given', () => {
    const before = after(5);
    const copy = structuredClone(before);
    applyEvent(before, { type: 'prepare-copy', copyId: 'c' }, ctx(support, at('2026-03-11')));
    expect(before).toEqual(copy);
  });
});

describe('transitions and roles', () => {
  /** A request at the given state (fields as after the happy path reached it, or close to it). */
  const at_ = (state: RequestState): CopyRequest => {
    const order = [
      'received',
      'referred',
      'queries-resolved',
      'recording-checked',
      'verification-requested',
      'verified',
      'copy-prepared',
      'copy-approved',
      'sent',
      'notified',
      'closed',
    ];
    const i = order.indexOf(state);
    return i >= 0 ? after(i) : { ...after(4), state };
  };

  it('every event outside its steps is refused with INVALID_TRANSITION', () => {
    let checked = 0;
    for (const state of REQUEST_STATES) {
      for (const type of Object.keys(REQUEST_TRANSITIONS) as RequestEventType[]) {
        if (REQUEST_TRANSITIONS[type].includes(state)) continue;
        expect(
          codeOf(() => applyEvent(at_(state), EXAMPLES[type], ctx(everyone, at('2026-03-20')))),
          `${type} from ${state}`,
        ).toBe('INVALID_TRANSITION');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('the message names the step the request is at', () => {
    expect(messageOf(() => applyEvent(after(0), EXAMPLES.send, ctx(support, at('2026-03-20'))))).toBe(
      'You cannot send the copy when the request is at “received”',
    );
  });

  it('every event is refused (ACCESS_DENIED) to someone holding only the other roles', () => {
    for (const type of Object.keys(REQUEST_TRANSITIONS) as RequestEventType[]) {
      const state = REQUEST_TRANSITIONS[type][0]!;
      const others: Actor = {
        id: 'other',
        name: 'Other',
        roles: ROLES.filter((r) => !REQUEST_STEP_ROLES[type].includes(r)),
      };
      expect(
        codeOf(() => applyEvent(at_(state), EXAMPLES[type], ctx(others, at('2026-03-20')))),
        type,
      ).toBe('ACCESS_DENIED');
      expect(canTake(at_(state), type, others)).toBe(false);
    }
  });

  it('a denial says who may take the step', () => {
    expect(messageOf(() => applyEvent(after(0), EXAMPLES.refer, ctx(support, at('2026-03-20'))))).toBe(
      'Only a conference chair may refer to business support',
    );
    expect(messageOf(() => applyEvent(after(0), EXAMPLES.refuse, ctx(support, at('2026-03-20'))))).toBe(
      'Only a conference chair or information governance / access to records may refuse the request',
    );
  });

  it('the social worker takes no step; administrators and auditors none either', () => {
    for (const action of REQUEST_ACTIONS) {
      expect(REQUEST_STEP_ROLES[action]).not.toContain('social_worker');
      expect(REQUEST_STEP_ROLES[action]).not.toContain('admin');
      expect(REQUEST_STEP_ROLES[action]).not.toContain('auditor');
    }
  });

  it('availableActions lists what this person can do now', () => {
    expect(availableActions(after(0), chair)).toEqual(['refer', 'refuse', 'withdraw', 'extend']);
    expect(availableActions(after(1), support)).toEqual(['resolve-queries', 'withdraw', 'extend']);
    // bs-1 prepared the copy: bs-2 may approve it, bs-1 may not.
    expect(availableActions(after(6), support2)).toEqual(['approve-copy', 'reject-copy', 'withdraw', 'extend']);
    expect(availableActions(after(6), support)).toEqual(['reject-copy', 'withdraw', 'extend']);
    expect(canTake(after(6), 'approve-copy', support)).toBe(false);
    expect(availableActions(after(8), chair)).toEqual([]);
  });

  it('a step dated before the previous one is refused (OUT_OF_ORDER)', () => {
    expect(
      codeOf(() => applyEvent(after(1), EXAMPLES['resolve-queries'], ctx(support, at('2026-03-10', '09:59')))),
    ).toBe('OUT_OF_ORDER');
    expect(codeOf(() => applyEvent(after(1), EXAMPLES['resolve-queries'], ctx(support, new Date('nonsense'))))).toBe(
      'INVALID_REQUEST',
    );
  });
});

describe('A-4 the recording checked', () => {
  it('A-4: which parts were listened to is required', () => {
    const e = (() => {
      try {
        applyEvent(
          after(2),
          { type: 'check-recording', partsListened: ' ', confirmedRightRecording: true },
          ctx(support, at('2026-03-20')),
        );
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InvalidDetailsError);
    expect((e as InvalidDetailsError).field).toBe('partsListened');
  });

  it('A-4: a recording that is not the right one cannot be confirmed: the chair amends the referral', () => {
    const wrong = () =>
      applyEvent(
        after(2),
        { type: 'check-recording', partsListened: '0:00 to 1:00', confirmedRightRecording: false },
        ctx(support, at('2026-03-20')),
      );
    expect(codeOf(wrong)).toBe('RECORDING_NOT_CONFIRMED');
    expect(messageOf(wrong)).toMatch(/tell the chair/);
  });
});

describe('A-5 verification', () => {
  const wrongReply = {
    ...reply,
    children: [reply.children[0]!, { fullName: 'Ben Stone', dateOfBirth: d('2016-12-01') }],
  };
  const fail = (r: CopyRequest, when: Date) =>
    applyEvent(r, { type: 'record-verification', reply: wrongReply, recordChildren }, ctx(support, when));

  it('A-5: details that do not match stop the request and tell the chair; the audit holds no values', () => {
    const { request, events, effects } = fail(after(4), at('2026-03-20'));
    expect(request.state).toBe('verification-failed');
    expect(request.verification).toMatchObject({
      failures: 1,
      verifiedAt: null,
      lastFailure: { failures: ['mismatch'], mismatches: [{ childId: 'child-ben', problem: 'date-of-birth' }] },
    });
    expect(effects).toEqual([{ kind: 'notify-staff', to: 'chair', about: 'verification-failed' }]);
    expect(events[0]!.details).toEqual({ failures: ['mismatch'], mismatchedChildIds: ['child-ben'], attempt: 1 });
    expect(JSON.stringify(events)).not.toMatch(/2016|Stone/);
  });

  it('A-5: nothing can be prepared or sent after a failed reply', () => {
    const failed = fail(after(4), at('2026-03-20')).request;
    expect(codeOf(() => applyEvent(failed, EXAMPLES['prepare-copy'], ctx(support, at('2026-03-21'))))).toBe(
      'INVALID_TRANSITION',
    );
    expect(codeOf(() => applyEvent(failed, EXAMPLES.send, ctx(support, at('2026-03-21'))))).toBe('INVALID_TRANSITION');
  });

  it('A-5: the chair may have the requester asked again (back to recording checked), with a note', () => {
    const failed = fail(after(4), at('2026-03-20')).request;
    expect(
      codeOf(() => applyEvent(failed, { type: 'resume-verification', note: '' }, ctx(chair, at('2026-03-21')))),
    ).toBe('INVALID_DETAILS');
    expect(codeOf(() => applyEvent(failed, EXAMPLES['resume-verification'], ctx(support, at('2026-03-21'))))).toBe(
      'ACCESS_DENIED',
    );
    const resumed = applyEvent(failed, EXAMPLES['resume-verification'], ctx(chair, at('2026-03-21'))).request;
    expect(resumed.state).toBe('recording-checked');
    const asked = applyEvent(
      resumed,
      EXAMPLES['request-verification'],
      ctx(support, at('2026-03-21', '11:00')),
    ).request;
    expect(applyEvent(asked, EXAMPLES['record-verification'], ctx(support, at('2026-03-22'))).request.state).toBe(
      'verified',
    );
  });

  it(`A-5: after ${MAX_VERIFICATION_FAILURES} failed replies the chair can only amend the referral or refuse`, () => {
    let r = after(4);
    let day = 20;
    for (let i = 1; i <= MAX_VERIFICATION_FAILURES; i++) {
      r = fail(r, at(`2026-03-${day++}`)).request;
      expect(r.verification.failures).toBe(i);
      if (i < MAX_VERIFICATION_FAILURES) {
        r = applyEvent(r, EXAMPLES['resume-verification'], ctx(chair, at(`2026-03-${day}`, '09:00'))).request;
        r = applyEvent(r, EXAMPLES['request-verification'], ctx(support, at(`2026-03-${day}`, '09:30'))).request;
      }
    }
    expect(codeOf(() => applyEvent(r, EXAMPLES['resume-verification'], ctx(chair, at('2026-03-29'))))).toBe(
      'VERIFICATION_ATTEMPTS_EXHAUSTED',
    );
    expect(availableActions(r, chair)).toEqual(['amend-referral', 'refuse', 'withdraw', 'extend']);
    // Amending keeps the count: a new referral does not buy more guesses.
    const amended = applyEvent(r, EXAMPLES['amend-referral'], ctx(chair, at('2026-03-29'))).request;
    expect(amended.state).toBe('referred');
    expect(amended.verification.failures).toBe(MAX_VERIFICATION_FAILURES);
  });

  it('A-5: an unborn sibling is verified by the expected date of delivery: the request goes on, the chair is not emailed', () => {
    const asked = after(4);
    const withUnborn = {
      ...asked,
      referral: { ...asked.referral!, childIds: [...asked.referral!.childIds, 'child-unborn'] },
    };
    const unborn = {
      id: 'child-unborn',
      givenNames: 'Baby',
      familyName: 'Stone',
      dateOfBirth: null,
      expectedDeliveryDate: d('2026-07-20'),
    };
    const applied = applyEvent(
      withUnborn,
      {
        type: 'record-verification',
        reply: { ...reply, children: [...reply.children, { fullName: 'Baby Stone', dateOfBirth: d('2026-07-20') }] },
        recordChildren: [...recordChildren, unborn],
      },
      ctx(support, at('2026-03-20')),
    );
    expect(applied.request.state).toBe('verified');
    expect(applied.effects).toEqual([]);
    expect(applied.events[0]!.details).toMatchObject({ unbornCheckedChildIds: ['child-unborn'] });
    const undated = applyEvent(
      withUnborn,
      {
        type: 'record-verification',
        reply,
        recordChildren: [...recordChildren, { ...unborn, expectedDeliveryDate: null }],
      },
      ctx(support, at('2026-03-20')),
    );
    expect(undated.request.state).toBe('verified');
    expect(undated.events[0]!.details).toMatchObject({ notCheckedChildIds: ['child-unborn'] });
  });

  it('A-5: the reply is checked against exactly the children in the referral', () => {
    const e = () =>
      applyEvent(
        after(4),
        { type: 'record-verification', reply, recordChildren: recordChildren.slice(0, 1) },
        ctx(support, at('2026-03-20')),
      );
    expect(codeOf(e)).toBe('VERIFICATION_CHILDREN_MISMATCH');
  });
});

describe('the copy: prepared, approved by a second person, sent', () => {
  it('the person who prepared the copy cannot approve it', () => {
    const prepared = after(6);
    const e = () => applyEvent(prepared, EXAMPLES['approve-copy'], ctx(support, at('2026-03-20')));
    expect(codeOf(e)).toBe('SAME_PERSON_APPROVAL');
    expect(messageOf(e)).toBe('You prepared this copy, so someone else must approve it');
    // A chair, QA manager or access to records officer may approve too.
    for (const actor of [chair, qa, records, support2])
      expect(applyEvent(prepared, EXAMPLES['approve-copy'], ctx(actor, at('2026-03-20'))).request.state).toBe(
        'copy-approved',
      );
  });

  it('a copy sent back is prepared again; the approver must differ from the new preparer', () => {
    const back = applyEvent(after(6), EXAMPLES['reject-copy'], ctx(support2, at('2026-03-20'))).request;
    expect(back).toMatchObject({ state: 'verified', copy: null, approval: null });
    expect(
      codeOf(() => applyEvent(after(6), { type: 'reject-copy', reason: '' }, ctx(support2, at('2026-03-20')))),
    ).toBe('INVALID_DETAILS');
    const again = applyEvent(
      back,
      { type: 'prepare-copy', copyId: 'copy-2' },
      ctx(support2, at('2026-03-20', '11:00')),
    ).request;
    expect(codeOf(() => applyEvent(again, EXAMPLES['approve-copy'], ctx(support2, at('2026-03-20', '12:00'))))).toBe(
      'SAME_PERSON_APPROVAL',
    );
    expect(
      applyEvent(again, EXAMPLES['approve-copy'], ctx(support, at('2026-03-20', '12:00'))).request.approval?.approvedBy,
    ).toBe('bs-1');
  });

  it('defence in depth: a request forced into copy-approved without verification or with a self-approval is not sent', () => {
    const approved = after(7);
    const unverified = { ...approved, verification: { ...approved.verification, verifiedAt: null } };
    expect(codeOf(() => applyEvent(unverified, EXAMPLES.send, ctx(support, at('2026-03-20'))))).toBe(
      'NOT_READY_TO_SEND',
    );
    const self = { ...approved, approval: { approvedBy: 'bs-1', approvedAt: at('2026-03-10') } };
    expect(codeOf(() => applyEvent(self, EXAMPLES.send, ctx(support, at('2026-03-20'))))).toBe('NOT_READY_TO_SEND');
  });

  it('A-7: notifications are recorded only when the chair, social worker and QA manager were told and every child has a case note', () => {
    const sent = after(8);
    const e = () =>
      applyEvent(
        sent,
        { type: 'record-notifications', notified: ['chair'], caseNoteChildIds: ['child-ava'] },
        ctx(support, at('2026-03-20')),
      );
    expect(codeOf(e)).toBe('NOTIFICATIONS_INCOMPLETE');
    expect(messageOf(e)).toBe(
      'When the copy has been sent, tell the social worker and the quality assurance service manager, and write the case note on one child’s record',
    );
  });
});

describe('amending the referral', () => {
  it('the chair may amend it from any step after referral and before sending: later checks are discarded, history kept', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const r = after(n);
      const amended = applyEvent(r, EXAMPLES['amend-referral'], ctx(chair2, at('2026-03-20'))).request;
      expect(amended).toMatchObject({
        state: 'referred',
        chairId: 'chair-2',
        recordingCheck: null,
        copy: null,
        approval: null,
        verification: { verifiedAt: null, requestedAt: null },
      });
      expect(amended.history.length).toBe(r.history.length + 1);
    }
    expect(codeOf(() => applyEvent(after(8), EXAMPLES['amend-referral'], ctx(chair, at('2026-03-20'))))).toBe(
      'INVALID_TRANSITION',
    );
    expect(
      codeOf(() =>
        applyEvent(
          after(1),
          { ...EXAMPLES['amend-referral'], reason: '' } as RequestEvent,
          ctx(chair, at('2026-03-20')),
        ),
      ),
    ).toBe('INVALID_DETAILS');
  });

  it('a referral about another conference is refused', () => {
    const other = referral(undefined, referralFacts({ conference: { ...conference, id: 'conf-2' } }));
    expect(codeOf(() => applyEvent(after(0), { type: 'refer', referral: other }, ctx(chair, at('2026-03-20'))))).toBe(
      'INVALID_REQUEST',
    );
  });
});

describe('ends: refused and withdrawn', () => {
  it('a request may be refused or withdrawn, with a reason, from every step before it is sent', () => {
    for (let n = 0; n <= 7; n++) {
      const r = after(n);
      const refused = applyEvent(r, EXAMPLES.refuse, ctx(chair, at('2026-03-20')));
      expect(refused.request).toMatchObject({
        state: 'refused',
        outcome: { kind: 'refused', reason: 'Risk of serious harm', code: null, by: 'chair-1' },
      });
      expect(applyEvent(r, EXAMPLES.withdraw, ctx(support, at('2026-03-20'))).request.state).toBe('withdrawn');
      // Once referred, everyone who was told is told of the end.
      expect(refused.effects.length).toBe(n === 0 ? 0 : 4);
    }
    expect(codeOf(() => applyEvent(after(1), { type: 'refuse', reason: ' ' }, ctx(chair, at('2026-03-20'))))).toBe(
      'INVALID_DETAILS',
    );
  });

  it('once sent, a request cannot be refused or withdrawn; final states accept nothing', () => {
    for (const n of [8, 9]) {
      expect(codeOf(() => applyEvent(after(n), EXAMPLES.refuse, ctx(chair, at('2026-03-20'))))).toBe(
        'INVALID_TRANSITION',
      );
      expect(codeOf(() => applyEvent(after(n), EXAMPLES.withdraw, ctx(chair, at('2026-03-20'))))).toBe(
        'INVALID_TRANSITION',
      );
    }
    const refused = applyEvent(after(1), EXAMPLES.refuse, ctx(chair, at('2026-03-20'))).request;
    for (const type of Object.keys(EXAMPLES) as RequestEventType[]) {
      expect(codeOf(() => applyEvent(refused, EXAMPLES[type], ctx(everyone, at('2026-03-21'))))).toBe(
        'INVALID_TRANSITION',
      );
    }
  });
});

describe('A-9 extension', () => {
  // Received Monday 9 March 2026: the first month ends Thursday 9 April 2026.
  const extend = (r: CopyRequest, toldOn: string, when = at('2026-04-09', '16:00')) =>
    applyEvent(r, { type: 'extend', reason: 'Three recordings, split conference', toldOn }, ctx(support, when));

  it('A-9: recorded with the reason and the date the requester was told, within the first month; the step does not change', () => {
    const { request, events } = extend(after(2), '2026-04-09');
    expect(request.state).toBe('queries-resolved');
    expect(request.extension).toMatchObject({
      reason: 'Three recordings, split conference',
      toldOn: '2026-04-09',
      recordedBy: 'bs-1',
    });
    expect(request.history.at(-1)).toMatchObject({ action: 'extend', state: 'queries-resolved' });
    // Three months from 9 March 2026 is Tuesday 9 June 2026.
    expect(events[0]).toMatchObject({
      action: 'copy-request.extended',
      from: 'queries-resolved',
      to: 'queries-resolved',
      details: { toldOn: '2026-04-09', due: '2026-06-09' },
    });
  });

  it('A-9: telling the requester after the first month is too late', () => {
    const e = () => extend(after(2), '2026-04-10', at('2026-04-10'));
    expect(codeOf(e)).toBe('EXTENSION_TOO_LATE');
    expect(messageOf(e)).toMatch(/within the first month, by 9 April 2026/);
  });

  it('A-9: the first month ends on the next working day when its last day is not one (Easter 2026)', () => {
    // Received Thursday 5 March 2026: one month on is Sunday 5 April, then Easter Monday 6 April, so Tuesday 7 April.
    const r = { ...after(0), receivedOn: d('2026-03-05') };
    expect(extend(r, '2026-04-07', at('2026-04-07')).request.extension?.toldOn).toBe('2026-04-07');
    expect(codeOf(() => extend(r, '2026-04-08', at('2026-04-08')))).toBe('EXTENSION_TOO_LATE');
  });

  it('A-9: only once; the told date must be real, not before the request, not in the future', () => {
    const once = extend(after(2), '2026-03-20').request;
    expect(codeOf(() => extend(once, '2026-03-21'))).toBe('ALREADY_EXTENDED');
    expect(canTake(once, 'extend', support)).toBe(false);
    expect(messageOf(() => extend(after(0), '2026-03-08'))).toMatch(/before the request was received/);
    expect(messageOf(() => extend(after(0), '2026-04-01', at('2026-03-31')))).toMatch(/cannot be in the future/);
    expect(messageOf(() => extend(after(0), '2026-02-30'))).toMatch(/real date/);
    expect(
      codeOf(() =>
        applyEvent(after(0), { type: 'extend', reason: '', toldOn: '2026-03-10' }, ctx(support, at('2026-03-20'))),
      ),
    ).toBe('INVALID_DETAILS');
  });

  it('A-9: not after the copy has been sent', () => {
    expect(codeOf(() => extend(after(8), '2026-03-20'))).toBe('INVALID_TRANSITION');
  });
});

describe('properties of the state machine', () => {
  const actors = [chair, chair2, support, support2, qa, records, socialWorker];
  const badReply = { ...reply, children: [reply.children[0]!] };
  const events: RequestEvent[] = [
    ...Object.values(EXAMPLES),
    { type: 'record-verification', reply: badReply, recordChildren },
    { type: 'prepare-copy', copyId: 'copy-y' },
  ];

  it('never reaches “sent” without a confirmed requester and a copy approved by someone other than its preparer; ends are final; nothing is refused after sending', () => {
    let reachedSent = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(1000),
            fc.nat(actors.length - 1),
            fc.nat(9).map((n) => n === 0),
          ),
          { minLength: 20, maxLength: 120 },
        ),
        (steps) => {
          let r = received();
          let t = at('2026-03-10').getTime();
          let sawSent = false;
          for (const [ei, ai, anyEvent] of steps) {
            const before = r;
            // Mostly an event this step allows other than the ends and amending the referral (so runs get far), sometimes any event at all
            // (ends included); the actor is always random.
            const candidates = anyEvent
              ? events
              : events.filter(
                  (e) =>
                    REQUEST_TRANSITIONS[e.type].includes(r.state) &&
                    !['refuse', 'withdraw', 'amend-referral'].includes(e.type),
                );
            const event = candidates[ei % Math.max(1, candidates.length)] ?? events[ei % events.length]!;
            try {
              r = applyEvent(r, event, ctx(actors[ai]!, new Date((t += 60_000)))).request;
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              continue;
            }
            if (isFinal(before.state)) return false; // an end never changes
            if (SENT_STATES.includes(before.state) && !SENT_STATES.includes(r.state)) return false; // sent stays sent
            if (r.state === 'sent' && before.state !== 'sent') {
              sawSent = true;
              const h = r.history;
              const lastPrepared = h.findLast((x) => x.action === 'prepare-copy')!;
              const lastApproved = h.findLast((x) => x.action === 'approve-copy')!;
              const lastVerified = h.findLast((x) => x.state === 'verified' && x.action === 'record-verification');
              const lastAmend = h.findLastIndex((x) => x.action === 'amend-referral');
              if (!lastVerified || h.indexOf(lastVerified) < lastAmend) return false;
              if (!lastApproved || lastApproved.actorId === lastPrepared.actorId) return false;
              if (h.indexOf(lastApproved) < h.indexOf(lastPrepared)) return false;
            }
            if (!isBeforeSending(before.state) && (r.state === 'refused' || r.state === 'withdrawn')) return false;
          }
          if (sawSent) reachedSent++;
          return true;
        },
      ),
      { numRuns: 400, seed: 20260309 },
    );
    // The property must not hold vacuously.
    expect(reachedSent).toBeGreaterThan(10);
  });

  it('every step’s history entry is in time order and names the actor who took it', () => {
    const results = run(received(), happySteps());
    const times = results.at(-1)!.request.history.map((h) => h.at.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
