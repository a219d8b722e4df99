import { describe, expect, it } from 'vitest';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { PeopleService } from './people-service.ts';

const people = new PeopleService({
  uow: {} as UnitOfWork,
  clock: { now: () => new Date('2026-03-03T12:00:00Z') },
});
const person = { givenNames: 'Jo', familyName: 'Example', dateOfBirth: null };

// A family member form with errors of its own shows the rules' problems too, all at once, saving nothing.
describe('the problems with a family or network member’s answers', () => {
  it('finds none in good answers', () => {
    expect(people.familyMemberProblems(person, { relationship: 'mother', parentalResponsibility: true })).toEqual([]);
  });

  it('finds the details’ problems and the link’s together (W-4: a supporter never holds PR through the link)', () => {
    const found = people.familyMemberProblems(
      { ...person, familyName: ' ', dateOfBirth: '2026-03-04' },
      { relationship: 'friend', parentalResponsibility: true },
    );
    const details = found[0];
    expect(details).toBeInstanceOf(InvalidDetailsError);
    expect((details as InvalidDetailsError).problems.map((p) => p.field)).toEqual(['familyName', 'dateOfBirth']);
    expect(found[1]?.field).toBe('parentalResponsibility');
    expect(found).toHaveLength(2);
  });

  it('leaves the link alone while it is not chosen', () => {
    expect(people.familyMemberProblems(person, null)).toEqual([]);
  });
});
