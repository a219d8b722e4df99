import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarMonthDeadline, calendarMonthDeadlineDetail } from './calendar-month.ts';
import { CalendarError } from './errors.ts';
import { addDays, addMonths, daysBetween } from './iso-date.ts';
import { computedCalendar as cal, d, eachDay } from './test-support.ts';

describe('A-9 calendar month deadline', () => {
  it.each([
    ['2025-03-03', 1, '2025-04-03', 'A-9: same date next month'],
    ['2025-01-31', 1, '2025-02-28', 'A-9: 31 Jan → 28 Feb (no 31 Feb; last day of the month)'],
    ['2024-01-31', 1, '2024-02-29', 'A-9: 31 Jan 2024 → 29 Feb 2024 in a leap year'],
    ['2023-01-29', 1, '2023-02-28', 'A-9: 29 Jan 2023 → 28 Feb 2023 (no 29 Feb)'],
    ['2025-08-31', 1, '2025-09-30', 'A-9: 31 Aug → 30 Sep'],
    ['2024-02-29', 1, '2024-04-02', 'A-9: 29 Feb 2024 → 29 Mar is Good Friday, then Easter → Tue 2 Apr'],
    ['2025-10-31', 1, '2025-12-01', 'A-9: month end 30 Nov 2025 is a Sunday → Mon 1 Dec'],
    ['2025-11-26', 1, '2025-12-29', 'A-9: 26 Dec (Boxing Day, Fri) → Mon 29 Dec'],
    ['2027-11-25', 1, '2027-12-29', 'A-9: 25 Dec 2027 is a Saturday and both substitute days follow → Wed 29 Dec'],
    ['2025-11-30', 1, '2025-12-30', 'A-9: 30 Nov → 30 Dec, a working day'],
    ['2025-12-01', 1, '2026-01-02', "A-9: 1 Jan 2026 is New Year's Day → Fri 2 Jan"],
    ['2025-03-01', 1, '2025-04-01', 'A-9: request received on a Saturday still counts from that day'],
    ['2020-04-08', 1, '2020-05-11', 'A-9: 8 May 2020 was the VE Day bank holiday → Mon 11 May'],
    ['2025-09-26', 3, '2025-12-29', 'A-9 extended: three months → Boxing Day → Mon 29 Dec'],
    ['2023-11-30', 3, '2024-02-29', 'A-9 extended: 30 Nov + 3 months → 29 Feb 2024'],
    ['2025-10-31', 3, '2026-02-02', 'A-9 extended: 31 Jan 2026 is a Saturday → Mon 2 Feb'],
  ])('%s + %i month(s) → %s (%s)', (received, months, want) => {
    expect(calendarMonthDeadline(d(received), months, cal)).toBe(want);
  });

  it('reports the clamped date separately', () => {
    expect(calendarMonthDeadlineDetail(d('2025-01-31'), 1, cal)).toEqual({
      sameDate: '2025-02-28',
      clamped: true,
      due: '2025-02-28',
    });
    expect(calendarMonthDeadlineDetail(d('2025-05-17'), 0, cal)).toEqual({
      sameDate: '2025-05-17',
      clamped: false,
      due: '2025-05-19',
    });
  });

  it('rejects negative or fractional months', () => {
    expect(() => calendarMonthDeadline(d('2025-01-01'), -1, cal)).toThrow(CalendarError);
    expect(() => calendarMonthDeadline(d('2025-01-01'), 1.5, cal)).toThrow(CalendarError);
  });

  const START = d('2024-01-01');
  const date = fc.integer({ min: 0, max: daysBetween(START, d('2030-12-31')) }).map((i) => addDays(START, i));
  const months = fc.integer({ min: 1, max: 3 });

  it('A-9 property: never before the clamped same date, always a working day, at most 4 days later, the first working day', () => {
    fc.assert(
      fc.property(date, months, (received, m) => {
        const clamped = addMonths(received, m);
        const due = calendarMonthDeadline(received, m, cal);
        const lag = daysBetween(clamped, due);
        const skipped = [...eachDay(clamped, due)].slice(0, -1);
        return lag >= 0 && lag <= 4 && cal.isWorkingDay(due) && skipped.every((x) => !cal.isWorkingDay(x));
      }),
      { numRuns: 500 },
    );
  });

  it('A-9 property: the clamped date is the same day of the month, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(date, months, (received, m) => {
        const { sameDate, clamped } = calendarMonthDeadlineDetail(received, m, cal);
        const sameDay = sameDate.slice(8) === received.slice(8);
        return clamped
          ? !sameDay && addDays(sameDate, 1).slice(8) === '01' && sameDate.slice(8) < received.slice(8)
          : sameDay;
      }),
      { numRuns: 500 },
    );
  });

  it('A-9 property: a later request never has an earlier deadline', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 40 }),
        months,
        (x, gap, m) => calendarMonthDeadline(x, m, cal) <= calendarMonthDeadline(addDays(x, gap), m, cal),
      ),
      { numRuns: 300 },
    );
  });
});
