/**
 * Red / amber / green status of a deadline for dashboards and work lists.
 * Overdue is decided on calendar dates (the due day itself is still in time); "due soon" counts
 * working days left, because that is the time staff actually have.
 */
import { CalendarError } from './errors.ts';
import { compareIsoDates, type IsoDate } from './iso-date.ts';
import { workingDaysBetween, type WorkingDayCalendar } from './working-days.ts';

export type DeadlineRag = 'overdue' | 'due-soon' | 'on-track';

export interface DeadlineStatus {
  readonly status: DeadlineRag;
  /** Working days from today to the due date (0 on the day; negative = working days overdue). */
  readonly workingDaysLeft: number;
}

export function deadlineStatus(
  today: IsoDate,
  due: IsoDate,
  cal: WorkingDayCalendar,
  amberWorkingDays = 5,
): DeadlineStatus {
  if (!Number.isSafeInteger(amberWorkingDays) || amberWorkingDays < 0) {
    throw new CalendarError(
      'INVALID_ARGUMENT',
      `amberWorkingDays must be a whole number of 0 or more, got ${amberWorkingDays}`,
    );
  }
  const workingDaysLeft = workingDaysBetween(today, due, cal);
  const status: DeadlineRag =
    compareIsoDates(today, due) > 0 ? 'overdue' : workingDaysLeft <= amberWorkingDays ? 'due-soon' : 'on-track';
  return { status, workingDaysLeft };
}
