import { describe, expect, it } from 'vitest';
import { PeopleError } from './errors.ts';
import {
  NETWORK_SUPPORT_KINDS,
  RELATIONSHIP_KINDS,
  isNetworkSupporter,
  receivesMinutes,
  validateFamilyLink,
} from './relationships.ts';

describe('family links: relationship and parental responsibility per child', () => {
  it('lists the relationship kinds the service records', () => {
    expect(RELATIONSHIP_KINDS).toEqual([
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
    ]);
  });

  it.each(['mother', 'father', 'special_guardian', 'step_parent', 'other'] as const)(
    'a %s may hold PR or not',
    (relationship) => {
      expect(validateFamilyLink({ relationship, parentalResponsibility: true })).toEqual({
        relationship,
        parentalResponsibility: true,
      });
      expect(validateFamilyLink({ relationship, parentalResponsibility: false })).toEqual({
        relationship,
        parentalResponsibility: false,
      });
    },
  );

  it.each(NETWORK_SUPPORT_KINDS)('a %s never holds PR through that link (002 §3.10)', (relationship) => {
    expect(() => validateFamilyLink({ relationship, parentalResponsibility: true })).toThrow(PeopleError);
    try {
      validateFamilyLink({ relationship, parentalResponsibility: true });
    } catch (err) {
      expect((err as PeopleError).code).toBe('PR_NOT_POSSIBLE');
      expect((err as PeopleError).field).toBe('parentalResponsibility');
      expect((err as PeopleError).message).toMatch(/friend, supporter or advocate cannot hold parental responsibility/);
    }
    expect(validateFamilyLink({ relationship, parentalResponsibility: false }).parentalResponsibility).toBe(false);
  });

  it('friends, supporters and advocates never receive minutes (W-4); everyone else may', () => {
    for (const kind of RELATIONSHIP_KINDS) {
      expect(receivesMinutes({ relationship: kind })).toBe(!['friend', 'supporter', 'advocate'].includes(kind));
      expect(isNetworkSupporter(kind)).toBe(!receivesMinutes({ relationship: kind }));
    }
  });

  it('refuses an unknown relationship with a field error', () => {
    expect(() => validateFamilyLink({ relationship: 'cousin', parentalResponsibility: false })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_RELATIONSHIP', field: 'relationship' }),
    );
  });
});
