/**
 * Who is invited to (or turns up at) a conference, by kind. The kind decides how the person shows on
 * the register, whether they count towards Q-1 and whether they receive the record (W-4).
 */
export const INVITEE_KINDS = [
  'child',
  'family-member',
  'friend',
  'supporter',
  'advocate',
  'professional',
  'interpreter',
] as const;
export type InviteeKind = (typeof INVITEE_KINDS)[number];

export const INVITEE_KIND_LABELS: Record<InviteeKind, string> = {
  child: 'Child',
  'family-member': 'Family member',
  friend: 'Friend',
  supporter: 'Supporter',
  advocate: 'Advocate',
  professional: 'Professional',
  interpreter: 'Interpreter',
};

export function isInviteeKind(v: unknown): v is InviteeKind {
  return typeof v === 'string' && (INVITEE_KINDS as readonly string[]).includes(v);
}

/**
 * Children's social care staff invited from their own accounts rather than as outside professionals:
 * the children's allocated social worker, and a team manager chosen from staff with that role (the
 * child's record names no team manager). They attend as professionals for the council's children's
 * social care agency, so they count for it under Q-1, and the social worker's report is its report.
 */
export const CSC_STAFF_ROLES = ['social-worker', 'team-manager'] as const;
export type CscStaffRole = (typeof CSC_STAFF_ROLES)[number];

export const CSC_STAFF_ROLE_LABELS: Record<CscStaffRole, string> = {
  'social-worker': 'Allocated social worker',
  'team-manager': 'Team manager',
};

export function isCscStaffRole(v: unknown): v is CscStaffRole {
  return typeof v === 'string' && (CSC_STAFF_ROLES as readonly string[]).includes(v);
}

/** 002 §3.2: friends, supporters and advocates help a parent or child take part; W-4: they never receive the record. */
export const SUPPORTER_KINDS: readonly InviteeKind[] = ['friend', 'supporter', 'advocate'];

export function isSupporterKind(kind: string): boolean {
  return (SUPPORTER_KINDS as readonly string[]).includes(kind);
}

/** Q-1 counts agencies by the professionals who attend for them; an interpreter attends for nobody's agency. */
export function countsForQuoracy(kind: string): boolean {
  return kind === 'professional';
}

/** 002 §3.2: only parents and carers (family members) may be excluded, partly or fully, by the chair. */
export function mayBeExcluded(kind: string): boolean {
  return kind === 'family-member';
}

/** 002 §3.7: the core group is the professionals and family members who carry out the plan. */
export function mayJoinCoreGroup(kind: string): boolean {
  return kind === 'professional' || kind === 'family-member' || kind === 'child';
}

/** Whether an interpreter may have been used by this person (family, child and their supporters). */
export function mayUseInterpreter(kind: string): boolean {
  return kind !== 'professional' && kind !== 'interpreter';
}

/** How someone came to be on the register when they were not invited (002 §3.1: they turned up on the day). */
export const ARRIVED_ON_THE_DAY = 'arrived-on-the-day';

/**
 * How the list and the register show an interpreter language: "Needs an interpreter: Polish" for a
 * family member or child, "Interprets Polish" for an interpreter; null when there is nothing to show.
 */
export function interpreterNote(kind: string, language: string | null): string | null {
  if (!language) return null;
  if (kind === 'interpreter') return `Interprets ${language}`;
  return mayUseInterpreter(kind) ? `Needs an interpreter: ${language}` : null;
}
