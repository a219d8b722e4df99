import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { CASE_NOTE_MAX_LENGTH, validateCaseNote } from './case-notes.ts';
import { changedPersonFields, validatePersonDetails } from './person-details.ts';
import { validateAgency, validateProfessional } from './professionals.ts';
import { InvalidDetailsError } from '../shared/errors.ts';

const today = parseIsoDate('2026-03-02');

function fields(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidDetailsError) return Object.fromEntries(err.problems.map((p) => [p.field, p.message]));
    throw err;
  }
  return {};
}

describe('family and network member details', () => {
  it('needs only a name; everything else is optional and blanks become null', () => {
    expect(
      validatePersonDetails({ givenNames: 'Sam', familyName: 'Example', email: ' ', interpreterNeeded: true }, today),
    ).toEqual({
      givenNames: 'Sam',
      familyName: 'Example',
      dateOfBirth: null,
      address: null,
      email: null,
      phone: null,
      language: null,
      interpreterNeeded: true,
      accessibilityNeeds: null,
      nationality: null,
      immigrationStatus: null,
    });
  });

  it('002 §1.1: records an adult’s nationality and immigration status, each within its length', () => {
    expect(
      validatePersonDetails(
        { givenNames: 'Sam', familyName: 'Example', nationality: ' Polish ', immigrationStatus: 'Pre-settled status' },
        today,
      ),
    ).toMatchObject({ nationality: 'Polish', immigrationStatus: 'Pre-settled status' });
    expect(
      fields(() =>
        validatePersonDetails(
          {
            givenNames: 'Sam',
            familyName: 'Example',
            nationality: 'x'.repeat(101),
            immigrationStatus: 'y'.repeat(201),
          },
          today,
        ),
      ),
    ).toEqual({
      nationality: 'Nationality must be 100 characters or fewer',
      immigrationStatus: 'Immigration status must be 200 characters or fewer',
    });
  });

  it('checks contact details and the date of birth', () => {
    expect(
      fields(() =>
        validatePersonDetails({ email: 'not-an-email', phone: 'call me', dateOfBirth: '2030-01-01' }, today),
      ),
    ).toEqual({
      givenNames: 'Enter the person’s given names',
      familyName: 'Enter the person’s family name',
      dateOfBirth: 'Date of birth must be today or in the past',
      email: 'Enter an email address in the correct format, like name@example.com',
      phone: 'Enter a phone number, like 01632 960 001 or +44 7700 900 982',
    });
  });

  it('names changed fields', () => {
    const a = validatePersonDetails({ givenNames: 'Sam', familyName: 'Example' }, today);
    const b = validatePersonDetails(
      { givenNames: 'Sam', familyName: 'Example', language: 'Polish', interpreterNeeded: true },
      today,
    );
    expect(changedPersonFields(a, b)).toEqual(['language', 'interpreterNeeded']);
  });
});

describe('professionals and agencies', () => {
  it('needs a name and role; agencies need a name and a kind from the list', () => {
    expect(fields(() => validateProfessional({}))).toEqual({
      name: 'Enter the professional’s full name',
      roleTitle: 'Enter their role or job title',
    });
    expect(validateProfessional({ name: 'Dr A Example', roleTitle: 'GP', email: 'a@example.nhs.uk' })).toMatchObject({
      name: 'Dr A Example',
      phone: null,
    });
    expect(fields(() => validateAgency({ name: '', kind: 'spies' }))).toEqual({
      name: 'Enter the agency’s name',
      kind: 'Select the kind of agency',
    });
    expect(validateAgency({ name: ' Testtown Police ', kind: 'police' })).toEqual({
      name: 'Testtown Police',
      kind: 'police',
    });
  });
});

describe('case notes', () => {
  it('need text and a known-shaped kind', () => {
    expect(validateCaseNote('note', '  Spoke to school. ')).toEqual({ kind: 'note', text: 'Spoke to school.' });
    expect(validateCaseNote('recording-sent', 'Copy sent').kind).toBe('recording-sent');
    expect(() => validateCaseNote('note', '   ')).toThrow('Enter the case note');
    expect(() => validateCaseNote('Bad Kind', 'x')).toThrow(/Unknown kind/);
    expect(() => validateCaseNote('note', 'x'.repeat(CASE_NOTE_MAX_LENGTH + 1))).toThrow(/characters or fewer/);
  });
});
