import { type IsoDate, compareIsoDates, isIsoDate } from '../calendar/index.ts';
import { limitedText, requiredText } from './errors.ts';
import { ProblemList } from '../shared/errors.ts';

/** A family or network member's own details; shared by every child they are linked to. */
export interface PersonDetails {
  givenNames: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  address: string | null;
  email: string | null;
  phone: string | null;
  /** Preferred language, when it matters for communicating with them (W-4). */
  language: string | null;
  interpreterNeeded: boolean;
  /** Disability or other accessibility needs, e.g. large print, BSL, step-free access. */
  accessibilityNeeds: string | null;
  /** 002 §1.1: established so the family can be signposted to immigration advice where needed. */
  nationality: string | null;
  immigrationStatus: string | null;
}

export interface PersonDetailsInput {
  givenNames?: string | null | undefined;
  familyName?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  address?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  language?: string | null | undefined;
  interpreterNeeded?: boolean | undefined;
  accessibilityNeeds?: string | null | undefined;
  nationality?: string | null | undefined;
  immigrationStatus?: string | null | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,30}$/;

/** Throws InvalidDetailsError listing every problem. */
export function validatePersonDetails(input: PersonDetailsInput, today: IsoDate): PersonDetails {
  const p = new ProblemList();
  const givenNames = requiredText(
    p,
    'givenNames',
    input.givenNames,
    'Enter the person’s given names',
    100,
    'Given names must be 100 characters or fewer',
  );
  const familyName = requiredText(
    p,
    'familyName',
    input.familyName,
    'Enter the person’s family name',
    100,
    'Family name must be 100 characters or fewer',
  );
  const dobRaw = (input.dateOfBirth ?? '').trim();
  let dateOfBirth: IsoDate | null = null;
  if (dobRaw) {
    if (!isIsoDate(dobRaw)) p.add('dateOfBirth', 'Date of birth must be a real date');
    else if (compareIsoDates(dobRaw, today) > 0) p.add('dateOfBirth', 'Date of birth must be today or in the past');
    else dateOfBirth = dobRaw;
  }
  const address = limitedText(p, 'address', input.address, 500, 'Address must be 500 characters or fewer');
  const email = limitedText(p, 'email', input.email, 320, 'Email address must be 320 characters or fewer');
  if (email && !EMAIL.test(email))
    p.add('email', 'Enter an email address in the correct format, like name@example.com');
  const phone = limitedText(p, 'phone', input.phone, 30, 'Phone number must be 30 characters or fewer');
  if (phone && !PHONE.test(phone)) p.add('phone', 'Enter a phone number, like 01632 960 001 or +44 7700 900 982');
  const language = limitedText(p, 'language', input.language, 100, 'Language must be 100 characters or fewer');
  const accessibilityNeeds = limitedText(
    p,
    'accessibilityNeeds',
    input.accessibilityNeeds,
    1000,
    'Accessibility needs must be 1000 characters or fewer',
  );
  const nationality = limitedText(
    p,
    'nationality',
    input.nationality,
    100,
    'Nationality must be 100 characters or fewer',
  );
  const immigrationStatus = limitedText(
    p,
    'immigrationStatus',
    input.immigrationStatus,
    200,
    'Immigration status must be 200 characters or fewer',
  );
  p.throwIfAny();
  return {
    givenNames,
    familyName,
    dateOfBirth,
    address,
    email,
    phone,
    language,
    interpreterNeeded: input.interpreterNeeded ?? false,
    accessibilityNeeds,
    nationality,
    immigrationStatus,
  };
}

export function changedPersonFields(before: PersonDetails, after: PersonDetails): Array<keyof PersonDetails> {
  return (Object.keys(after) as Array<keyof PersonDetails>).filter((k) => before[k] !== after[k]);
}
