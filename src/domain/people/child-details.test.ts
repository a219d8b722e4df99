import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { changedChildFields, isUnborn, validateChildDetails, type ChildDetailsInput } from './child-details.ts';
import { InvalidDetailsError } from '../shared/errors.ts';
import { legalStatusText } from './legal-status.ts';

const today = parseIsoDate('2026-03-02');
const valid: ChildDetailsInput = {
  givenNames: '  Ava Rose ',
  familyName: 'Example',
  dateOfBirth: '2019-05-04',
  address: '1 Test Street, Testtown',
  localReference: 'CS-12345',
  nationality: ' ',
  immigrationStatus: '',
};

function problems(input: ChildDetailsInput, previous?: Parameters<typeof validateChildDetails>[2]) {
  try {
    validateChildDetails(input, today, previous);
  } catch (err) {
    if (err instanceof InvalidDetailsError) return Object.fromEntries(err.problems.map((p) => [p.field, p.message]));
    throw err;
  }
  return {};
}

describe('validateChildDetails', () => {
  it('tidies valid details: trims text, blanks become null', () => {
    const c = validateChildDetails(valid, today);
    expect(c).toEqual({
      givenNames: 'Ava Rose',
      familyName: 'Example',
      dateOfBirth: '2019-05-04',
      expectedDeliveryDate: null,
      address: '1 Test Street, Testtown',
      localReference: 'CS-12345',
      nationality: null,
      immigrationStatus: null,
      legalStatus: null,
      legalStatusDetails: null,
    });
    expect(isUnborn(c)).toBe(false);
  });

  it('002 §3.10: records the child’s legal status from the list; "other" needs its details; blank is not yet recorded', () => {
    expect(validateChildDetails({ ...valid, legalStatus: 'interim-care-order' }, today)).toMatchObject({
      legalStatus: 'interim-care-order',
      legalStatusDetails: null,
    });
    expect(validateChildDetails({ ...valid, legalStatus: ' ' }, today).legalStatus).toBeNull();
    expect(problems({ ...valid, legalStatus: 'other' })).toEqual({
      legalStatusDetails: 'Enter the child’s legal status',
    });
    expect(problems({ ...valid, legalStatus: 'adopted-by-wolves' })).toEqual({
      legalStatus: 'Select the child’s legal status from the list',
    });
    expect(
      validateChildDetails({ ...valid, legalStatus: 'other', legalStatusDetails: ' Wardship ' }, today),
    ).toMatchObject({ legalStatus: 'other', legalStatusDetails: 'Wardship' });
    expect(legalStatusText('other', 'Wardship')).toBe('Wardship');
    expect(legalStatusText('section-20', null)).toBe('Accommodated with the parents’ agreement (section 20)');
    expect(legalStatusText(null, null)).toBeNull();
  });

  it('accepts an unborn child with an expected date of delivery', () => {
    const c = validateChildDetails({ ...valid, dateOfBirth: null, expectedDeliveryDate: '2026-07-20' }, today);
    expect(c.dateOfBirth).toBeNull();
    expect(c.expectedDeliveryDate).toBe('2026-07-20');
    expect(isUnborn(c)).toBe(true);
  });

  it('lists every problem at once, each on its field', () => {
    expect(problems({})).toEqual({
      givenNames: 'Enter the child’s given names',
      familyName: 'Enter the child’s family name',
      dateOfBirth: 'Enter the child’s date of birth, or the expected date of delivery if the child is not yet born',
      address: 'Enter the child’s address',
      localReference: 'Enter the local case reference',
    });
  });

  it('wants a date of birth or an expected date of delivery, not both', () => {
    expect(problems({ ...valid, expectedDeliveryDate: '2026-07-20' })['dateOfBirth']).toMatch(/not both/);
  });

  it('checks dates are real and in range', () => {
    expect(problems({ ...valid, dateOfBirth: '2019-02-30' })['dateOfBirth']).toBe('Date of birth must be a real date');
    expect(problems({ ...valid, dateOfBirth: '2026-03-03' })['dateOfBirth']).toBe(
      'Date of birth must be today or in the past',
    );
    expect(problems({ ...valid, dateOfBirth: '2026-03-02' })).toEqual({});
    expect(problems({ ...valid, dateOfBirth: '2008-03-02' })['dateOfBirth']).toMatch(/under 18/);
    expect(problems({ ...valid, dateOfBirth: '2008-03-03' })).toEqual({});
    expect(
      problems({ ...valid, dateOfBirth: null, expectedDeliveryDate: '2027-03-02' })['expectedDeliveryDate'],
    ).toMatch(/within 44 weeks/);
    expect(
      problems({ ...valid, dateOfBirth: null, expectedDeliveryDate: '2026-01-15' })['expectedDeliveryDate'],
    ).toMatch(/enter their date of birth/);
  });

  it('applies the date windows only to a date being entered or changed, so old records stay editable', () => {
    const old = validateChildDetails(
      { ...valid, dateOfBirth: null, expectedDeliveryDate: '2025-11-01' },
      parseIsoDate('2025-10-01'),
    );
    expect(
      problems({ ...valid, dateOfBirth: null, expectedDeliveryDate: '2025-11-01', address: 'New address' }, old),
    ).toEqual({});
    const grownUp = validateChildDetails({ ...valid, dateOfBirth: '2008-01-01' }, parseIsoDate('2025-10-01'));
    expect(problems({ ...valid, dateOfBirth: '2008-01-01' }, grownUp)).toEqual({});
  });

  it('keeps local case references to letters, numbers and simple separators', () => {
    expect(problems({ ...valid, localReference: 'AB/12.3_4 5' })).toEqual({});
    expect(problems({ ...valid, localReference: 'AB<script>' })['localReference']).toMatch(/only include/);
    expect(problems({ ...valid, localReference: 'x'.repeat(51) })['localReference']).toMatch(/50 characters or fewer/);
  });

  it('names the changed fields (for the audit trail, never the values)', () => {
    const before = validateChildDetails(valid, today);
    const after = validateChildDetails({ ...valid, address: '2 Other Road', nationality: 'British' }, today);
    expect(changedChildFields(before, after)).toEqual(['address', 'nationality']);
  });
});
