/**
 * How far back a dashboard section needs conferences, worked out from the same rules the classification applies, so
 * the database narrows the rows to those that could belong and the domain still decides which do.
 */
import {
  addDays,
  addMonths,
  nextWorkingDayOnOrAfter,
  type IsoDate,
  type TimescaleSettings,
  type WorkingDayCalendar,
} from '../calendar/index.ts';

/** The latest conference dates whose T-3 review could fall due on or before a date. */
export interface ReviewsDueBy {
  /** A plan made at an initial, pre-birth or transfer-in conference held after this date is not yet due for review. */
  firstReview: IsoDate;
  /** A plan made at a review held after this date is not yet due for its next review. */
  nextReview: IsoDate;
}

/**
 * T-3: a review is due on the last working day on or before its target (90 days after the first conference, 6 months
 * after a review), so it falls due by `horizon` exactly when its target is before the first working day after it.
 * Adding months clamps to a shorter month's last day, so the review bound keeps 3 days' margin: never too early.
 */
export function reviewsDueBy(
  horizon: IsoDate,
  settings: TimescaleSettings,
  calendar: WorkingDayCalendar,
): ReviewsDueBy {
  const lastTarget = addDays(nextWorkingDayOnOrAfter(addDays(horizon, 1), calendar), -1);
  return {
    firstReview: addDays(lastTarget, -settings.firstReviewDays),
    nextReview: addDays(addMonths(lastTarget, -settings.reviewIntervalMonths), 3),
  };
}
