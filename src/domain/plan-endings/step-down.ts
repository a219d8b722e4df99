/**
 * 002 §3.8, §3.9: when a conference decides a child needs no plan, or ends one, it records the outline plan the
 * child steps down to: a child in need plan, or a team around the child plan (with the lead professional and the
 * first date the group meets the family and child). Pure.
 */
import { type IsoDate, compareIsoDates, formatLongDate } from '../calendar/index.ts';
import { requiredText } from '../people/errors.ts';
import { ProblemList } from '../shared/errors.ts';

export const STEP_DOWN_KINDS = ['child-in-need', 'team-around-the-child'] as const;
export type StepDownKind = (typeof STEP_DOWN_KINDS)[number];

export const STEP_DOWN_LABELS: Readonly<Record<StepDownKind, string>> = {
  'child-in-need': 'Child in need plan',
  'team-around-the-child': 'Team around the child plan',
};

export interface StepDownInput {
  kind: unknown;
  leadProfessional: string | null | undefined;
  services: string | null | undefined;
  firstMeetingDate: IsoDate | null | undefined;
}

export interface CheckedStepDown {
  kind: StepDownKind;
  leadProfessional: string;
  services: string;
  /** Team around the child only: the first date the group meets the family and child. */
  firstMeetingDate: IsoDate | null;
}

export function isStepDownKind(v: unknown): v is StepDownKind {
  return typeof v === 'string' && (STEP_DOWN_KINDS as readonly string[]).includes(v);
}

/**
 * 002 §3.8 (no plan at an initial conference: an outline child in need plan) and §3.9 (a plan ending at a review:
 * a child in need or team around the child plan, the services that continue, and for a team around the child the
 * lead professional and the group's first meeting with the family). Every problem at once.
 */
export function validateStepDown(input: StepDownInput, f: { conferenceDate: IsoDate }): CheckedStepDown {
  const p = new ProblemList();
  const kind = isStepDownKind(input.kind) ? input.kind : null;
  if (!kind)
    p.add('kind', 'Select whether the child steps down to a child in need plan or a team around the child plan');
  const leadProfessional = requiredText(
    p,
    'leadProfessional',
    input.leadProfessional,
    'Enter the lead professional: their name, role and agency',
    300,
    'The lead professional must be 300 characters or fewer',
  );
  const services = requiredText(
    p,
    'services',
    input.services,
    'Enter the services that continue to meet the child’s needs',
    4000,
    'The services must be 4,000 characters or fewer',
  );
  let firstMeetingDate: IsoDate | null = null;
  if (kind === 'team-around-the-child') {
    firstMeetingDate = input.firstMeetingDate ?? null;
    if (!firstMeetingDate)
      p.add('firstMeetingDate', 'Enter the date the team around the child first meets the family and child');
    else if (compareIsoDates(firstMeetingDate, f.conferenceDate) < 0)
      p.add(
        'firstMeetingDate',
        `The first meeting cannot be before the conference on ${formatLongDate(f.conferenceDate)}`,
      );
  }
  p.throwIfAny();
  return { kind: kind!, leadProfessional, services, firstMeetingDate };
}
