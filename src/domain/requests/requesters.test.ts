import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../calendar/index.ts';
import {
  assessEligibility,
  requesterPersonId,
  toInput,
  validateRequester,
  type EligibilityInput,
  type Requester,
} from './requesters.ts';
import { conferenceChildren, d } from './test-support.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

/** A 13th birthday on Tuesday 10 March 2026. */
const teen = { id: 'child-teen', dateOfBirth: d('2013-03-10') };
const sibling = { id: 'child-sib', dateOfBirth: d('2018-01-01') };
const children = [teen, sibling];

function child(receivedOn: string, over: Partial<EligibilityInput> = {}) {
  return assessEligibility({
    requester: { type: 'child', childId: 'child-teen' },
    receivedOn: d(receivedOn),
    conferenceChildren: children,
    ...over,
  });
}

function problemsOf(fn: () => unknown): Array<{ field: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidDetailsError) return [...e.problems];
    throw e;
  }
  throw new Error('expected InvalidDetailsError');
}

describe('A-1 a child who was the subject of the conference', () => {
  it('A-1: is not eligible the day before their 13th birthday', () => {
    const r = child('2026-03-09');
    expect(r).toMatchObject({ eligible: false, code: 'CHILD_UNDER_13' });
    if (!r.eligible) expect(r.reason).toMatch(/from the age of 13.*under 13 on the day the request was received/);
  });

  it('A-1: is eligible on their 13th birthday, for their own information', () => {
    expect(child('2026-03-10')).toEqual({
      eligible: true,
      requester: { type: 'child', childId: 'child-teen' },
      childrenCovered: ['child-teen'],
      childrenWithoutPr: [],
    });
  });

  it('A-1: age is taken on the date the request was received, not on the date of the conference or today', () => {
    // Received the day before the birthday: still ineligible, however late the request is recorded.
    expect(child('2026-03-09').eligible).toBe(false);
    expect(child('2027-01-01').eligible).toBe(true);
  });

  it('A-1: a 29 February birthday is reached on 1 March in a year that is not a leap year', () => {
    const leapling = [{ id: 'child-teen', dateOfBirth: d('2012-02-29') }];
    // 2025 is not a leap year: 13 on 1 March 2025, not 28 February.
    expect(child('2025-02-28', { conferenceChildren: leapling })).toMatchObject({
      eligible: false,
      code: 'CHILD_UNDER_13',
    });
    expect(child('2025-03-01', { conferenceChildren: leapling })).toMatchObject({ eligible: true });
    // Thirteen years after a leap year is never one, so the 13th birthday of a 29 February child is always 1 March.
    const born2000 = [{ id: 'child-teen', dateOfBirth: d('2000-02-29') }];
    expect(child('2013-02-28', { conferenceChildren: born2000 }).eligible).toBe(false);
    expect(child('2013-03-01', { conferenceChildren: born2000 }).eligible).toBe(true);
  });

  it('A-1: a young person now over 18 who was the subject of the conference is still eligible', () => {
    expect(child('2040-01-01').eligible).toBe(true);
  });

  it('A-1: a child who was not a subject of the conference is not eligible, whatever their age', () => {
    const r = assessEligibility({
      requester: { type: 'child', childId: 'child-other' },
      receivedOn: d('2026-06-01'),
      conferenceChildren: children,
    });
    expect(r).toMatchObject({ eligible: false, code: 'CHILD_NOT_SUBJECT' });
  });

  it('A-1: a child with no date of birth on record cannot be shown to be 13', () => {
    const r = child('2026-06-01', { conferenceChildren: [{ id: 'child-teen', dateOfBirth: null }] });
    expect(r).toMatchObject({ eligible: false, code: 'CHILD_AGE_UNKNOWN' });
  });

  it('A-1 property: eligible exactly when the child is a subject and 13 or over on the day received', () => {
    const base = d('2013-03-10');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: daysBetween(base, d('2033-12-31')) }), (n) => {
        const on = addDays(base, n);
        const r = child(on);
        return r.eligible === on >= '2026-03-10';
      }),
      { numRuns: 300 },
    );
  });
});

describe('A-1 a person with parental responsibility', () => {
  const input = (prChildIds: string[]) =>
    assessEligibility({
      requester: { type: 'pr-holder', personId: 'person-dad' },
      receivedOn: d('2026-03-09'),
      conferenceChildren,
      prChildIds,
    });

  it('A-1: PR for every child: eligible for all of them', () => {
    expect(input(['child-ava', 'child-ben'])).toMatchObject({
      eligible: true,
      childrenCovered: ['child-ava', 'child-ben'],
      childrenWithoutPr: [],
    });
  });

  it('A-1 / A-3: PR for one sibling only: eligible, for that sibling only, the other listed as without PR', () => {
    expect(input(['child-ben'])).toEqual({
      eligible: true,
      requester: { type: 'pr-holder', personId: 'person-dad' },
      childrenCovered: ['child-ben'],
      childrenWithoutPr: ['child-ava'],
    });
  });

  it('A-1: PR for children outside this conference only, or none at all: not eligible', () => {
    expect(input(['child-elsewhere'])).toMatchObject({ eligible: false, code: 'NO_PR' });
    expect(input([])).toMatchObject({ eligible: false, code: 'NO_PR' });
    const none = assessEligibility({
      requester: { type: 'pr-holder', personId: 'p' },
      receivedOn: d('2026-03-09'),
      conferenceChildren,
    });
    expect(none.eligible).toBe(false);
    if (!none.eligible)
      expect(none.reason).toMatch(/does not hold parental responsibility for any child in the conference/);
  });
});

describe('A-1 courts, council services and other authorities', () => {
  const receivedOn = d('2026-03-09');
  const assess = (requester: EligibilityInput['requester']) =>
    assessEligibility({ requester, receivedOn, conferenceChildren });

  it('A-1: a court with its name and case reference is eligible for every child', () => {
    expect(
      assess({
        type: 'court',
        contactName: 'Clerk',
        courtName: 'Family Court at Oxford',
        courtReference: 'OX26C00123',
      }),
    ).toMatchObject({
      eligible: true,
      childrenCovered: ['child-ava', 'child-ben'],
      childrenWithoutPr: [],
    });
  });

  it('A-1: a missing court name or reference is a problem with the form, not a refusal', () => {
    const problems = problemsOf(() => assess({ type: 'court', contactName: ' ', courtName: '', courtReference: null }));
    expect(problems.map((p) => p.field)).toEqual(['contactName', 'courtName', 'courtReference']);
    expect(problems[2]!.message).toBe('Enter the court’s case reference');
  });

  it('A-1: the complaints and information service needs its complaint reference', () => {
    expect(problemsOf(() => assess({ type: 'complaints-service', contactName: 'Ann' }))).toEqual([
      { field: 'complaintReference', message: 'Enter the complaint or access to records reference' },
    ]);
    expect(
      assess({ type: 'complaints-service', contactName: 'Ann', complaintReference: 'CIS-2026-001' }).eligible,
    ).toBe(true);
  });

  it('A-1: the QA service gives its purpose; a complex complaint needs the complaint reference, an audit does not', () => {
    expect(problemsOf(() => assess({ type: 'qa-service', contactName: 'Quinn' }))[0]!.field).toBe('qaPurpose');
    expect(
      problemsOf(() => assess({ type: 'qa-service', contactName: 'Quinn', qaPurpose: 'complex-complaint' }))[0]!.field,
    ).toBe('complaintReference');
    expect(assess({ type: 'qa-service', contactName: 'Quinn', qaPurpose: 'audit' })).toMatchObject({
      eligible: true,
      requester: { type: 'qa-service', purpose: 'audit', complaintReference: null },
    });
  });

  it('A-1: another local authority needs its name and purpose, and is eligible only for its transfer-in conference', () => {
    expect(problemsOf(() => assess({ type: 'local-authority', contactName: 'Lee' })).map((p) => p.field)).toEqual([
      'authorityName',
      'authorityPurpose',
    ]);
    const la = {
      type: 'local-authority',
      contactName: 'Lee',
      authorityName: 'Northshire County Council',
      authorityReference: 'NC/123',
    };
    expect(assess({ ...la, authorityPurpose: 'transfer-in' }).eligible).toBe(true);
    expect(assess({ ...la, authorityPurpose: 'other' })).toMatchObject({
      eligible: false,
      code: 'NOT_FOR_TRANSFER_IN',
    });
  });

  it('no requester type, or an unknown one, asks who is asking', () => {
    expect(problemsOf(() => assess({}))).toEqual([
      { field: 'type', message: 'Select who is asking for the recording' },
    ]);
    expect(problemsOf(() => assess({ type: 'journalist' }))[0]!.field).toBe('type');
    expect(problemsOf(() => assess({ type: 'child', childId: '  ' }))[0]!.field).toBe('childId');
  });

  it('references longer than 100 characters are refused', () => {
    expect(
      problemsOf(() =>
        validateRequester({ type: 'court', contactName: 'C', courtName: 'Court', courtReference: 'x'.repeat(101) }),
      )[0],
    ).toEqual({
      field: 'courtReference',
      message: 'The case reference must be 100 characters or fewer',
    });
  });

  it('a validated requester can be assessed again (round trip through toInput)', () => {
    const all: Requester[] = [
      { type: 'child', childId: 'child-ava' },
      { type: 'pr-holder', personId: 'p' },
      { type: 'court', contactName: 'C', courtName: 'Court', courtReference: 'R' },
      { type: 'complaints-service', contactName: 'C', complaintReference: 'R' },
      { type: 'qa-service', contactName: 'C', purpose: 'complex-complaint', complaintReference: 'R' },
      {
        type: 'local-authority',
        contactName: 'C',
        authorityName: 'A',
        authorityReference: null,
        purpose: 'transfer-in',
      },
    ];
    for (const r of all) {
      expect(validateRequester(toInput(r))).toEqual(r);
      expect(
        assessEligibility({ requester: r, receivedOn, conferenceChildren, prChildIds: ['child-ava'] }).requester,
      ).toEqual(r);
    }
    expect(requesterPersonId(all[0]!)).toBe('child-ava');
    expect(requesterPersonId(all[1]!)).toBe('p');
    expect(requesterPersonId(all[2]!)).toBeNull();
  });
});
