/**
 * W-3: confidential material may be left out of a parent's copy. Any block or section of a document can be
 * marked as withheld from some of the family's copies, with a reason, as a recording's withheld parts are
 * (000, A-3): information about a third party, police or MARAC information, information confidential to one
 * parent, or what a parent excluded from the conference may not receive (002 §3.2). Professionals' and
 * agencies' copies are the full record: nothing is withheld from them here.
 */

export const WITHHOLDING_REASONS = [
  'third-party',
  'police-or-marac',
  'confidential-to-parent',
  'excluded-parent',
] as const;
export type WithholdingReason = (typeof WITHHOLDING_REASONS)[number];

export const WITHHOLDING_REASON_LABELS: Record<WithholdingReason, string> = {
  'third-party': 'Information about another person (third-party information)',
  'police-or-marac': 'Police or MARAC information',
  'confidential-to-parent': 'Information confidential to one parent',
  'excluded-parent': 'Information a parent excluded from the conference may not receive',
};

export function isWithholdingReason(value: unknown): value is WithholdingReason {
  return typeof value === 'string' && (WITHHOLDING_REASONS as readonly string[]).includes(value);
}

/** A family member a document can be addressed to or withheld from, named as the copy names them. */
export interface FamilyMember {
  id: string;
  name: string;
}

/**
 * Whose copies leave a block out: every family member's copy (parents' and children's), every child's copy,
 * or only the named people's copies (information confidential to one parent must not reach the other).
 */
export type WithheldFrom =
  { kind: 'family' } | { kind: 'children' } | { kind: 'people'; people: readonly FamilyMember[] };

export interface Withholding {
  from: WithheldFrom;
  reason: WithholdingReason;
  /** The chair's words on why, for the log and the full record; never shown in a family member's copy. */
  explanation?: string;
}

/**
 * Who a copy is for: the full record (the chair, professionals and agencies, W-4), a parent's copy for one
 * person (W-3), or a child's copy when the chair decides the child should have one (W-4).
 */
export type Recipient =
  { kind: 'full' } | { kind: 'parent'; person: FamilyMember } | { kind: 'child'; person: FamilyMember };

export const FULL_RECORD: Recipient = { kind: 'full' };

/** True when the withholding keeps the block out of this recipient's copy. */
export function withholdsFrom(withholding: Withholding, recipient: Recipient): boolean {
  if (recipient.kind === 'full') return false;
  const from = withholding.from;
  switch (from.kind) {
    case 'family':
      return true;
    case 'children':
      return recipient.kind === 'child';
    case 'people':
      return from.people.some((p) => p.id === recipient.person.id);
  }
}

/** "Jane Smith's copy", "every family member's copy", "every child's copy": for notes and logs. */
export function describeWithheldFrom(from: WithheldFrom): string {
  switch (from.kind) {
    case 'family':
      return "every family member's copy";
    case 'children':
      return "every child's copy";
    case 'people': {
      const names = from.people.map((p) => `${p.name}'s copy`);
      if (names.length <= 1) return names[0] ?? 'no copy';
      return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    }
  }
}

/** "the full record", "Jane Smith (parent's copy)", "Sam Smith (child's copy)". */
export function describeRecipient(recipient: Recipient): string {
  switch (recipient.kind) {
    case 'full':
      return 'the full record';
    case 'parent':
      return `${recipient.person.name} (parent's copy)`;
    case 'child':
      return `${recipient.person.name} (child's copy)`;
  }
}
