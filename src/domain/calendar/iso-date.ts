/**
 * Calendar dates without a time of day, as `YYYY-MM-DD` strings.
 *
 * Statutory timescales are counted in whole days in England, so a deadline must never depend on the
 * server's time zone. All arithmetic goes through date-fns on UTCDate values (midnight UTC), never on
 * Date objects at local midnight, which shift by a day around clock changes on some machines.
 */
// Subpath imports: the package root loads every date-fns function, which costs seconds at start-up.
import { addDays as fnsAddDays } from 'date-fns/addDays';
import { addMonths as fnsAddMonths } from 'date-fns/addMonths';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { UTCDate } from '@date-fns/utc';
import { CalendarError } from './errors.ts';

declare const isoDateBrand: unique symbol;
/** A validated `YYYY-MM-DD` calendar date. Obtain one from `parseIsoDate` (or the helpers below). */
export type IsoDate = string & { readonly [isoDateBrand]: true };

/** 0 = Sunday … 6 = Saturday, as Date#getDay. */
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Four-digit years only; this also keeps clear of Date's 0-99 => 1900-1999 quirk.
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

function daysInMonth(year: number, month: number): number {
  return new UTCDate(year, month, 0).getDate();
}

function parts(d: IsoDate): [number, number, number] {
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

function toUtc(d: IsoDate): UTCDate {
  const [y, m, day] = parts(d);
  return new UTCDate(y, m - 1, day);
}

function fromUtc(date: Date): IsoDate {
  const y = date.getUTCFullYear();
  if (y < MIN_YEAR || y > MAX_YEAR) {
    throw new CalendarError('INVALID_DATE', `The date is outside the years ${MIN_YEAR} to ${MAX_YEAR}`);
  }
  return `${y}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}` as IsoDate;
}

/** True when `s` is a real calendar date written exactly as `YYYY-MM-DD`. */
export function isIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return y >= MIN_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(y, month);
}

/**
 * Validates a `YYYY-MM-DD` string. Throws CalendarError `INVALID_DATE` for anything else, including
 * impossible dates (`2025-02-30`) and unpadded ones (`2025-2-3`). `field` names the form field, if any.
 */
export function parseIsoDate(s: unknown, field?: string): IsoDate {
  if (isIsoDate(s)) return s;
  const shown = typeof s === 'string' ? `"${s}"` : String(s);
  const hint = typeof s === 'string' && ISO_DATE.test(s) ? 'that day does not exist' : 'expected YYYY-MM-DD';
  throw new CalendarError(
    'INVALID_DATE',
    `${shown} is not a valid date (${hint})`,
    field === undefined ? undefined : { field },
  );
}

/** Builds a date from numbers (month 1-12); throws INVALID_DATE if it does not exist. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return parseIsoDate(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new CalendarError('INVALID_ARGUMENT', `${what} must be a whole number, got ${n}`);
}

export function addDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'Number of days');
  return fromUtc(fnsAddDays(toUtc(d), n));
}

/** Calendar months; like date-fns, a day that does not exist in the target month is clamped to its last day. */
export function addMonths(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'Number of months');
  return fromUtc(fnsAddMonths(toUtc(d), n));
}

/** Negative if a is before b, 0 if equal, positive if after (usable as a sort comparator). */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  // Fixed-width, zero-padded strings order like the dates they name.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calendar days from a to b (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return differenceInCalendarDays(toUtc(b), toUtc(a));
}

export function dayOfWeek(d: IsoDate): DayOfWeek {
  return toUtc(d).getUTCDay() as DayOfWeek;
}

export function isWeekend(d: IsoDate): boolean {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
}

export function yearOf(d: IsoDate): number {
  return parts(d)[0];
}

/** The last day of d's month. */
export function endOfMonth(d: IsoDate): IsoDate {
  const [y, m] = parts(d);
  return isoDate(y, m, daysInMonth(y, m));
}

const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The date in England at the instant `now` (e.g. 23:30 UTC on 31 March is already 1 April in BST).
 * The caller passes the clock in, so domain code stays pure and testable.
 */
export function londonDateOf(now: Date): IsoDate {
  if (Number.isNaN(now.getTime())) throw new CalendarError('INVALID_DATE', 'The current time is not a valid Date');
  const found = londonDay.formatToParts(now);
  const get = (type: string) => found.find((p) => p.type === type)?.value ?? '';
  return parseIsoDate(`${get('year')}-${get('month')}-${get('day')}`);
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** "3 March 2025": the GOV.UK style for dates shown to staff and families. */
export function formatLongDate(d: IsoDate): string {
  const [y, m, day] = parts(d);
  return `${day} ${MONTH_NAMES[m - 1] ?? ''} ${y}`;
}

/** "Monday" */
export function weekdayName(d: IsoDate): string {
  return DAY_NAMES[dayOfWeek(d)];
}
