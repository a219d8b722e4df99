import { describe, expect, it } from 'vitest';
import { assessQuoracy, type AgencyPresence } from './quoracy.ts';

const csc: AgencyPresence = {
  agencyId: 'csc',
  agencyName: 'Children’s social care',
  isChildrensSocialCare: true,
  directContact: true,
};
const agency = (id: string, directContact = true): AgencyPresence => ({
  agencyId: id,
  agencyName: id,
  isChildrensSocialCare: false,
  directContact,
});

describe('Q-1 quoracy', () => {
  it('Q-1: children’s social care plus two agencies with direct contact is quorate', () => {
    const r = assessQuoracy([csc, agency('Police'), agency('School')]);
    expect(r.quorate).toBe(true);
    expect(r.explanation).toContain('Police, School');
  });

  it('Q-1: without children’s social care it is not quorate however many others attend', () => {
    const r = assessQuoracy([agency('Police'), agency('School'), agency('GP'), agency('Health visitor')]);
    expect(r.quorate).toBe(false);
    expect(r.explanation).toContain('children’s social care is not present');
  });

  it('Q-1: an agency without direct contact with the child does not count', () => {
    const r = assessQuoracy([csc, agency('Police'), agency('Housing', false)]);
    expect(r).toMatchObject({ quorate: false, countingAgencies: ['Police'], notCounting: ['Housing'] });
    expect(r.explanation).toContain('1 other agency with direct contact present; at least 2 needed');
  });

  it('Q-1: two people from one agency count once', () => {
    expect(assessQuoracy([csc, agency('Police'), agency('Police')]).quorate).toBe(false);
  });
});
