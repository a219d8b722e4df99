import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.ts';
import { CalendarError } from './errors.ts';
import {
  addDays,
  addMonths,
  compareIsoDates,
  dayOfWeek,
  daysBetween,
  endOfMonth,
  formatLongDate,
  isIsoDate,
  isoDate,
  londonDateOf,
  parseIsoDate,
  weekdayName,
} from './iso-date.ts';
import { d } from './test-support.ts';

describe('parseIsoDate', () => {
  it.each(['2025-01-01', '2024-02-29', '2000-02-29', '2025-12-31', '1000-01-01', '9999-12-31'])('accepts %s', (s) => {
    expect(parseIsoDate(s)).toBe(s);
    expect(isIsoDate(s)).toBe(true);
  });

  it.each([
    '2025-02-30',
    '2023-02-29',
    '1900-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-2-3',
    '25-02-03',
    '2025/02/03',
    ' 2025-02-03',
    '2025-02-03T00:00:00Z',
    '',
    '0999-12-31',
  ])('rejects %j with INVALID_DATE', (s) => {
    expect(isIsoDate(s)).toBe(false);
    expect(() => parseIsoDate(s)).toThrow(CalendarError);
    try {
      parseIsoDate(s, 'strategyDate');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as CalendarError).code).toBe('INVALID_DATE');
      expect((e as CalendarError).field).toBe('strategyDate');
      expect((e as CalendarError).message).toContain(JSON.stringify(s));
    }
  });

  it.each([null, undefined, 20250203, new Date('2025-02-03')])('rejects non-strings (%s)', (v) => {
    expect(() => parseIsoDate(v)).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });

  it('explains an impossible day differently from a bad format', () => {
    expect(() => parseIsoDate('2025-02-30')).toThrow(/does not exist/);
    expect(() => parseIsoDate('2025-2-3')).toThrow(/expected YYYY-MM-DD/);
  });

  it('isoDate builds from numbers and rejects impossible dates', () => {
    expect(isoDate(2025, 3, 3)).toBe('2025-03-03');
    expect(() => isoDate(2025, 2, 29)).toThrow(CalendarError);
  });
});

describe('day arithmetic', () => {
  it.each([
    ['2025-03-30', 1, '2025-03-31'], // clocks go forward in the UK
    ['2025-10-26', 1, '2025-10-27'], // clocks go back
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2025-03-03', 0, '2025-03-03'],
    ['2025-10-01', -280, '2024-12-25'],
  ])('addDays(%s, %i) = %s', (from, n, want) => {
    expect(addDays(d(from), n)).toBe(want);
  });

  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-08-31', 1, '2025-09-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
  ])('addMonths(%s, %i) = %s (clamped to the month end)', (from, n, want) => {
    expect(addMonths(d(from), n)).toBe(want);
  });

  it('rejects fractional counts', () => {
    expect(() => addDays(d('2025-01-01'), 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => addMonths(d('2025-01-01'), Number.NaN)).toThrow(CalendarError);
  });

  it('compares, counts and names days', () => {
    expect(compareIsoDates(d('2025-01-02'), d('2025-01-10'))).toBe(-1);
    expect(compareIsoDates(d('2025-01-10'), d('2025-01-10'))).toBe(0);
    expect(compareIsoDates(d('2026-01-01'), d('2025-12-31'))).toBe(1);
    expect(daysBetween(d('2024-12-25'), d('2025-10-01'))).toBe(280);
    expect(dayOfWeek(d('2025-03-03'))).toBe(1);
    expect(dayOfWeek(d('2025-03-09'))).toBe(0);
    expect(weekdayName(d('2025-04-18'))).toBe('Friday');
    expect(endOfMonth(d('2024-02-10'))).toBe('2024-02-29');
  });

  it('formats dates for staff as "3 March 2025"', () => {
    expect(formatLongDate(d('2025-03-03'))).toBe('3 March 2025');
    expect(formatLongDate(d('2024-12-25'))).toBe('25 December 2024');
  });
});

describe('londonDateOf', () => {
  it.each([
    ['2025-03-31T23:30:00Z', '2025-04-01'], // BST: already the next day in England
    ['2025-01-31T23:30:00Z', '2025-01-31'], // GMT
    ['2025-10-25T23:30:00Z', '2025-10-26'], // last night of BST
    ['2025-10-26T23:30:00Z', '2025-10-26'], // back on GMT
    ['2025-06-30T22:59:59Z', '2025-06-30'],
    ['2025-06-30T23:00:00Z', '2025-07-01'],
  ])('%s is %s in England', (instant, want) => {
    expect(londonDateOf(new Date(instant))).toBe(want);
  });

  it('rejects an invalid Date', () => {
    expect(() => londonDateOf(new Date('nonsense'))).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }));
  });
});

describe('independence from the server time zone', () => {
  const original = process.env['TZ'];
  afterEach(() => {
    if (original === undefined) delete process.env['TZ'];
    else process.env['TZ'] = original;
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/London', 'UTC'])(
    'gives the same answers with TZ=%s',
    (tz) => {
      process.env['TZ'] = tz;
      expect(addDays(d('2025-03-29'), 2)).toBe('2025-03-31');
      expect(addMonths(d('2025-10-31'), 1)).toBe('2025-11-30');
      expect(dayOfWeek(d('2025-03-30'))).toBe(0);
      expect(londonDateOf(new Date('2025-03-31T23:30:00Z'))).toBe('2025-04-01');
    },
  );
});
