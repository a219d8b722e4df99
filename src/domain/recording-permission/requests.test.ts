import { describe, expect, it } from 'vitest';
import {
  checkDecision,
  checkNewRequest,
  checkProfessionalView,
  eligibilityOf,
  englandInstant,
  noticeOf,
  professionalsDisagree,
  timeLeft,
} from './requests.ts';

const AVA = 'a';
const BEN = 'b';

describe('who may ask to record a meeting (P-1)', () => {
  it('P-1: a child the meeting is about may ask; a child it is not about may not', () => {
    expect(eligibilityOf({ kind: 'child', childId: AVA, name: 'Ava' }, [AVA, BEN])).toEqual({
      eligible: true,
      childrenWithoutPr: [],
    });
    expect(eligibilityOf({ kind: 'child', childId: 'c', name: 'Cy' }, [AVA, BEN]).eligible).toBe(false);
  });

  it('P-1, P-2: a father with PR for Ben only may ask, and Ava is named as a child he has no PR for', () => {
    expect(eligibilityOf({ kind: 'family', personId: 'p', name: 'Dan', prFor: [BEN] }, [AVA, BEN])).toEqual({
      eligible: true,
      childrenWithoutPr: [AVA],
    });
  });

  it('P-1: a father without PR for any child discussed, or anyone else, may not ask, with the reason', () => {
    const father = eligibilityOf({ kind: 'family', personId: 'p', name: 'Dan', prFor: [] }, [AVA, BEN]);
    expect(father).toMatchObject({ eligible: false, reason: expect.stringContaining('parental responsibility') });
    expect(eligibilityOf({ kind: 'someone-else', name: 'A neighbour' }, [AVA]).eligible).toBe(false);
  });
});

describe('the notice asked for (T-11, P-3)', () => {
  const meeting = new Date('2026-03-02T10:00:00Z');
  it('T-11: a request 30 hours before the meeting is accepted but flagged as late', () => {
    expect(noticeOf(new Date('2026-03-01T04:00:00Z'), meeting, 48)).toEqual({ hoursBefore: 30, late: true });
  });
  it('T-11: a request exactly 48 hours before is in time', () => {
    expect(noticeOf(new Date('2026-02-28T10:00:00Z'), meeting, 48)).toEqual({ hoursBefore: 48, late: false });
  });
  it('T-11: the time left before the meeting reads in hours under two days, then days', () => {
    expect(timeLeft(new Date('2026-03-01T04:00:00Z'), meeting)).toBe('30 hours');
    expect(timeLeft(new Date('2026-02-20T10:00:00Z'), meeting)).toBe('10 days');
    expect(timeLeft(new Date('2026-03-02T11:00:00Z'), meeting)).toBe('The meeting has started');
  });
  it('England time: 10:00 in summer is 09:00 UTC, in winter 10:00 UTC', () => {
    expect(englandInstant('2026-07-01', '10:00').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    expect(englandInstant('2026-01-15', '10:00').toISOString()).toBe('2026-01-15T10:00:00.000Z');
  });
});

describe('a new request', () => {
  const now = new Date('2026-02-20T12:00:00Z');
  const start = new Date('2026-03-02T10:00:00Z');
  const input = {
    askedOn: '2026-02-20',
    askedAtTime: '09:00',
    method: 'phone',
    purpose: 'To remember what is said',
    undertaking: 'upload',
    someoneElseName: null,
  };
  it('P-1: a complete request has no problems', () => {
    expect(checkNewRequest(input, now, start, englandInstant).problems).toEqual([]);
  });
  it('every problem is named at once: time in the future, no method, no purpose, no undertaking', () => {
    const { problems } = checkNewRequest(
      { ...input, askedAtTime: '23:00', method: 'fax', purpose: ' ', undertaking: '' },
      now,
      start,
      englandInstant,
    );
    expect(problems.map((p) => p.field)).toEqual(['askedOn', 'method', 'purpose', 'undertaking']);
  });
  it('a request after the meeting has started is dealt with in the meeting, not here', () => {
    const later = new Date('2026-03-05T12:00:00Z');
    const { problems } = checkNewRequest({ ...input, askedOn: '2026-03-03' }, later, start, englandInstant);
    expect(problems[0]!.message).toContain('before the meeting starts');
  });
});

describe('the decision (P-2)', () => {
  const base = { alternativesNote: '', reasons: 'Explained to the mother.' };
  it('P-2: a refusal needs at least one ground, evidence for each ground, and an alternative that meets the need', () => {
    expect(
      checkDecision({ ...base, outcome: 'refused', grounds: [], alternatives: [] }, true).problems.map((p) => p.field),
    ).toEqual(['grounds', 'alternatives']);
    const { problems, checked } = checkDecision(
      {
        ...base,
        outcome: 'refused',
        grounds: [
          { ground: 'child-objects', evidence: 'Ava told her advocate.' },
          { ground: 'pr-holder-objects', evidence: '' },
        ],
        alternatives: ['note-taker'],
      },
      true,
    );
    expect(problems.map((p) => p.field)).toEqual(['evidence-pr-holder-objects']);
    expect(checked.grounds.map((g) => g.ground)).toEqual(['pr-holder-objects', 'child-objects']);
  });
  it('P-2: each refusal ground is accepted with its evidence', () => {
    for (const ground of [
      'no-pr-sensitive',
      'pr-holder-objects',
      'child-objects',
      'misuse-history',
      'threat-to-publish',
      'needs-already-met',
    ])
      expect(
        checkDecision(
          { ...base, outcome: 'refused', grounds: [{ ground, evidence: 'Seen' }], alternatives: ['advocate'] },
          false,
        ).problems,
      ).toEqual([]);
  });
  it('P-2: another person with parental responsibility objecting is a reason to refuse on its own, with its evidence and what is offered instead', () => {
    const { problems, checked } = checkDecision(
      {
        ...base,
        outcome: 'refused',
        grounds: [{ ground: 'pr-holder-objects', evidence: 'Ben’s father told the social worker he objects.' }],
        alternatives: ['note-taker'],
      },
      true,
    );
    expect(problems).toEqual([]);
    expect(checked).toMatchObject({ outcome: 'refused', grounds: [{ ground: 'pr-holder-objects' }] });
    // The same objection cannot go with allowing the recording.
    expect(
      checkDecision(
        {
          ...base,
          outcome: 'granted',
          grounds: [{ ground: 'pr-holder-objects', evidence: 'He objects.' }],
          alternatives: [],
        },
        true,
      ).problems.map((p) => p.field),
    ).toEqual(['grounds']);
  });
  it('P-2: the child objecting is a reason to refuse on its own; without its evidence it is refused by its field', () => {
    const refused = (evidence: string) =>
      checkDecision(
        {
          ...base,
          outcome: 'refused',
          grounds: [{ ground: 'child-objects', evidence }],
          alternatives: ['written-summary'],
        },
        true,
      );
    expect(refused('Ava told her advocate she does not want it recorded.').problems).toEqual([]);
    expect(refused('  ').problems).toEqual([
      { field: 'evidence-child-objects', message: 'Enter the evidence for this reason' },
    ]);
  });
  it('P-1: recording is allowed only once the undertaking is signed, and with no refusal ground ticked', () => {
    expect(
      checkDecision({ ...base, outcome: 'granted', grounds: [], alternatives: [] }, false).problems[0]!.field,
    ).toBe('outcome');
    expect(
      checkDecision(
        { ...base, outcome: 'granted', grounds: [{ ground: 'child-objects', evidence: 'x' }], alternatives: [] },
        true,
      ).problems.map((p) => p.field),
    ).toEqual(['grounds']);
    expect(checkDecision({ ...base, outcome: 'granted', grounds: [], alternatives: [] }, true).problems).toEqual([]);
  });
  it('P-2: something else offered instead must be described', () => {
    expect(
      checkDecision(
        {
          ...base,
          outcome: 'refused',
          grounds: [{ ground: 'misuse-history', evidence: 'x' }],
          alternatives: ['other'],
        },
        true,
      ).problems.map((p) => p.field),
    ).toEqual(['alternativesNote']);
  });
});

describe('professionals’ views (P-6)', () => {
  it('P-6: a professional who disagrees gives the reason', () => {
    expect(checkProfessionalView({ view: 'against', reason: '' }).map((p) => p.field)).toEqual(['reason']);
    expect(checkProfessionalView({ view: 'for', reason: '' })).toEqual([]);
  });
  it('P-6: professionals disagree only when some are for and some against', () => {
    expect(professionalsDisagree([{ view: 'for' }, { view: 'for' }])).toBe(false);
    expect(professionalsDisagree([{ view: 'for' }, { view: 'against' }])).toBe(true);
  });
});
