import { DomainError } from '../shared/errors.ts';

export const CONFERENCE_TYPES = ['initial', 'pre-birth', 'review', 'transfer-in'] as const;
export type ConferenceType = (typeof CONFERENCE_TYPES)[number];

export const CONFERENCE_TYPE_LABELS: Record<ConferenceType, string> = {
  initial: 'Initial child protection conference',
  'pre-birth': 'Pre-birth initial child protection conference',
  review: 'Review child protection conference',
  'transfer-in': 'Transfer-in child protection conference',
};

/** 002 §3.5: the category records the primary presenting concern. */
export const CATEGORIES = ['physical-abuse', 'emotional-abuse', 'sexual-abuse', 'neglect'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  'physical-abuse': 'Physical abuse',
  'emotional-abuse': 'Emotional abuse',
  'sexual-abuse': 'Sexual abuse',
  neglect: 'Neglect',
};

/** A first conference decides whether a plan is needed; a review whether it continues or ends. */
export const OUTCOMES = ['plan-needed', 'no-plan', 'plan-continues', 'plan-ends'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  'plan-needed': 'Child protection plan needed',
  'no-plan': 'No child protection plan needed',
  'plan-continues': 'Child protection plan continues',
  'plan-ends': 'Child protection plan ends',
};

export function outcomesFor(type: ConferenceType): Outcome[] {
  return type === 'review' ? ['plan-continues', 'plan-ends'] : ['plan-needed', 'no-plan'];
}

export function outcomeHasPlan(outcome: Outcome): boolean {
  return outcome === 'plan-needed' || outcome === 'plan-continues';
}

export type AgencyView = 'agrees' | 'dissents';

export interface ChildDecisionInput {
  outcome: Outcome;
  category: Category | null;
  reasons: string;
  agencyViews: ReadonlyArray<{ agencyId: string; view: AgencyView; note?: string }>;
}

export interface DecisionAssessment {
  dissentingAgencies: string[];
  /** D-1: more than one agency dissents, so the chair refers the case to a senior manager. */
  seniorManagerReferralRequired: boolean;
  /** 002 §3.12: professional views equally split, so the chair's decision stands as the decision. */
  equallySplit: boolean;
}

/** Validates one child's decision against the conference type; throws DomainError naming the field. */
export function assessChildDecision(type: ConferenceType, d: ChildDecisionInput): DecisionAssessment {
  if (!outcomesFor(type).includes(d.outcome)) {
    throw new DomainError(
      'OUTCOME_NOT_FOR_TYPE',
      type === 'review'
        ? 'At a review conference choose whether the plan continues or ends'
        : 'Choose whether a child protection plan is needed',
      'outcome',
    );
  }
  if (outcomeHasPlan(d.outcome) && !d.category) {
    throw new DomainError('CATEGORY_REQUIRED', 'Select the category of abuse or neglect for the plan', 'category');
  }
  if (!outcomeHasPlan(d.outcome) && d.category) {
    throw new DomainError(
      'CATEGORY_WITHOUT_PLAN',
      'A category can only be given when the child has a child protection plan',
      'category',
    );
  }
  if (!d.reasons.trim()) throw new DomainError('REASONS_REQUIRED', 'Enter the reasons for the decision', 'reasons');
  const agencies = new Set<string>();
  for (const v of d.agencyViews) {
    if (agencies.has(v.agencyId))
      throw new DomainError('DUPLICATE_AGENCY_VIEW', 'Record one view for each agency', 'agencyViews');
    agencies.add(v.agencyId);
  }
  const dissenting = d.agencyViews.filter((v) => v.view === 'dissents').map((v) => v.agencyId);
  const agreeing = d.agencyViews.length - dissenting.length;
  return {
    dissentingAgencies: dissenting,
    seniorManagerReferralRequired: dissenting.length > 1,
    equallySplit: d.agencyViews.length > 0 && agreeing === dissenting.length,
  };
}
