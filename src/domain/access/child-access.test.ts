import { describe, expect, it } from 'vitest';
import { canEditChild, canManageRestriction, canViewChild } from './child-access.ts';
import type { Actor, Role } from './roles.ts';

const actor = (id: string, ...roles: Role[]): Actor => ({ id, name: id, roles });
const child = (
  o: Partial<{ allocatedSocialWorkerId: string | null; restricted: boolean; namedStaffIds: string[] }> = {},
) => ({
  allocatedSocialWorkerId: 'sw-1',
  restricted: false,
  namedStaffIds: [],
  ...o,
});

describe('per-child access', () => {
  it('a social worker sees only the children allocated to them', () => {
    expect(canViewChild(actor('sw-1', 'social_worker'), child()).allowed).toBe(true);
    expect(canViewChild(actor('sw-2', 'social_worker'), child())).toEqual({
      allowed: false,
      reason: 'not the allocated social worker',
    });
  });

  it.each<Role>(['chair', 'business_support', 'team_manager', 'qa_manager', 'access_to_records'])(
    '%s sees any unrestricted child',
    (role) => {
      expect(canViewChild(actor('x', role), child()).allowed).toBe(true);
    },
  );

  it.each<Role>(['admin', 'auditor'])('%s sees no child by role alone', (role) => {
    expect(canViewChild(actor('x', role), child()).allowed).toBe(false);
  });

  it('a restricted child is seen only by named staff and the allocated social worker', () => {
    const restricted = child({ restricted: true, namedStaffIds: ['chair-1'] });
    expect(canViewChild(actor('chair-1', 'chair'), restricted).allowed).toBe(true);
    expect(canViewChild(actor('sw-1', 'social_worker'), restricted).allowed).toBe(true);
    expect(canViewChild(actor('chair-2', 'chair'), restricted)).toEqual({
      allowed: false,
      reason: 'restricted record: not named on it',
    });
    expect(canViewChild(actor('tm', 'team_manager', 'qa_manager'), restricted).allowed).toBe(false);
  });

  it('QA and access-to-records staff may view but not change records', () => {
    expect(canEditChild(actor('q', 'qa_manager'), child()).allowed).toBe(false);
    expect(canEditChild(actor('r', 'access_to_records'), child()).allowed).toBe(false);
    expect(canEditChild(actor('b', 'business_support'), child()).allowed).toBe(true);
  });

  it('only a team manager, chair or the allocated social worker may restrict a record', () => {
    expect(canManageRestriction(actor('sw-1', 'social_worker'), child()).allowed).toBe(true);
    expect(canManageRestriction(actor('b', 'business_support'), child()).allowed).toBe(false);
    expect(canManageRestriction(actor('tm', 'team_manager'), child()).allowed).toBe(true);
  });
});
