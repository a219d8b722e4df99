/**
 * Why a conference is held when the procedure asks for a reason at convening:
 * - a pre-birth conference (T-2, 002 §1.3): one or more of the four grounds for holding one, and whether a
 *   premature birth is likely (which brings the T-2 window earlier, see `preBirthPrematureLatestWeek`);
 * - a review brought forward (T-3, 002 §2.2): a review held more than `reviewBroughtForwardDays` before its due
 *   date needs the reason it was brought forward, one of the seed's six or another reason described.
 */
import { type IsoDate, addDays, compareIsoDates } from '../calendar/iso-date.ts';
import { DomainError, InvalidDetailsError, type FieldProblem } from '../shared/errors.ts';
import type { ConferenceType } from './decisions.ts';

export const PRE_BIRTH_GROUNDS = [
  'assessment-significant-harm',
  'previous-children-removed',
  'historical-knowledge',
  'risk-in-household',
] as const;
export type PreBirthGround = (typeof PRE_BIRTH_GROUNDS)[number];

export const PRE_BIRTH_GROUND_LABELS: Readonly<Record<PreBirthGround, string>> = {
  'assessment-significant-harm':
    'A single assessment shows the unborn baby may be suffering, or is likely to suffer, significant harm',
  'previous-children-removed':
    'Earlier children were removed from the family through court proceedings, and the family is known to children’s social care',
  'historical-knowledge': 'What is known from the past shows the baby is strongly likely to suffer significant harm',
  'risk-in-household': 'An adult or child who poses a risk to children lives in the household or visits it regularly',
};

export const BROUGHT_FORWARD_REASONS = [
  'new-incident',
  'plan-difficulties',
  'birth-into-household',
  'offender-contact',
  'family-changes',
  'plan-no-longer-needed',
  'other',
] as const;
export type BroughtForwardReason = (typeof BROUGHT_FORWARD_REASONS)[number];

export const BROUGHT_FORWARD_REASON_LABELS: Readonly<Record<BroughtForwardReason, string>> = {
  'new-incident': 'There has been a new incident of abuse',
  'plan-difficulties': 'There are difficulties carrying out the child protection plan',
  'birth-into-household': 'A baby is to be born into the household',
  'offender-contact':
    'Someone convicted of offences against a child has joined the household or started regular contact with it',
  'family-changes':
    'The family’s circumstances have changed in a way not expected at the last conference, affecting the child’s safety',
  'plan-no-longer-needed': 'The core group believes the child no longer needs a child protection plan',
  other: 'Another reason',
};

export const MAX_OTHER_REASON_LENGTH = 1000;

export function isPreBirthGround(v: unknown): v is PreBirthGround {
  return typeof v === 'string' && (PRE_BIRTH_GROUNDS as readonly string[]).includes(v);
}

export function isBroughtForwardReason(v: unknown): v is BroughtForwardReason {
  return typeof v === 'string' && (BROUGHT_FORWARD_REASONS as readonly string[]).includes(v);
}

/** 002 §1.3: the grounds for a pre-birth conference, at least one, each once, in the seed's order. */
export function checkPreBirthGrounds(values: readonly unknown[]): PreBirthGround[] {
  if (values.length === 0) {
    throw new DomainError(
      'PRE_BIRTH_GROUNDS_REQUIRED',
      'Select the grounds for holding a pre-birth conference',
      'preBirthGrounds',
    );
  }
  if (!values.every(isPreBirthGround)) {
    throw new DomainError('PRE_BIRTH_GROUND_UNKNOWN', 'Select grounds from the list', 'preBirthGrounds');
  }
  return PRE_BIRTH_GROUNDS.filter((g) => values.includes(g));
}

/**
 * 002 §2.2: whether a review on `scheduledDate` is brought forward: more than `marginDays` days before the date it
 * is due by (T-3). Only reviews are brought forward; every other type is timed from its own start.
 */
export function isBroughtForward(
  type: ConferenceType,
  scheduledDate: IsoDate,
  due: IsoDate,
  marginDays: number,
): boolean {
  return type === 'review' && compareIsoDates(scheduledDate, addDays(due, -marginDays)) < 0;
}

export interface BroughtForward {
  reason: BroughtForwardReason;
  /** Required for `other`; null otherwise. */
  otherReason: string | null;
}

/** 002 §2.2: the reason a review is brought forward: one of the list, and for "another reason" what it is. */
export function checkBroughtForward(reason: unknown, otherReason: string | null | undefined): BroughtForward {
  const problems: FieldProblem[] = [];
  const other = otherReason?.trim() || null;
  if (reason === undefined || reason === null || reason === '') {
    problems.push({ field: 'broughtForwardReason', message: 'Select why the review is being brought forward' });
  } else if (!isBroughtForwardReason(reason)) {
    problems.push({ field: 'broughtForwardReason', message: 'Select a reason from the list' });
  } else if (reason === 'other' && !other) {
    problems.push({ field: 'broughtForwardOther', message: 'Enter why the review is being brought forward' });
  } else if (other && other.length > MAX_OTHER_REASON_LENGTH) {
    problems.push({ field: 'broughtForwardOther', message: 'The reason must be 1,000 characters or fewer' });
  }
  if (problems.length) throw new InvalidDetailsError(problems);
  const r = reason as BroughtForwardReason;
  return { reason: r, otherReason: r === 'other' ? other : null };
}

/** The reason in words: the label, or for "another reason" what was entered. */
export function describeBroughtForward(b: BroughtForward): string {
  return b.reason === 'other' && b.otherReason ? b.otherReason : BROUGHT_FORWARD_REASON_LABELS[b.reason];
}
