/**
 * A child's legal status (002 §3.10: the conference record gives the "family composition and legal status of the
 * children"). The list covers what a child protection conference meets in England: no order, support as a child in
 * need, accommodation by agreement, the emergency and interim orders, the final public law orders, and the private
 * law orders that decide where a child lives; "other" takes its details. Not yet recorded is null.
 */
import type { ProblemList } from '../shared/errors.ts';

export const LEGAL_STATUSES = [
  'none',
  'child-in-need',
  'section-20',
  'police-protection',
  'emergency-protection-order',
  'interim-care-order',
  'care-order',
  'interim-supervision-order',
  'supervision-order',
  'placement-order',
  'special-guardianship-order',
  'child-arrangements-order',
  'other',
] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export const LEGAL_STATUS_LABELS: Record<LegalStatus, string> = {
  none: 'No order and no other legal status',
  'child-in-need': 'Child in need (section 17)',
  'section-20': 'Accommodated with the parents’ agreement (section 20)',
  'police-protection': 'Police protection (section 46)',
  'emergency-protection-order': 'Emergency protection order',
  'interim-care-order': 'Interim care order',
  'care-order': 'Care order',
  'interim-supervision-order': 'Interim supervision order',
  'supervision-order': 'Supervision order',
  'placement-order': 'Placement order',
  'special-guardianship-order': 'Special guardianship order',
  'child-arrangements-order': 'Child arrangements order',
  other: 'Other',
};

export const LEGAL_STATUS_DETAILS_MAX = 500;

export function isLegalStatus(v: unknown): v is LegalStatus {
  return typeof v === 'string' && (LEGAL_STATUSES as readonly string[]).includes(v);
}

/** The legal status as words: "Other" gives its details; null when not yet recorded. */
export function legalStatusText(status: LegalStatus | null, details: string | null): string | null {
  if (!status) return null;
  return status === 'other' && details ? details : LEGAL_STATUS_LABELS[status];
}

/**
 * Checks a legal status as chosen: one of the list, or left blank (not yet recorded); "other" needs its details,
 * and details are kept only with a status (with "other" they are the status; with an order, e.g. its date or court).
 */
export function checkLegalStatus(
  p: ProblemList,
  status: string | null | undefined,
  details: string | null | undefined,
): { legalStatus: LegalStatus | null; legalStatusDetails: string | null } {
  const s = (status ?? '').trim();
  const d = (details ?? '').trim() || null;
  if (!s) return { legalStatus: null, legalStatusDetails: null };
  if (!isLegalStatus(s)) {
    p.add('legalStatus', 'Select the child’s legal status from the list');
    return { legalStatus: null, legalStatusDetails: null };
  }
  if (s === 'other' && !d) p.add('legalStatusDetails', 'Enter the child’s legal status');
  if (d && d.length > LEGAL_STATUS_DETAILS_MAX)
    p.add('legalStatusDetails', `Legal status details must be ${LEGAL_STATUS_DETAILS_MAX} characters or fewer`);
  return { legalStatus: s, legalStatusDetails: d };
}
