import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './iso-date.ts';
import { deadlineStatus } from './rag.ts';
import { computedCalendar as cal, d } from './test-support.ts';

describe('deadlineStatus (red / amber / green)', () => {
  it.each([
    ['2025-03-03', '2025-03-14', 'on-track', 9],
    ['2025-03-07', '2025-03-14', 'due-soon', 5], // amber at 5 working days left
    ['2025-03-06', '2025-03-14', 'on-track', 6],
    ['2025-03-14', '2025-03-14', 'due-soon', 0], // due today is still in time
    ['2025-03-17', '2025-03-14', 'overdue', -1],
    ['2025-03-15', '2025-03-14', 'overdue', -1], // Saturday after a Friday deadline
    ['2025-04-17', '2025-04-22', 'due-soon', 1], // T-6 letter over Easter: one working day left
    ['2025-06-15', '2025-06-14', 'overdue', 0], // T-2 latest on a Saturday, checked on the Sunday
  ])('today %s, due %s → %s (%i working days left)', (today, due, status, left) => {
    expect(deadlineStatus(d(today), d(due), cal)).toEqual({ status, workingDaysLeft: left });
  });

  it('amber threshold is configurable', () => {
    expect(deadlineStatus(d('2025-03-03'), d('2025-03-14'), cal, 10).status).toBe('due-soon');
    expect(deadlineStatus(d('2025-03-13'), d('2025-03-14'), cal, 0).status).toBe('on-track');
    expect(() => deadlineStatus(d('2025-03-13'), d('2025-03-14'), cal, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('property: overdue exactly when today is after the due date', () => {
    const base = d('2024-01-01');
    const date = fc.integer({ min: 0, max: daysBetween(base, d('2030-12-31')) }).map((i) => addDays(base, i));
    fc.assert(
      fc.property(date, fc.integer({ min: -40, max: 40 }), (today, offset) => {
        const due = addDays(today, offset);
        const { status, workingDaysLeft } = deadlineStatus(today, due, cal);
        return (status === 'overdue') === offset < 0 && (offset >= 0 ? workingDaysLeft >= 0 : workingDaysLeft <= 0);
      }),
      { numRuns: 300 },
    );
  });
});
