import { describe, expect, it } from 'vitest';
import { BankHolidayCalendar, parseBankHolidayFile } from './bank-holidays.ts';
import { CalendarError } from './errors.ts';
import { computedCalendar as cal, d, govUkFile } from './test-support.ts';

describe('BankHolidayCalendar (computed: the table generated from date-holidays)', () => {
  it('lists the 2025 bank holidays of England and Wales', () => {
    expect(cal.holidaysIn(2025).map((h) => [h.date, h.name])).toEqual([
      ['2025-01-01', "New Year's Day"],
      ['2025-04-18', 'Good Friday'],
      ['2025-04-21', 'Easter Monday'],
      ['2025-05-05', 'Early May bank holiday'],
      ['2025-05-26', 'Spring bank holiday'],
      ['2025-08-25', 'Summer bank holiday'],
      ['2025-12-25', 'Christmas Day'],
      ['2025-12-26', 'Boxing Day'],
    ]);
  });

  it.each([
    ['2020-05-08', 'VE Day: early May bank holiday moved from Monday 4 May 2020'],
    ['2022-06-02', 'Spring bank holiday moved to Thursday 2 June 2022'],
    ['2022-06-03', 'Platinum Jubilee'],
    ['2022-09-19', 'State funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Coronation of King Charles III'],
  ])('one-off: %s is a bank holiday (%s)', (date) => {
    expect(cal.isBankHoliday(d(date))).toBe(true);
    expect(cal.isWorkingDay(d(date))).toBe(false);
  });

  it.each(['2020-05-04', '2022-05-30'])('the usual day a one-off replaced (%s) is a working day', (date) => {
    expect(cal.isWorkingDay(d(date))).toBe(true);
  });

  it.each([
    ['2020-12-28', 'Boxing Day (substitute day)'],
    ['2021-12-27', 'Christmas Day (substitute day)'],
    ['2021-12-28', 'Boxing Day (substitute day)'],
    ['2022-01-03', "New Year's Day (substitute day)"],
    ['2022-12-27', 'Christmas Day (substitute day)'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
  ])('substitute day %s: %s', (date, name) => {
    expect(cal.holidayName(d(date))).toBe(name);
  });

  it('does not list the weekend day a substitute replaces (as GOV.UK does not), though it is still not a working day', () => {
    expect(cal.holidaysIn(2027).map((h) => h.date)).not.toContain('2027-12-25');
    expect(cal.isBankHoliday(d('2027-12-25'))).toBe(false);
    expect(cal.isWorkingDay(d('2027-12-25'))).toBe(false);
  });

  it('computes any year, e.g. 2031 and 2100', () => {
    expect(cal.holidaysIn(2031).map((h) => h.date)).toEqual([
      '2031-01-01',
      '2031-04-11',
      '2031-04-14',
      '2031-05-05',
      '2031-05-26',
      '2031-08-25',
      '2031-12-25',
      '2031-12-26',
    ]);
    expect(cal.holidaysIn(2100)).toHaveLength(8);
  });

  it('refuses a year outside the table by default rather than treat its bank holidays as working days', () => {
    expect(() => cal.isWorkingDay(d('2101-12-26'))).toThrow(CalendarError);
    expect(() => cal.holidaysIn(1999)).toThrow(/Bank holidays for 1999 are not in the table of years 2000 to 2100/);
  });

  it('takes its computed years from the rules it is given', () => {
    const rules = { englandAndWales: (year: number) => [{ date: d(`${year}-03-04`), name: 'Made-up day' }] };
    const custom = new BankHolidayCalendar({ rules });
    expect(custom.isWorkingDay(d('2025-03-04'))).toBe(false);
    expect(custom.isWorkingDay(d('2025-12-25'))).toBe(true);
    expect(custom.holidaysIn(2150)).toEqual([{ date: '2150-03-04', name: 'Made-up day', source: 'computed' }]);
  });

  it('isWorkingDay: weekdays that are not bank holidays', () => {
    expect(cal.isWorkingDay(d('2025-03-03'))).toBe(true); // Monday
    expect(cal.isWorkingDay(d('2025-03-08'))).toBe(false); // Saturday
    expect(cal.isWorkingDay(d('2025-03-09'))).toBe(false); // Sunday
    expect(cal.isWorkingDay(d('2025-12-24'))).toBe(true); // Christmas Eve is not a bank holiday
    expect(cal.holidayName(d('2025-03-03'))).toBeUndefined();
  });

  it('holidaysBetween is inclusive and spans years', () => {
    expect(cal.holidaysBetween(d('2025-12-25'), d('2026-01-01')).map((h) => h.date)).toEqual([
      '2025-12-25',
      '2025-12-26',
      '2026-01-01',
    ]);
  });
});

describe('BankHolidayCalendar override (GOV.UK format)', () => {
  // A made-up 2025 in which the early May bank holiday moves to Friday 9 May, a one-off day is added
  // on 15 September and the spring bank holiday is removed.
  const override = govUkFile([
    { title: 'New Year’s Day', date: '2025-01-01' },
    { title: 'Good Friday', date: '2025-04-18' },
    { title: 'Easter Monday', date: '2025-04-21' },
    { title: 'Early May bank holiday (moved)', date: '2025-05-09' },
    { title: 'Summer bank holiday', date: '2025-08-25' },
    { title: 'Extra bank holiday', date: '2025-09-15' },
    { title: 'Christmas Day', date: '2025-12-25' },
    { title: 'Boxing Day', date: '2025-12-26', notes: 'Substitute day' },
  ]);
  const overridden = new BankHolidayCalendar({ override });

  it('replaces the whole computed list for a year it covers: moves, additions and removals', () => {
    expect(overridden.overriddenYears).toEqual([2025]);
    expect(overridden.isWorkingDay(d('2025-05-05'))).toBe(true); // moved away
    expect(overridden.holidayName(d('2025-05-09'))).toBe('Early May bank holiday (moved)');
    expect(overridden.isBankHoliday(d('2025-05-26'))).toBe(false); // removed
    expect(overridden.isWorkingDay(d('2025-05-26'))).toBe(true);
    expect(overridden.isBankHoliday(d('2025-09-15'))).toBe(true); // added
    expect(overridden.holidaysIn(2025)).toHaveLength(8);
    expect(overridden.holidaysIn(2025).every((h) => h.source === 'override')).toBe(true);
  });

  it('turns GOV.UK notes into the name, e.g. "Boxing Day (substitute day)"', () => {
    expect(overridden.holidayName(d('2025-12-26'))).toBe('Boxing Day (substitute day)');
  });

  it('leaves years the override does not cover to the computed rules', () => {
    expect(overridden.isBankHoliday(d('2024-05-06'))).toBe(true);
    expect(overridden.holidaysIn(2026).every((h) => h.source === 'computed')).toBe(true);
  });

  it('sorts an override given out of order', () => {
    const cal2 = new BankHolidayCalendar({
      override: govUkFile([
        { title: 'B', date: '2030-12-26' },
        { title: 'A', date: '2030-01-01' },
      ]),
    });
    expect(cal2.holidaysIn(2030).map((h) => h.name)).toEqual(['A', 'B']);
  });

  it('ignores other divisions (Scotland has St Andrew’s Day)', () => {
    const file = govUkFile([{ title: 'Christmas Day', date: '2025-12-25' }]) as Record<string, unknown>;
    file['scotland'] = {
      division: 'scotland',
      events: [{ title: 'St Andrew’s Day', date: '2025-12-01', notes: 'Substitute day', bunting: true }],
    };
    expect(new BankHolidayCalendar({ override: file }).isWorkingDay(d('2025-12-01'))).toBe(true);
  });
});

describe('invalid override files give a CalendarError naming the problem', () => {
  const bad = (override: unknown) => () => new BankHolidayCalendar({ override });

  it.each([
    ['not an object', 'bank holidays', /Invalid bank holiday file/],
    ['null', null, /Invalid bank holiday file/],
    ['no england-and-wales division', { scotland: { division: 'scotland', events: [] } }, /england-and-wales/],
    [
      'events not a list',
      { 'england-and-wales': { division: 'england-and-wales', events: {} } },
      /england-and-wales\.events/,
    ],
    [
      'wrong division name',
      { 'england-and-wales': { division: 'scotland', events: [] } },
      /england-and-wales\.division/,
    ],
  ])('%s', (_what, override, message) => {
    expect(bad(override)).toThrow(CalendarError);
    expect(bad(override)).toThrow(message);
  });

  it('an impossible date names the entry by position, title and date', () => {
    const file = govUkFile([
      { title: 'Christmas Day', date: '2025-12-25' },
      { title: 'Made-up day', date: '2025-02-30' },
    ]);
    expect(bad(file)).toThrow(
      /england-and-wales\.events\[1\] \("Made-up day", "2025-02-30"\)\.date: date must be a real date/,
    );
    try {
      bad(file)();
    } catch (e) {
      expect((e as CalendarError).code).toBe('INVALID_HOLIDAY_FILE');
    }
  });

  it('a missing title is reported', () => {
    const file = {
      'england-and-wales': { division: 'england-and-wales', events: [{ date: '2025-12-25', notes: '' }] },
    };
    expect(bad(file)).toThrow(/events\[0\] \("2025-12-25"\)\.title/);
  });

  it('a date listed twice is reported', () => {
    const file = govUkFile([
      { title: 'Christmas Day', date: '2025-12-25' },
      { title: 'Christmas again', date: '2025-12-25' },
    ]);
    expect(bad(file)).toThrow(/events\[1\] \("Christmas again", "2025-12-25"\)\.date: date 2025-12-25 is listed twice/);
  });

  it('parseBankHolidayFile accepts a file without bunting or notes (notes default to "")', () => {
    const parsed = parseBankHolidayFile({
      'england-and-wales': { division: 'england-and-wales', events: [{ title: 'X', date: '2025-12-25' }] },
    });
    expect(parsed['england-and-wales'].events[0]?.notes).toBe('');
  });
});
