/**
 * The standing rules of the `date-holidays` package for England and Wales, behind the domain's HolidayRules.
 * The package loads every country's rules when it is loaded (about 20 MiB resident), so the service does not
 * load it at start: the committed table (src/domain/calendar/england-and-wales-table.ts, generated from these
 * rules and checked against them by a test) answers the years it covers, and the package is loaded, on first
 * use and synchronously (the calendar's callers are synchronous), only for a year outside the table.
 */
import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';
import {
  isIsoDate,
  isWeekend,
  tableCoversYear,
  tableHolidayRules,
  type ComputedHoliday,
  type HolidayRules,
  type IsoDate,
} from '../../domain/calendar/index.ts';

const require = createRequire(import.meta.url);
let holidays: HolidaysClass | undefined;

/** The year's bank holidays of England and Wales computed by date-holidays (loaded on first call). */
export function computeEnglandAndWales(year: number): ComputedHoliday[] {
  if (!holidays) {
    const Holidays = require('date-holidays') as typeof HolidaysClass;
    holidays = new Holidays('GB', 'ENG');
  }
  return (
    holidays
      .getHolidays(year, 'en')
      .filter((h) => h.type === 'public' || h.type === 'bank')
      .map((h) => ({ date: h.date.slice(0, 10) as IsoDate, name: h.name }))
      // date-holidays also lists the nominal day when it falls on a weekend (e.g. Christmas Day on a
      // Saturday) next to its weekday substitute. GOV.UK lists only the weekday actually taken off,
      // so drop the weekend entries: they never change a working-day count and would differ from the file.
      .filter((h) => isIsoDate(h.date) && !isWeekend(h.date))
  );
}

/** date-holidays for every year (used to generate and check the table). */
export const dateHolidaysRules: HolidayRules = { englandAndWales: computeEnglandAndWales };

/** The service's rules: the committed table, and date-holidays for a year outside it. */
export const serviceHolidayRules: HolidayRules = {
  englandAndWales: (year) =>
    tableCoversYear(year) ? tableHolidayRules.englandAndWales(year) : computeEnglandAndWales(year),
};
