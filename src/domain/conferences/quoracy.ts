/**
 * a conference is quorate with children's social care and at least two other agencies that
 * have had direct contact with the child and family (002 §3.3).
 */
export interface AgencyPresence {
  agencyId: string;
  agencyName: string;
  /** True for the agency kind "children's social care". */
  isChildrensSocialCare: boolean;
  /** Whether this agency has had direct contact with the child and family. */
  directContact: boolean;
}

export interface QuoracyResult {
  quorate: boolean;
  childrensSocialCarePresent: boolean;
  /** Other agencies present that count towards quoracy (direct contact). */
  countingAgencies: string[];
  /** Other agencies present that do not count (no direct contact). */
  notCounting: string[];
  /** Plain English for the chair's screen. */
  explanation: string;
}

export const MIN_OTHER_AGENCIES = 2;

export function assessQuoracy(
  present: readonly AgencyPresence[],
  minOtherAgencies = MIN_OTHER_AGENCIES,
): QuoracyResult {
  const byAgency = new Map<string, AgencyPresence>();
  for (const p of present) {
    const seen = byAgency.get(p.agencyId);
    // Two people from one agency count once; direct contact by either is enough.
    byAgency.set(p.agencyId, seen ? { ...seen, directContact: seen.directContact || p.directContact } : p);
  }
  const agencies = [...byAgency.values()];
  const csc = agencies.some((a) => a.isChildrensSocialCare);
  const others = agencies.filter((a) => !a.isChildrensSocialCare);
  const counting = others.filter((a) => a.directContact).map((a) => a.agencyName);
  const notCounting = others.filter((a) => !a.directContact).map((a) => a.agencyName);
  const quorate = csc && counting.length >= minOtherAgencies;
  const missing: string[] = [];
  if (!csc) missing.push('children’s social care is not present');
  if (counting.length < minOtherAgencies) {
    missing.push(
      `${counting.length} other ${counting.length === 1 ? 'agency' : 'agencies'} with direct contact present; at least ${minOtherAgencies} needed`,
    );
  }
  return {
    quorate,
    childrensSocialCarePresent: csc,
    countingAgencies: counting,
    notCounting,
    explanation: quorate
      ? `Quorate: children’s social care and ${counting.length} other agencies with direct contact (${counting.join(', ')}).`
      : `Not quorate: ${missing.join('; ')}.`,
  };
}
