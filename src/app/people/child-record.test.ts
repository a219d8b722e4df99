import { describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { isoDate } from '../../domain/calendar/iso-date.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import type { ChildView } from './people-service.ts';
import { type ChildRecordDeps, readChildRecord } from './child-record.ts';

const actor: Actor = { id: 'u1', name: 'Sam Worker', roles: ['social_worker'] };
const ctx = { actor: { id: 'u1', label: 'Sam Worker' }, correlationId: 'c1' };
const at = new Date('2026-03-03T09:00:00Z');
const view: ChildView = {
  child: {
    id: 'c',
    givenNames: 'Ava',
    familyName: 'Okafor',
    dateOfBirth: isoDate(2019, 5, 1),
    expectedDeliveryDate: null,
    address: '1 High Street',
    localReference: 'LR-1',
    nationality: null,
    immigrationStatus: null,
    legalStatus: null,
    legalStatusDetails: null,
    allocatedSocialWorkerId: 'u1',
    allocatedSocialWorkerName: 'Sam Worker',
    restricted: false,
    namedStaffIds: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
  },
  namedStaff: [],
  age: 6,
  family: [],
  professionals: [],
  caseNotes: [],
  canEdit: true,
  canManageRestriction: false,
};
const kept = { id: 'r1', conferenceId: 'k1', name: 'Initial conference, 3 March 2026', status: 'stored' as const };

describe('a child’s record with the recordings kept on it (R-4)', () => {
  it('reads the record, then the recordings kept on it', async () => {
    const calls: string[] = [];
    const deps: ChildRecordDeps = {
      people: { getChildRecord: async () => (calls.push('record'), view) },
      recordings: {
        listForChild: async (_a, _c, childId) => (calls.push(`recordings of ${childId}`), [{ ...kept, durationMs: 1 }]),
      },
    };
    const out = await readChildRecord(deps, actor, 'c', ctx);
    expect(calls).toEqual(['record', 'recordings of c']);
    expect(out.child).toBe(view.child);
    expect(out.recordings.map((r) => r.name)).toEqual(['Initial conference, 3 March 2026']);
  });

  it('lists no recording for someone who may not see the child', async () => {
    let listed = false;
    const deps: ChildRecordDeps = {
      people: {
        getChildRecord: async () => {
          throw new AccessDeniedError();
        },
      },
      recordings: { listForChild: async () => ((listed = true), []) },
    };
    await expect(readChildRecord(deps, actor, 'c', ctx)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(listed).toBe(false);
  });
});
