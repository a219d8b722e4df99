import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { ProblemList } from '../shared/errors.ts';
import { independenceConcerns, independenceReason, validateFamilyMeeting } from './chairing.ts';

const d = (s: string) => parseIsoDate(s);
const children = [
  {
    childName: 'Ava Okafor',
    socialWorkerId: 'sw-1',
    socialWorkerName: 'Sam Worker',
    socialWorkerLineManagerId: 'tm-1',
  },
  { childName: 'Ben Okafor', socialWorkerId: 'sw-2', socialWorkerName: 'Sol Worker', socialWorkerLineManagerId: null },
  { childName: 'Cy Okafor', socialWorkerId: null, socialWorkerName: null, socialWorkerLineManagerId: null },
];

describe('the chair (002 §4.1)', () => {
  it('002 §4.1: a chair is not independent when they are a child’s social worker or that social worker’s line manager', () => {
    expect(independenceConcerns('independent', children)).toEqual([]);
    expect(independenceConcerns(null, children)).toEqual([]);
    expect(independenceConcerns('sw-2', children)).toEqual([
      { kind: 'social-worker', childName: 'Ben Okafor', socialWorkerName: 'Sol Worker' },
    ]);
    expect(independenceConcerns('tm-1', children)).toEqual([
      { kind: 'line-manager', childName: 'Ava Okafor', socialWorkerName: 'Sam Worker' },
    ]);
  });

  it('002 §4.1: such a chair needs a reason, within its length; an independent chair needs none', () => {
    const concerns = independenceConcerns('sw-2', children);
    const p = new ProblemList();
    expect(independenceReason(p, 'reason', 'Sol Worker', concerns, '  ')).toBeNull();
    expect(p.items).toEqual([
      {
        field: 'reason',
        message:
          'Sol Worker is Ben Okafor’s allocated social worker. The chair should be independent of the case: choose another chair, or give the reason they should chair this conference',
      },
    ]);
    const q = new ProblemList();
    expect(independenceReason(q, 'reason', 'Sol Worker', concerns, 'x'.repeat(2001))).toHaveLength(2001);
    expect(q.items[0]?.message).toBe('The reason must be 2,000 characters or fewer');
    const none = new ProblemList();
    expect(independenceReason(none, 'reason', 'Cal Chair', [], 'ignored')).toBeNull();
    expect(none.items).toEqual([]);
  });

  it('002 §4.1: the meeting with the family is on or before the conference and not in the future', () => {
    const f = { today: d('2026-03-10'), conferenceDate: d('2026-03-05') };
    expect(() => validateFamilyMeeting({ met: 'yes', metOn: '2026-03-06', whoMet: 'Grace' }, f)).toThrow(
      'The date must be on or before the conference, 5 March 2026',
    );
    expect(validateFamilyMeeting({ met: 'yes', metOn: '2026-03-04', whoMet: ' Grace ' }, f)).toEqual({
      met: true,
      metOn: '2026-03-04',
      whoMet: 'Grace',
      notMetReason: null,
    });
    expect(validateFamilyMeeting({ met: 'no', notMetReason: 'Declined', metOn: '2026-03-04' }, f)).toEqual({
      met: false,
      metOn: null,
      whoMet: null,
      notMetReason: 'Declined',
    });
  });
});
