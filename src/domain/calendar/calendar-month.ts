/**
 * "one calendar month" (UK GDPR art. 12(3), as the ICO counts it), used by T-10 and its extension.
 * Counting from the day the request is received: the same date `months` months later; if that date does
 * not exist, the last day of that month; if the result is not a working day, the next working day.
 */
import { CalendarError } from './errors.ts';
import { addMonths, type IsoDate } from './iso-date.ts';
import { nextWorkingDayOnOrAfter, type WorkingDayCalendar } from './working-days.ts';

export interface CalendarMonthDeadline {
  /** Same date `months` later, clamped to the month's last day. */
  readonly sameDate: IsoDate;
  /** True when the received day does not exist in the target month (31 January → 28/29 February). */
  readonly clamped: boolean;
  /** sameDate, or the next working day after it. */
  readonly due: IsoDate;
}

export function calendarMonthDeadlineDetail(
  received: IsoDate,
  months: number,
  cal: WorkingDayCalendar,
): CalendarMonthDeadline {
  if (!Number.isSafeInteger(months) || months < 0) {
    throw new CalendarError('INVALID_ARGUMENT', `Number of months must be a whole number of 0 or more, got ${months}`);
  }
  const sameDate = addMonths(received, months); // date-fns clamps to the end of the month
  return { sameDate, clamped: sameDate.slice(8) !== received.slice(8), due: nextWorkingDayOnOrAfter(sameDate, cal) };
}

export function calendarMonthDeadline(received: IsoDate, months: number, cal: WorkingDayCalendar): IsoDate {
  return calendarMonthDeadlineDetail(received, months, cal).due;
}
