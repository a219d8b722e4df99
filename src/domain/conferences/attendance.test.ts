import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../calendar/index.ts';
import { findDoubleBookings, presumedToAttend, validateAttendance } from './attendance.ts';

const d = (s: string) => parseIsoDate(s);

const entry = { attendeeKey: 'p1', status: 'attended' as const, joinedAt: null, leftAt: null, exclusion: null };

describe('attendance', () => {
  it('002 §3.2: an exclusion needs its extent, the reason and how the person’s views were heard', () => {
    expect(() => validateAttendance({ ...entry, status: 'excluded' }, 120)).toThrow(/full or partial/);
    expect(() =>
      validateAttendance(
        { ...entry, status: 'excluded', exclusion: { extent: 'full', reason: '', howViewsHeard: 'x' } },
        120,
      ),
    ).toThrow(/reason/);
    expect(() =>
      validateAttendance(
        { ...entry, status: 'excluded', exclusion: { extent: 'full', reason: 'Risk of violence', howViewsHeard: '' } },
        120,
      ),
    ).toThrow(/views were heard/);
    expect(() =>
      validateAttendance(
        { ...entry, status: 'attended', exclusion: { extent: 'full', reason: 'r', howViewsHeard: 'h' } },
        120,
      ),
    ).toThrow(/cannot also be recorded as attending/);
    expect(() =>
      validateAttendance(
        {
          ...entry,
          status: 'attended',
          exclusion: { extent: 'partial', reason: 'Police information', howViewsHeard: 'Seen separately by the chair' },
        },
        120,
      ),
    ).not.toThrow();
  });

  it('late joining and early leaving are within the part and in order', () => {
    expect(() => validateAttendance({ ...entry, status: 'apologies', joinedAt: 10 }, 120)).toThrow(
      /Only someone who attended/,
    );
    expect(() => validateAttendance({ ...entry, joinedAt: 130 }, 120)).toThrow(/within the conference/);
    expect(() => validateAttendance({ ...entry, joinedAt: 30, leftAt: 20 }, 120)).toThrow(/after the time they joined/);
    expect(() => validateAttendance({ ...entry, joinedAt: 15, leftAt: 90 }, 120)).not.toThrow();
  });

  it('finds a person in two places at once', () => {
    const clashes = findDoubleBookings([
      { attendeeKey: 'mum', label: 'Part 1', start: 600, end: 660 },
      { attendeeKey: 'mum', label: 'Part 2', start: 650, end: 700 },
      { attendeeKey: 'dad', label: 'Part 1', start: 600, end: 660 },
      { attendeeKey: 'dad', label: 'Part 2', start: 660, end: 700 },
    ]);
    expect(clashes).toEqual([{ attendeeKey: 'mum', first: 'Part 1', second: 'Part 2' }]);
  });

  it('002 §3.2: a child of 12 or over is presumed to attend; birthdays count on the day', () => {
    expect(presumedToAttend(d('2014-03-02'), d('2026-03-01'))).toBe(false);
    expect(presumedToAttend(d('2014-03-02'), d('2026-03-02'))).toBe(true);
    expect(presumedToAttend(null, d('2026-03-02'))).toBe(false);
    expect(presumedToAttend(d('2012-02-29'), d('2024-02-28'), 12)).toBe(false);
    expect(presumedToAttend(d('2012-02-29'), d('2024-02-29'), 12)).toBe(true);
  });
});
