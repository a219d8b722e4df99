/** Shared helpers for the calendar tests (not part of the public API; not exported from index.ts). */
import { BankHolidayCalendar } from './bank-holidays.ts';
import { addDays, daysBetween, parseIsoDate, type IsoDate } from './iso-date.ts';

/**
 * Bank holidays from the committed table (generated from date-holidays; src/infra/calendar checks the table
 * against the package and the shipped override file against the package).
 */
export const computedCalendar = new BankHolidayCalendar();

export const d = (s: string): IsoDate => parseIsoDate(s);

/** Every date from `from` to `to` inclusive. */
export function* eachDay(from: IsoDate, to: IsoDate): Generator<IsoDate> {
  for (let i = 0; i <= daysBetween(from, to); i++) yield addDays(from, i);
}

/** A minimal GOV.UK-format file with the given england-and-wales events. */
export function govUkFile(events: ReadonlyArray<{ title: string; date: string; notes?: string }>): unknown {
  return {
    'england-and-wales': {
      division: 'england-and-wales',
      events: events.map((e) => ({ notes: '', bunting: true, ...e })),
    },
    scotland: { division: 'scotland', events: [] },
    'northern-ireland': { division: 'northern-ireland', events: [] },
  };
}
