/**
 * Working-day arithmetic for T-1, T-4 … T-9 and D-1: a working day is Monday to Friday and not a
 * bank holiday of England and Wales. The start day is day 0 whatever it is; each later working day
 * counts one, so "within 15 working days of Monday 3 March 2025" ends on Monday 24 March 2025.
 */
import { CalendarError } from './errors.ts';
import { addDays, compareIsoDates, daysBetween, isoDate, yearOf, type IsoDate } from './iso-date.ts';

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
  if (n === 0) return from;
  // Found over the per-year running counts (see workingDaysUpTo), never by walking day by day: forward, the first
  // day whose running count reaches from's plus n; backward, the first whose count reaches the day before's minus
  // (|n| - 1), which is the |n|-th working day before from.
  const ref = n > 0 ? from : addDays(from, -1);
  const target = workingDaysUpTo(ref, cal) + (n > 0 ? n : n + 1);
  return firstReaching(yearOf(ref), target, cal);
}

/** The first day of `year` or after (before, for a target below 1) whose running count within its year reaches `target`. */
function firstReaching(year: number, target: number, cal: WorkingDayCalendar): IsoDate {
  let y = year;
  let t = target;
  for (let total = yearIndex(y, cal).total; t > total; total = yearIndex(y, cal).total) {
    t -= total;
    y++;
  }
  while (t <= 0) {
    y--;
    t += yearIndex(y, cal).total;
  }
  const { running } = yearIndex(y, cal);
  let lo = 0;
  let hi = running.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (running[mid]! >= t) hi = mid;
    else lo = mid + 1;
  }
  return addDays(isoDate(y, 1, 1), lo);
}

/**
 * The number of working days stepped onto when walking from a to b:
 * - b after a: working days d with a < d <= b;
 * - b before a: minus the working days d with b <= d < a (the mirror image).
 * So workingDaysBetween(a, addWorkingDays(a, n)) === n for every n, and for two working days the
 * result is antisymmetric. Used for "working days left" (negative = working days overdue).
 *
 * Counted by subtraction over a per-year running count (see workingDaysUpTo), so a dashboard classifying
 * hundreds of conferences never walks day by day.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate, cal: WorkingDayCalendar): number {
  const order = compareIsoDates(a, b);
  if (order === 0) return 0;
  if (order < 0) return countAfterUpTo(a, b, cal);
  // Backward: days in [b, a) = days in (b, a] minus a, plus b.
  const count = countAfterUpTo(b, a, cal) - (cal.isWorkingDay(a) ? 1 : 0) + (cal.isWorkingDay(b) ? 1 : 0);
  return count === 0 ? 0 : -count; // never -0
}

/** For one year: running[i] = working days among the year's first i + 1 days; total = the year's working days. */
interface YearIndex {
  readonly running: Uint16Array;
  readonly total: number;
}

// Calendars are immutable, so each one's year indexes are built once (366 look-ups) and kept with it.
const yearIndexes = new WeakMap<WorkingDayCalendar, Map<number, YearIndex>>();

function yearIndex(year: number, cal: WorkingDayCalendar): YearIndex {
  let years = yearIndexes.get(cal);
  if (!years) {
    years = new Map();
    yearIndexes.set(cal, years);
  }
  let index = years.get(year);
  if (!index) {
    const first = isoDate(year, 1, 1);
    const length = daysBetween(first, isoDate(year, 12, 31)) + 1;
    const running = new Uint16Array(length);
    let count = 0;
    for (let i = 0, d = first; i < length; i++, d = addDays(d, 1)) {
      if (cal.isWorkingDay(d)) count++;
      running[i] = count;
    }
    index = { running, total: count };
    years.set(year, index);
  }
  return index;
}

const MS_PER_DAY = 86_400_000;

/** Working days from 1 January of d's year up to and including d. */
function workingDaysUpTo(d: IsoDate, cal: WorkingDayCalendar): number {
  const year = Number(d.slice(0, 4));
  const dayOfYear =
    (Date.UTC(year, Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) - Date.UTC(year, 0, 1)) / MS_PER_DAY;
  return yearIndex(year, cal).running[dayOfYear]!;
}

/** Working days d with a < d <= b, for a < b. */
function countAfterUpTo(a: IsoDate, b: IsoDate, cal: WorkingDayCalendar): number {
  let count = workingDaysUpTo(b, cal) - workingDaysUpTo(a, cal);
  for (let year = yearOf(a); year < yearOf(b); year++) count += yearIndex(year, cal).total;
  return count;
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
