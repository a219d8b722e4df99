/** The statutory calendar: dates, bank holidays of England and Wales, working days and named timescales. */
export { CalendarError, type CalendarErrorCode } from './errors.ts';
export {
  addDays,
  addMonths,
  compareIsoDates,
  dayOfWeek,
  daysBetween,
  endOfMonth,
  formatLongDate,
  isIsoDate,
  isoDate,
  isWeekend,
  londonDateOf,
  parseIsoDate,
  weekdayName,
  yearOf,
  type DayOfWeek,
  type IsoDate,
} from './iso-date.ts';
export {
  englandClockTime,
  englandDateTime,
  englandDateTimeSeconds,
  englandMinutes,
  englandTimeOnDate,
} from './england-time.ts';
export {
  BankHolidayCalendar,
  bankHolidayFileSchema,
  parseBankHolidayFile,
  type BankHoliday,
  type BankHolidayCalendarOptions,
  type BankHolidayFile,
} from './bank-holidays.ts';
export {
  decodeTableYear,
  encodeTableYear,
  tableCoversYear,
  tableHolidayRules,
  type ComputedHoliday,
  type HolidayRules,
} from './holiday-rules.ts';
export {
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
  workingDaysBetween,
  type WorkingDayCalendar,
} from './working-days.ts';
export { calendarMonthDeadline, calendarMonthDeadlineDetail, type CalendarMonthDeadline } from './calendar-month.ts';
export {
  computeDeadline,
  DEFAULT_TIMESCALE_SETTINGS,
  isRuleName,
  resolveTimescaleSettings,
  RULE_NAMES,
  TIMESCALE_RULES,
  timescaleSettingsSchema,
  type Deadline,
  type DeadlineOptions,
  type RuleId,
  type RuleName,
  type StatutoryCalendar,
  type TimescaleRule,
  type TimescaleSettings,
} from './timescales.ts';
export { deadlineStatus, type DeadlineRag, type DeadlineStatus } from './rag.ts';
