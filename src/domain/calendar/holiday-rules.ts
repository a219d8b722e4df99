/**
 * Where the computed bank holidays of England and Wales come from (the years the override file does not
 * cover). The domain needs them synchronously and without I/O, so they come through this small interface:
 * - the default is a committed table (england-and-wales-table.ts, pure data) generated from the standing
 *   rules in the `date-holidays` package by scripts/generate-bank-holiday-table.ts and checked against it
 *   by a test in src/infra/calendar, so it cannot drift;
 * - the composition root adds the package itself for a year outside the table (src/infra/calendar), so the
 *   service answers every year a date can have while it does not load the package's data at start.
 */
import { CalendarError } from './errors.ts';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  ENGLAND_AND_WALES_TABLE_FIRST_YEAR,
  ENGLAND_AND_WALES_TABLE_LAST_YEAR,
} from './england-and-wales-table.ts';
import { isIsoDate, type IsoDate } from './iso-date.ts';

export interface ComputedHoliday {
  readonly date: IsoDate;
  /** e.g. "Good Friday", "Boxing Day (substitute day)". */
  readonly name: string;
}

export interface HolidayRules {
  /** The year's bank holidays of England and Wales, weekdays only (a weekend day's substitute is listed). */
  englandAndWales(year: number): readonly ComputedHoliday[];
}

/** Whether the committed table covers the year. */
export function tableCoversYear(year: number): boolean {
  return year >= ENGLAND_AND_WALES_TABLE_FIRST_YEAR && year <= ENGLAND_AND_WALES_TABLE_LAST_YEAR;
}

/**
 * The committed table alone. A year outside it is a clear error rather than a silent empty year (which
 * would count bank holidays as working days); the service itself uses the table with a fallback.
 */
export const tableHolidayRules: HolidayRules = {
  englandAndWales(year) {
    if (!tableCoversYear(year)) {
      throw new CalendarError(
        'INVALID_ARGUMENT',
        `Bank holidays for ${year} are not in the table of years ${ENGLAND_AND_WALES_TABLE_FIRST_YEAR} to ` +
          `${ENGLAND_AND_WALES_TABLE_LAST_YEAR}; give the calendar rules that compute other years`,
      );
    }
    const row = ENGLAND_AND_WALES_BANK_HOLIDAYS[year];
    if (row === undefined) throw new CalendarError('INVALID_ARGUMENT', `The bank holiday table has no row for ${year}`);
    return decodeTableYear(year, row);
  },
};

/** A table row is "MM-DD Name; MM-DD Name; …" (see scripts/generate-bank-holiday-table.ts). */
export function decodeTableYear(year: number, row: string): ComputedHoliday[] {
  if (row === '') return [];
  return row.split('; ').map((entry) => {
    const date = `${year}-${entry.slice(0, 5)}`;
    if (!isIsoDate(date) || entry[5] !== ' ') {
      throw new CalendarError('INVALID_ARGUMENT', `Bad bank holiday table entry for ${year}: ${entry}`);
    }
    return { date, name: entry.slice(6) };
  });
}

/** The inverse of decodeTableYear, used by the generator. */
export function encodeTableYear(days: readonly ComputedHoliday[]): string {
  for (const d of days) {
    if (d.name.includes(';') || d.name.trim() !== d.name || d.name === '') {
      throw new CalendarError(
        'INVALID_ARGUMENT',
        `Cannot put the bank holiday name ${JSON.stringify(d.name)} in the table`,
      );
    }
  }
  return days.map((d) => `${d.date.slice(5)} ${d.name}`).join('; ');
}
