import { describe, expect, it } from 'vitest';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  ENGLAND_AND_WALES_TABLE_FIRST_YEAR,
  ENGLAND_AND_WALES_TABLE_LAST_YEAR,
} from '../../domain/calendar/england-and-wales-table.ts';
import { BankHolidayCalendar, parseIsoDate, tableHolidayRules } from '../../domain/calendar/index.ts';
import { computeEnglandAndWales, serviceHolidayRules } from './date-holidays-rules.ts';
import { buildBankHolidayCalendar } from './holiday-file.ts';

describe('the committed bank holiday table (T-1 … T-9, D-1 count working days over it)', () => {
  it('has exactly one row for every year it claims to cover', () => {
    const years = Object.keys(ENGLAND_AND_WALES_BANK_HOLIDAYS).map(Number);
    const expected = [];
    for (let y = ENGLAND_AND_WALES_TABLE_FIRST_YEAR; y <= ENGLAND_AND_WALES_TABLE_LAST_YEAR; y++) expected.push(y);
    expect(years).toEqual(expected);
    expect(ENGLAND_AND_WALES_TABLE_FIRST_YEAR).toBeLessThanOrEqual(2000);
    expect(ENGLAND_AND_WALES_TABLE_LAST_YEAR).toBeGreaterThanOrEqual(2075);
  });

  it('equals date-holidays, date for date and name for name, for every year it covers (regenerate with scripts/generate-bank-holiday-table.ts)', () => {
    for (let y = ENGLAND_AND_WALES_TABLE_FIRST_YEAR; y <= ENGLAND_AND_WALES_TABLE_LAST_YEAR; y++) {
      expect(tableHolidayRules.englandAndWales(y), String(y)).toEqual(computeEnglandAndWales(y));
    }
  });
});

describe('the service’s holiday rules', () => {
  it.each([ENGLAND_AND_WALES_TABLE_FIRST_YEAR - 1, ENGLAND_AND_WALES_TABLE_LAST_YEAR + 1, 2150])(
    'compute %i, outside the table, from date-holidays',
    (year) => {
      expect(() => tableHolidayRules.englandAndWales(year)).toThrow(/not in the table/);
      const days = serviceHolidayRules.englandAndWales(year);
      expect(days).toEqual(computeEnglandAndWales(year));
      expect(days.map((d) => d.name)).toContain('Good Friday');
    },
  );

  it('answer from the table inside it', () => {
    expect(serviceHolidayRules.englandAndWales(2025)).toEqual(tableHolidayRules.englandAndWales(2025));
  });

  it('make the service calendar answer a year past the table, e.g. Christmas Day 2150', async () => {
    const cal = await buildBankHolidayCalendar();
    expect(cal.isWorkingDay(parseIsoDate('2150-12-25'))).toBe(false);
    expect(new BankHolidayCalendar({ rules: serviceHolidayRules }).holidayName(parseIsoDate('2150-12-25'))).toBe(
      'Christmas Day',
    );
  });
});
