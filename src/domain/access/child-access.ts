import { type Actor, type Role, hasAnyRole } from './roles.ts';

/** What the access rules need to know about a child. */
export interface ChildAccessFacts {
  allocatedSocialWorkerId: string | null;
  restricted: boolean;
  /** Staff named on a restricted child's record. */
  namedStaffIds: readonly string[];
}

/** Roles whose work spans every (unrestricted) child: chairs, business support, QA, access to records, managers. */
export const CASEWIDE_ROLES: readonly Role[] = [
  'chair',
  'business_support',
  'team_manager',
  'qa_manager',
  'access_to_records',
];

/** Roles that may add and change children's records and their family and professional network. */
export const RECORD_EDITOR_ROLES: readonly Role[] = ['chair', 'business_support', 'social_worker', 'team_manager'];

/** Roles that may search for and open children's records at all. */
export const CHILD_RECORD_ROLES: readonly Role[] = [...CASEWIDE_ROLES, 'social_worker'];

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Default deny. A restricted child is seen only by named staff and the allocated social worker;
 * otherwise a social worker sees the children allocated to them and case-wide roles see all.
 * Administrators and auditors manage the service, not casework, so they see no child by role.
 */
export function canViewChild(actor: Actor, child: ChildAccessFacts): AccessDecision {
  const allocated = child.allocatedSocialWorkerId === actor.id;
  if (child.restricted) {
    if (allocated || child.namedStaffIds.includes(actor.id)) return { allowed: true };
    return { allowed: false, reason: 'restricted record: not named on it' };
  }
  if (hasAnyRole(actor, CASEWIDE_ROLES)) return { allowed: true };
  if (actor.roles.includes('social_worker') && allocated) return { allowed: true };
  if (actor.roles.includes('social_worker')) return { allowed: false, reason: 'not the allocated social worker' };
  return { allowed: false, reason: 'role has no access to children’s records' };
}

export function canEditChild(actor: Actor, child: ChildAccessFacts): AccessDecision {
  const view = canViewChild(actor, child);
  if (!view.allowed) return view;
  if (!hasAnyRole(actor, RECORD_EDITOR_ROLES)) return { allowed: false, reason: 'role may not change records' };
  return { allowed: true };
}

/** Only a team manager, chair or the allocated social worker may restrict a record or name its staff. */
export function canManageRestriction(actor: Actor, child: ChildAccessFacts): AccessDecision {
  const edit = canEditChild(actor, child);
  if (!edit.allowed) return edit;
  if (hasAnyRole(actor, ['team_manager', 'chair']) || child.allocatedSocialWorkerId === actor.id) {
    return { allowed: true };
  }
  return { allowed: false, reason: 'only a team manager, chair or the allocated social worker may restrict a record' };
}
