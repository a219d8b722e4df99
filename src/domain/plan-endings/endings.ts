/**
 * 002 §3.9: every reason a child protection plan ends. Only a conference decides a child no longer needs a plan;
 * the other reasons (the child reaching 18, death, leaving the UK, becoming looked after with a single plan
 * reviewed by the independent reviewing officer, a family posted overseas with the armed services) are recorded
 * with a senior manager's authority and shown to the next conference. A permanent move to another authority ends
 * the plan only once the receiving authority has held its conference and confirmed it in writing (transfer.ts).
 * Pure.
 */
import { type IsoDate, addDays, compareIsoDates, daysBetween, formatLongDate } from '../calendar/index.ts';
import { ageOn } from '../people/age.ts';
import { limitedText } from '../people/errors.ts';
import { ProblemList } from '../shared/errors.ts';

export const ENDING_REASONS = [
  'conference',
  'reached-18',
  'died',
  'left-uk',
  'looked-after',
  'armed-services-overseas',
  'moved-to-another-authority',
] as const;
export type EndingReason = (typeof ENDING_REASONS)[number];

/** The reasons recorded with a senior manager's authority, outside a conference and a transfer. */
export const AUTHORISED_REASONS = [
  'reached-18',
  'died',
  'left-uk',
  'looked-after',
  'armed-services-overseas',
] as const satisfies readonly EndingReason[];
export type AuthorisedReason = (typeof AUTHORISED_REASONS)[number];

export const ENDING_REASON_LABELS: Readonly<Record<EndingReason, string>> = {
  conference: 'A conference decided the plan is no longer needed',
  'reached-18': 'The young person reached 18',
  died: 'The child died',
  'left-uk': 'The child permanently left the UK',
  'looked-after': 'The child is looked after, with a single plan reviewed by the independent reviewing officer',
  'armed-services-overseas': 'The family is posted overseas with the armed services',
  'moved-to-another-authority': 'Moved to another authority',
};

/** 002 §3.9: a looked-after child's plan ends for a single review process only under one of these. */
export const LOOKED_AFTER_CRITERIA = ['interim-care-order', 'care-proceedings-no-order', 'section-20'] as const;
export type LookedAfterCriterion = (typeof LOOKED_AFTER_CRITERIA)[number];

export const LOOKED_AFTER_CRITERION_LABELS: Readonly<Record<LookedAfterCriterion, string>> = {
  'interim-care-order': 'An interim care order is in place: the council shares parental responsibility',
  'care-proceedings-no-order': 'The council has applied for care proceedings and the no order principle applies',
  'section-20':
    'Accommodated under section 20 with no plan to return home and no risk of removal, evidenced in the care plan with its legal planning and contingency',
};

export function isAuthorisedReason(v: unknown): v is AuthorisedReason {
  return typeof v === 'string' && (AUTHORISED_REASONS as readonly string[]).includes(v);
}

export interface EndingInput {
  reason: unknown;
  endedOn: IsoDate | null | undefined;
  details: string | null | undefined;
  lookedAfterCriterion: unknown;
  /** Armed services: the date the MOD's safeguarding partnership board was told, and that it confirmed resources. */
  modToldOn: IsoDate | null | undefined;
  modResourcesConfirmed: boolean;
  authorisedByUserId: string | null | undefined;
  authorisedOn: IsoDate | null | undefined;
}

export interface CheckedEnding {
  reason: AuthorisedReason;
  endedOn: IsoDate;
  details: string | null;
  lookedAfterCriterion: LookedAfterCriterion | null;
  modToldOn: IsoDate | null;
  modResourcesConfirmed: boolean;
  authorisedByUserId: string;
  authorisedOn: IsoDate;
}

export interface EndingFacts {
  today: IsoDate;
  /** The conference whose plan ends: nothing is ended before it. */
  planConferenceDate: IsoDate;
  dateOfBirth: IsoDate | null;
  /** Team managers and quality assurance managers who may authorise an ending. */
  seniorManagerIds: ReadonlySet<string>;
}

function dateOnOrBefore(p: ProblemList, field: string, d: IsoDate | null, missing: string, f: EndingFacts) {
  if (!d) p.add(field, missing);
  else if (compareIsoDates(d, f.today) > 0) p.add(field, 'The date cannot be in the future');
  else if (compareIsoDates(d, f.planConferenceDate) < 0)
    p.add(field, `The date cannot be before the conference on ${formatLongDate(f.planConferenceDate)}`);
}

/** 002 §3.9: the ending, its reason's own facts, and the senior manager's authority (name from the list and date). */
export function validateEnding(input: EndingInput, f: EndingFacts): CheckedEnding {
  const p = new ProblemList();
  const reason = isAuthorisedReason(input.reason) ? input.reason : null;
  if (!reason) p.add('reason', 'Select why the plan ends');
  const endedOn = input.endedOn ?? null;
  dateOnOrBefore(p, 'endedOn', endedOn, 'Enter the date the plan ends', f);
  if (reason === 'reached-18' && endedOn && f.dateOfBirth && ageOn(f.dateOfBirth, endedOn) < 18)
    p.add('endedOn', `The young person is not 18 until ${formatLongDate(eighteenthBirthday(f.dateOfBirth))}`);
  const details = limitedText(p, 'details', input.details, 4000, 'The details must be 4,000 characters or fewer');
  let lookedAfterCriterion: LookedAfterCriterion | null = null;
  if (reason === 'looked-after') {
    const c = input.lookedAfterCriterion;
    if (typeof c === 'string' && (LOOKED_AFTER_CRITERIA as readonly string[]).includes(c))
      lookedAfterCriterion = c as LookedAfterCriterion;
    else p.add('lookedAfterCriterion', 'Select which of the criteria for a single review process applies');
  }
  let modToldOn: IsoDate | null = null;
  if (reason === 'armed-services-overseas') {
    modToldOn = input.modToldOn ?? null;
    if (!modToldOn) p.add('modToldOn', 'Enter the date the MOD’s safeguarding partnership board was told');
    else if (compareIsoDates(modToldOn, f.today) > 0) p.add('modToldOn', 'The date cannot be in the future');
    if (!input.modResourcesConfirmed)
      p.add(
        'modResourcesConfirmed',
        'The board must confirm that resources exist where the family is going before the plan ends: confirm it has',
      );
  }
  const by = input.authorisedByUserId ?? '';
  if (!by) p.add('authorisedByUserId', 'Select the senior manager who authorised the ending');
  else if (!f.seniorManagerIds.has(by))
    p.add('authorisedByUserId', 'Select a team manager or quality assurance manager from the list');
  const authorisedOn = input.authorisedOn ?? null;
  if (!authorisedOn) p.add('authorisedOn', 'Enter the date the senior manager authorised the ending');
  else if (compareIsoDates(authorisedOn, f.today) > 0) p.add('authorisedOn', 'The date cannot be in the future');
  p.throwIfAny();
  return {
    reason: reason!,
    endedOn: endedOn!,
    details,
    lookedAfterCriterion,
    modToldOn,
    modResourcesConfirmed: reason === 'armed-services-overseas' ? input.modResourcesConfirmed : false,
    authorisedByUserId: by,
    authorisedOn: authorisedOn!,
  };
}

export function eighteenthBirthday(dateOfBirth: IsoDate): IsoDate {
  const [y, m, d] = dateOfBirth.split('-');
  const year = String(Number(y) + 18).padStart(4, '0');
  // 29 February: the birthday is 1 March in a year that is not a leap year.
  if (m === '02' && d === '29') {
    const n = Number(year);
    const leap = (n % 4 === 0 && n % 100 !== 0) || n % 400 === 0;
    return (leap ? `${year}-02-29` : `${year}-03-01`) as IsoDate;
  }
  return `${year}-${m}-${d}` as IsoDate;
}

/** How close to the 18th birthday a review counts as "around" it. */
export const BIRTHDAY_REVIEW_WINDOW_DAYS = 31;

/**
 * 002 §3.9: a plan ends at 18 after a review around the birthday, planned in advance. A warning (null when none)
 * when the young person turns 18 before or soon after the next review and that review is not around the birthday.
 */
export function birthdayReviewWarning(f: {
  dateOfBirth: IsoDate | null;
  today: IsoDate;
  nextReviewDate: IsoDate | null;
}): string | null {
  if (!f.dateOfBirth) return null;
  const birthday = eighteenthBirthday(f.dateOfBirth);
  if (compareIsoDates(birthday, f.today) < 0) return null;
  const review = f.nextReviewDate;
  if (!review && daysBetween(f.today, birthday) > 183) return null;
  // Nothing to warn of yet when the birthday is more than a window after the next review.
  if (review && compareIsoDates(birthday, addDays(review, BIRTHDAY_REVIEW_WINDOW_DAYS)) > 0) return null;
  if (review && Math.abs(daysBetween(review, birthday)) <= BIRTHDAY_REVIEW_WINDOW_DAYS) return null;
  return `No review is planned around the 18th birthday on ${formatLongDate(birthday)}: plan one for then, when the plan will end.`;
}
