import { type IsoDate, addDays, addMonths, compareIsoDates, isIsoDate } from '../calendar/index.ts';
import { limitedText, requiredText } from './errors.ts';
import { ProblemList } from '../shared/errors.ts';
import { checkLegalStatus, type LegalStatus } from './legal-status.ts';

/** A child's own details, as held on their record. Dates are `YYYY-MM-DD`. */
export interface ChildDetails {
  givenNames: string;
  familyName: string;
  /** Exactly one of dateOfBirth and expectedDeliveryDate is set: an unborn child has only the second. */
  dateOfBirth: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  address: string;
  localReference: string;
  nationality: string | null;
  immigrationStatus: string | null;
  /** 002 §3.10: null until recorded; "other" has its details. */
  legalStatus: LegalStatus | null;
  legalStatusDetails: string | null;
}

export interface ChildDetailsInput {
  givenNames?: string | null | undefined;
  familyName?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  expectedDeliveryDate?: string | null | undefined;
  address?: string | null | undefined;
  localReference?: string | null | undefined;
  nationality?: string | null | undefined;
  immigrationStatus?: string | null | undefined;
  legalStatus?: string | null | undefined;
  legalStatusDetails?: string | null | undefined;
}

export const CHILD_FIELD_LIMITS = {
  givenNames: 100,
  familyName: 100,
  address: 500,
  localReference: 50,
  nationality: 100,
  immigrationStatus: 200,
} as const;

/** Letters, digits and the separators councils' case systems use; no leading or trailing spaces. */
const LOCAL_REFERENCE = /^[A-Za-z0-9](?:[A-Za-z0-9 ./_-]*[A-Za-z0-9])?$/;

/** A record is for a child: under 18 when it is added. */
export const ADULT_AGE = 18;
/** Pregnancy lasts at most about 42 weeks, so an expected date further ahead than this is a mistake. */
export const MAX_WEEKS_TO_DELIVERY = 44;
/** An expected date this far past means the baby has probably been born: record the date of birth. */
export const MAX_DAYS_OVERDUE = 28;

export function isUnborn(child: Pick<ChildDetails, 'dateOfBirth'>): boolean {
  return child.dateOfBirth === null;
}

/**
 * Checks and tidies a child's details. `today` is the date in England; `previous` is the record as
 * saved, when changing one: date-window rules apply only to a date being entered or changed, so an
 * old record (an unborn child whose expected date has passed, a young person now 18) can still be edited.
 * Throws InvalidDetailsError listing every problem.
 */
export function validateChildDetails(input: ChildDetailsInput, today: IsoDate, previous?: ChildDetails): ChildDetails {
  const p = new ProblemList();
  const L = CHILD_FIELD_LIMITS;
  const givenNames = requiredText(
    p,
    'givenNames',
    input.givenNames,
    'Enter the child’s given names',
    L.givenNames,
    `Given names must be ${L.givenNames} characters or fewer`,
  );
  const familyName = requiredText(
    p,
    'familyName',
    input.familyName,
    'Enter the child’s family name',
    L.familyName,
    `Family name must be ${L.familyName} characters or fewer`,
  );

  const dobRaw = (input.dateOfBirth ?? '').trim();
  const eddRaw = (input.expectedDeliveryDate ?? '').trim();
  let dateOfBirth: IsoDate | null = null;
  let expectedDeliveryDate: IsoDate | null = null;
  if (dobRaw && eddRaw) {
    p.add('dateOfBirth', 'Enter either a date of birth or an expected date of delivery, not both');
  } else if (!dobRaw && !eddRaw) {
    p.add(
      'dateOfBirth',
      'Enter the child’s date of birth, or the expected date of delivery if the child is not yet born',
    );
  } else if (dobRaw) {
    if (!isIsoDate(dobRaw)) p.add('dateOfBirth', 'Date of birth must be a real date');
    else {
      dateOfBirth = dobRaw;
      if (compareIsoDates(dobRaw, today) > 0) p.add('dateOfBirth', 'Date of birth must be today or in the past');
      else if (!previous && compareIsoDates(dobRaw, addMonths(today, -12 * ADULT_AGE)) <= 0) {
        p.add('dateOfBirth', `The child must be under ${ADULT_AGE} when their record is added`);
      }
    }
  } else {
    if (!isIsoDate(eddRaw)) p.add('expectedDeliveryDate', 'Expected date of delivery must be a real date');
    else {
      expectedDeliveryDate = eddRaw;
      const changed = previous?.expectedDeliveryDate !== eddRaw;
      if (changed && compareIsoDates(eddRaw, addDays(today, 7 * MAX_WEEKS_TO_DELIVERY)) > 0) {
        p.add(
          'expectedDeliveryDate',
          `Expected date of delivery must be within ${MAX_WEEKS_TO_DELIVERY} weeks from today`,
        );
      } else if (changed && compareIsoDates(eddRaw, addDays(today, -MAX_DAYS_OVERDUE)) < 0) {
        p.add(
          'expectedDeliveryDate',
          'Expected date of delivery is more than 4 weeks ago: if the baby has been born, enter their date of birth',
        );
      }
    }
  }

  const address = requiredText(
    p,
    'address',
    input.address,
    'Enter the child’s address',
    L.address,
    `Address must be ${L.address} characters or fewer`,
  );
  const localReference = requiredText(
    p,
    'localReference',
    input.localReference,
    'Enter the local case reference',
    L.localReference,
    `Local case reference must be ${L.localReference} characters or fewer`,
  );
  if (localReference && localReference.length <= L.localReference && !LOCAL_REFERENCE.test(localReference)) {
    p.add(
      'localReference',
      'Local case reference must only include letters, numbers, spaces, full stops, slashes, hyphens and underscores',
    );
  }
  const nationality = limitedText(
    p,
    'nationality',
    input.nationality,
    L.nationality,
    `Nationality must be ${L.nationality} characters or fewer`,
  );
  const immigrationStatus = limitedText(
    p,
    'immigrationStatus',
    input.immigrationStatus,
    L.immigrationStatus,
    `Immigration status must be ${L.immigrationStatus} characters or fewer`,
  );
  const { legalStatus, legalStatusDetails } = checkLegalStatus(p, input.legalStatus, input.legalStatusDetails);
  p.throwIfAny();
  return {
    givenNames,
    familyName,
    dateOfBirth,
    expectedDeliveryDate,
    address,
    localReference,
    nationality,
    immigrationStatus,
    legalStatus,
    legalStatusDetails,
  };
}

/** Names of the fields that differ: what an audit entry records about a change (never the values). */
export function changedChildFields(before: ChildDetails, after: ChildDetails): Array<keyof ChildDetails> {
  return (Object.keys(after) as Array<keyof ChildDetails>).filter((k) => before[k] !== after[k]);
}
