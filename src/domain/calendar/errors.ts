import { DomainError } from '../shared/errors.ts';

/** Stable codes: callers (web, API, CLI) branch on these, never on the message text. */
export type CalendarErrorCode =
  | 'INVALID_DATE'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_RULE'
  | 'INVALID_SETTINGS'
  | 'INVALID_HOLIDAY_FILE'
  | 'HOLIDAY_FILE_UNREADABLE';

/**
 * Raised by the statutory calendar. It is a DomainError (and so an Error) so that the web layer maps it
 * like any other domain problem, e.g. an invalid date typed into a form becomes a field error, not a 500.
 */
export class CalendarError extends DomainError {
  declare readonly code: CalendarErrorCode;
  constructor(code: CalendarErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(code, message, options?.field);
    this.name = 'CalendarError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
