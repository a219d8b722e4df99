/**
 * Working-day arithmetic for T-1, T-4 … T-9 and D-1: a working day is Monday to Friday and not a
 * bank holiday of England and Wales. The start day is day 0 whatever it is; each later working day
 * counts one, so "within 15 working days of Monday 3 March 2025" ends on Monday 24 March 2025.
 */
import { CalendarError } from './errors.ts';
import { addDays, compareIsoDates, type IsoDate } from './iso-date.ts';

/** What the working-day functions need from a calendar (BankHolidayCalendar satisfies it). */
export interface WorkingDayCalendar {
  isWorkingDay(d: IsoDate): boolean;
}

/**
 * The n-th working day after `from` (before it when n < 0); n = 0 returns `from` unchanged.
 * The result is always a working day when n !== 0.
 */
export function addWorkingDays(from: IsoDate, n: number, cal: WorkingDayCalendar): IsoDate {
  if (!Number.isSafeInteger(n))
    throw new CalendarError('INVALID_ARGUMENT', `Number of working days must be a whole number, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let d = from;
  for (let left = Math.abs(n); left > 0;) {
    d = addDays(d, step);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/**
 * The number of working days stepped onto when walking from a to b:
 * - b after a: working days d with a < d <= b;
 * - b before a: minus the working days d with b <= d < a (the mirror image).
 * So workingDaysBetween(a, addWorkingDays(a, n)) === n for every n, and for two working days the
 * result is antisymmetric. Used for "working days left" (negative = working days overdue).
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate, cal: WorkingDayCalendar): number {
  const order = compareIsoDates(a, b);
  if (order === 0) return 0;
  // Forward: days in (a, b]. Backward: days in [b, a), i.e. the window shifted one day earlier.
  const forward = order < 0;
  const first = forward ? addDays(a, 1) : b;
  const last = forward ? b : addDays(a, -1);
  let count = 0;
  for (let d = first; d <= last; d = addDays(d, 1)) if (cal.isWorkingDay(d)) count++;
  return forward || count === 0 ? count : -count; // never -0
}

export function nextWorkingDayOnOrAfter(d: IsoDate, cal: WorkingDayCalendar): IsoDate {
  let x = d;
  while (!cal.isWorkingDay(x)) x = addDays(x, 1);
  return x;
}

export function previousWorkingDayOnOrBefore(d: IsoDate, cal: WorkingDayCalendar): IsoDate {
  let x = d;
  while (!cal.isWorkingDay(x)) x = addDays(x, -1);
  return x;
}
