/**
 * Loads the bank holiday override file (GOV.UK bank-holidays.json format) for the statutory calendar.
 * The product ships resources/bank-holidays.json; an administrator can point at an updated copy
 * (e.g. downloaded from https://www.gov.uk/bank-holidays.json) when a one-off bank holiday is announced.
 */
import { readFile } from 'node:fs/promises';
import {
  BankHolidayCalendar,
  CalendarError,
  DEFAULT_TIMESCALE_SETTINGS,
  resolveTimescaleSettings,
  type TimescaleSettings,
} from '../../domain/calendar/index.ts';
import { SHIPPED_BANK_HOLIDAYS_FILE } from '../config.ts';
import { serviceHolidayRules } from './date-holidays-rules.ts';

/** Reads and JSON-parses the file; shape validation happens in BankHolidayCalendar. */
export async function loadBankHolidayOverride(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message;
    throw new CalendarError('HOLIDAY_FILE_UNREADABLE', `Cannot read the bank holiday file ${path}: ${reason}`, {
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CalendarError(
      'INVALID_HOLIDAY_FILE',
      `The bank holiday file ${path} is not valid JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/**
 * The calendar used by the product: the standing rules for every year (the committed table generated from
 * date-holidays, and date-holidays itself, loaded on first use, for a year outside the table), replaced year
 * by year by the override file (the shipped one unless another path is given). A bad file fails loudly,
 * naming the path, rather than silently falling back to computed dates.
 */
export async function buildBankHolidayCalendar(
  overridePath: string = SHIPPED_BANK_HOLIDAYS_FILE,
): Promise<BankHolidayCalendar> {
  const override = await loadBankHolidayOverride(overridePath);
  try {
    return new BankHolidayCalendar({ override, rules: serviceHolidayRules });
  } catch (err) {
    if (err instanceof CalendarError) {
      throw new CalendarError(err.code, `${overridePath}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/**
 * A council's own timescales (JSON with any of the TimescaleSettings keys), over the seed defaults.
 * Validated at start-up: a bad value stops the service with a message naming it.
 */
export async function loadTimescaleSettings(path: string | undefined): Promise<TimescaleSettings> {
  if (!path) return DEFAULT_TIMESCALE_SETTINGS;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new CalendarError('INVALID_SETTINGS', `Cannot read the timescales file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return resolveTimescaleSettings(raw);
  } catch (err) {
    throw new CalendarError('INVALID_SETTINGS', `${path}: ${(err as Error).message}`, { cause: err });
  }
}
