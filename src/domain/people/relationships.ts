import { PeopleError } from './errors.ts';

/** How a family or network member is related to one child. Recorded per child, like PR. */
export const RELATIONSHIP_KINDS = [
  'mother',
  'father',
  'step_parent',
  'grandparent',
  'other_relative',
  'foster_carer',
  'special_guardian',
  'partner_of_parent',
  'friend',
  'supporter',
  'advocate',
  'other',
] as const;

export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];

export const RELATIONSHIP_LABELS: Record<RelationshipKind, string> = {
  mother: 'Mother',
  father: 'Father',
  step_parent: 'Step-parent',
  grandparent: 'Grandparent',
  other_relative: 'Other relative',
  foster_carer: 'Foster carer',
  special_guardian: 'Special guardian',
  partner_of_parent: 'Partner of a parent',
  friend: 'Friend',
  supporter: 'Supporter',
  advocate: 'Advocate',
  other: 'Other',
};

/** Friends, supporters and advocates: in the network, never holding PR through that link (002 §3.10). */
export const NETWORK_SUPPORT_KINDS: readonly RelationshipKind[] = ['friend', 'supporter', 'advocate'];

export function isRelationshipKind(v: unknown): v is RelationshipKind {
  return typeof v === 'string' && (RELATIONSHIP_KINDS as readonly string[]).includes(v);
}

export function isNetworkSupporter(kind: RelationshipKind): boolean {
  return NETWORK_SUPPORT_KINDS.includes(kind);
}

/** W-4: friends, supporters and advocates never receive the minutes or the conference record. */
export function receivesMinutes(link: { relationship: RelationshipKind }): boolean {
  return !isNetworkSupporter(link.relationship);
}

export interface FamilyLink {
  relationship: RelationshipKind;
  parentalResponsibility: boolean;
}

export const PR_NOT_POSSIBLE_MESSAGE =
  'A friend, supporter or advocate cannot hold parental responsibility through this link. Select ‘No’, or choose the relationship that gives them parental responsibility';

/**
 * The link between one person and one child. PR is per child: the same person may hold it for one
 * sibling and not another, so this is checked link by link, never on the person.
 */
export function validateFamilyLink(input: { relationship: unknown; parentalResponsibility: boolean }): FamilyLink {
  if (!isRelationshipKind(input.relationship)) {
    throw new PeopleError('UNKNOWN_RELATIONSHIP', 'Select the person’s relationship to the child', 'relationship');
  }
  if (input.parentalResponsibility && isNetworkSupporter(input.relationship)) {
    throw new PeopleError('PR_NOT_POSSIBLE', PR_NOT_POSSIBLE_MESSAGE, 'parentalResponsibility');
  }
  return { relationship: input.relationship, parentalResponsibility: input.parentalResponsibility };
}
