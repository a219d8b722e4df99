import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, type IsoDate } from './iso-date.ts';
import { computedCalendar as cal, d, eachDay } from './test-support.ts';
import {
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
  workingDaysBetween,
} from './working-days.ts';

describe('addWorkingDays', () => {
  it.each([
    ['2025-03-03', 15, '2025-03-24', 'T-1 example: Monday to Monday three weeks on'],
    ['2025-04-17', 1, '2025-04-22', 'Easter: Good Friday and Easter Monday skipped'],
    ['2025-12-24', 1, '2025-12-29', 'Christmas Day and Boxing Day skipped'],
    ['2025-12-31', 1, '2026-01-02', "New Year's Day skipped"],
    ['2026-12-24', 1, '2026-12-29', 'Boxing Day substitute (Mon 28 Dec 2026) skipped'],
    ['2027-12-24', 1, '2027-12-29', 'both substitute days (27 and 28 Dec 2027) skipped'],
    ['2025-03-08', 1, '2025-03-10', 'start on a Saturday: day 0 is the start whatever it is'],
    ['2025-04-18', 1, '2025-04-22', 'start on a bank holiday'],
    ['2025-03-07', 0, '2025-03-07', 'n = 0 returns the start'],
    ['2025-03-08', 0, '2025-03-08', 'n = 0 returns the start even on a weekend'],
    ['2025-04-23', -3, '2025-04-16', 'backwards over Easter'],
    ['2025-01-03', -3, '2024-12-30', "backwards over New Year's Day"],
    ['2025-03-09', -1, '2025-03-07', 'backwards from a Sunday'],
  ])('%s %+i → %s (%s)', (from, n, want) => {
    expect(addWorkingDays(d(from), n, cal)).toBe(want);
  });

  it('rejects a fractional count', () => {
    expect(() => addWorkingDays(d('2025-03-03'), 2.5, cal)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2025-03-03', '2025-03-24', 15],
    ['2025-04-17', '2025-04-22', 1],
    ['2025-03-07', '2025-03-07', 0],
    ['2025-03-07', '2025-03-09', 0], // Fri → Sun: no working day stepped onto
    ['2025-03-07', '2025-03-10', 1],
    ['2025-03-10', '2025-03-07', -1], // Mon → Fri: Fri is stepped onto going back
    ['2025-03-09', '2025-03-07', -1], // Sun → Fri
    ['2025-04-22', '2025-04-17', -1],
    ['2025-12-19', '2026-01-05', 8],
  ])('from %s to %s is %i', (a, b, want) => {
    expect(workingDaysBetween(d(a), d(b), cal)).toBe(want);
  });
});

describe('next / previous working day', () => {
  it.each([
    ['2025-03-07', '2025-03-07', '2025-03-07'],
    ['2025-03-08', '2025-03-10', '2025-03-07'],
    ['2025-04-18', '2025-04-22', '2025-04-17'],
    ['2027-12-25', '2027-12-29', '2027-12-24'],
  ])('%s: next on or after %s, previous on or before %s', (x, next, prev) => {
    expect(nextWorkingDayOnOrAfter(d(x), cal)).toBe(next);
    expect(previousWorkingDayOnOrBefore(d(x), cal)).toBe(prev);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over 2024-2030

const START = d('2024-01-01');
const SPAN = daysBetween(START, d('2030-12-31'));
const date = fc.integer({ min: 0, max: SPAN }).map((i) => addDays(START, i));
const workingDate = date.map((x) => nextWorkingDayOnOrAfter(x, cal));
const steps = fc.integer({ min: -60, max: 60 });
const positive = fc.integer({ min: 1, max: 60 });
const RUNS = { numRuns: 300 };

/** Reference implementation: list the working days and index into it. */
function referenceAdd(from: IsoDate, n: number): IsoDate {
  const days =
    n >= 0
      ? [...eachDay(addDays(from, 1), addDays(from, 3 * n + 14))]
      : [...eachDay(addDays(from, 3 * n - 14), addDays(from, -1))].reverse();
  return days.filter((x) => cal.isWorkingDay(x))[Math.abs(n) - 1] ?? from;
}

describe('working-day properties (2024-2030)', () => {
  it('addWorkingDays(d, n) is a working day for every n ≠ 0', () => {
    fc.assert(
      fc.property(
        date,
        steps.filter((n) => n !== 0),
        (x, n) => cal.isWorkingDay(addWorkingDays(x, n, cal)),
      ),
      RUNS,
    );
  });

  it('agrees with a reference implementation that lists working days', () => {
    fc.assert(
      fc.property(date, steps, (x, n) => addWorkingDays(x, n, cal) === referenceAdd(x, n)),
      RUNS,
    );
  });

  it('workingDaysBetween counts exactly what a day-by-day walk counts, across years, weekends and bank holidays', () => {
    // The walk this replaced: working days in (a, b] forward, minus those in [b, a) backward.
    const walk = (a: IsoDate, b: IsoDate): number => {
      if (a === b) return 0;
      const [first, last] = a < b ? [addDays(a, 1), b] : [b, addDays(a, -1)];
      const count = [...eachDay(first, last)].filter((x) => cal.isWorkingDay(x)).length;
      return a < b || count === 0 ? count : -count;
    };
    fc.assert(
      fc.property(date, date, (a, b) => workingDaysBetween(a, b, cal) === walk(a, b)),
      RUNS,
    );
    // Edges: each end of a year, a leap day, and a span of several years.
    for (const [a, b] of [
      ['2024-12-31', '2025-01-01'],
      ['2025-01-01', '2024-12-31'],
      ['2024-02-28', '2024-03-01'],
      ['2024-01-01', '2030-12-31'],
      ['2030-12-31', '2024-01-01'],
      ['2025-12-24', '2026-01-02'],
    ] as const)
      expect(workingDaysBetween(d(a), d(b), cal), `${a} → ${b}`).toBe(walk(d(a), d(b)));
  });

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    fc.assert(
      fc.property(date, steps, (x, n) => workingDaysBetween(x, addWorkingDays(x, n, cal), cal) === n),
      RUNS,
    );
  });

  it('addWorkingDays(addWorkingDays(d, n), -n) === d when d is a working day', () => {
    fc.assert(
      fc.property(workingDate, steps, (x, n) => addWorkingDays(addWorkingDays(x, n, cal), -n, cal) === x),
      RUNS,
    );
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(date, steps, positive, (x, n, k) => addWorkingDays(x, n, cal) < addWorkingDays(x, n + k, cal)),
      RUNS,
    );
  });

  it('is non-decreasing in the start date', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 30 }),
        positive,
        (x, gap, n) => addWorkingDays(x, n, cal) <= addWorkingDays(addDays(x, gap), n, cal),
      ),
      RUNS,
    );
  });

  it('n working days take at least n and at most 2n + 4 calendar days', () => {
    fc.assert(
      fc.property(date, positive, (x, n) => {
        const days = daysBetween(x, addWorkingDays(x, n, cal));
        return days >= n && days <= 2 * n + 4;
      }),
      RUNS,
    );
  });

  it('workingDaysBetween adds up: (a→b) + (b→c) = (a→c)', () => {
    fc.assert(
      fc.property(date, date, date, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort();
        return workingDaysBetween(x!, y!, cal) + workingDaysBetween(y!, z!, cal) === workingDaysBetween(x!, z!, cal);
      }),
      { numRuns: 50 },
    );
  });

  it('workingDaysBetween is antisymmetric between working days', () => {
    fc.assert(
      fc.property(workingDate, workingDate, (a, b) => workingDaysBetween(a, b, cal) === -workingDaysBetween(b, a, cal)),
      { numRuns: 50 },
    );
  });

  it('next/previous working day: a working day, the nearest one, and idempotent', () => {
    fc.assert(
      fc.property(date, (x) => {
        const next = nextWorkingDayOnOrAfter(x, cal);
        const prev = previousWorkingDayOnOrBefore(x, cal);
        const gapsClosed =
          [...eachDay(x, next)].slice(0, -1).every((y) => !cal.isWorkingDay(y)) &&
          [...eachDay(prev, x)].slice(1).every((y) => !cal.isWorkingDay(y));
        return (
          cal.isWorkingDay(next) &&
          cal.isWorkingDay(prev) &&
          next >= x &&
          prev <= x &&
          gapsClosed &&
          nextWorkingDayOnOrAfter(next, cal) === next &&
          previousWorkingDayOnOrBefore(prev, cal) === prev
        );
      }),
      RUNS,
    );
  });
});
