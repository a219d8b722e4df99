/**
 * Bank holidays of England and Wales: the days that, with weekends, are not working days for every
 * working-day timescale (DOMAIN.md "Timescales", T-1 … T-9, D-1; and A-9's roll-forward).
 *
 * Two sources:
 * - computed rules (HolidayRules, holiday-rules.ts): by default a committed table generated from the standing
 *   rules in `date-holidays`; the service adds the package itself for years outside the table, so the product
 *   never runs out of dates;
 * - an override in GOV.UK's bank-holidays.json format (the product ships resources/bank-holidays.json).
 *   For each year with at least one england-and-wales event, the override's list is the whole truth
 *   for that year: proclaimed one-off days (2022 state funeral), moved days (2020 VE Day) and removals
 *   can be applied by updating the file, without a code change.
 */
import { z } from 'zod';
import { CalendarError } from './errors.ts';
import { tableHolidayRules, type HolidayRules } from './holiday-rules.ts';
import { compareIsoDates, isIsoDate, isWeekend, yearOf, type IsoDate } from './iso-date.ts';

export interface BankHoliday {
  readonly date: IsoDate;
  /** e.g. "Good Friday", "Boxing Day (substitute day)". */
  readonly name: string;
  readonly source: 'computed' | 'override';
}

const eventSchema = z.object({
  title: z.string().trim().min(1, 'title must not be empty'),
  date: z.string().refine(isIsoDate, 'date must be a real date written YYYY-MM-DD'),
  notes: z.string().default(''),
  bunting: z.boolean().optional(),
});

const divisionSchema = z.object({
  division: z.string(),
  events: z.array(eventSchema),
});

/** GOV.UK's https://www.gov.uk/bank-holidays.json shape; only england-and-wales is required and used. */
export const bankHolidayFileSchema = z
  .object({
    'england-and-wales': divisionSchema.extend({ division: z.literal('england-and-wales') }),
  })
  .catchall(divisionSchema)
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file['england-and-wales'].events.forEach((e, i) => {
      const first = seen.get(e.date);
      if (first === undefined) seen.set(e.date, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['england-and-wales', 'events', i, 'date'],
          message: `date ${e.date} is listed twice (also events[${first}])`,
        });
      }
    });
  });

export type BankHolidayFile = z.infer<typeof bankHolidayFileSchema>;

function describeEntry(input: unknown, path: readonly PropertyKey[]): string {
  // Name the offending entry by its title and date as well as its position, so an administrator can find it.
  let node: unknown = input;
  let label = '';
  for (const key of path) {
    if (typeof key === 'symbol') break;
    label += typeof key === 'number' ? `[${key}]` : label ? `.${key}` : key;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof key === 'number' && node !== null && typeof node === 'object') {
      const e = node as Record<string, unknown>;
      const bits = [e['title'], e['date']].filter((v) => typeof v === 'string' && v !== '');
      if (bits.length > 0) label += ` (${bits.map((b) => JSON.stringify(b)).join(', ')})`;
    }
  }
  return label || '(top level)';
}

/** Validates an already-parsed GOV.UK-format object. Throws CalendarError INVALID_HOLIDAY_FILE naming each bad entry. */
export function parseBankHolidayFile(input: unknown): BankHolidayFile {
  const result = bankHolidayFileSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((i) => `${describeEntry(input, i.path)}: ${i.message}`);
  const more = result.error.issues.length > 10 ? ` (and ${result.error.issues.length - 10} more)` : '';
  throw new CalendarError('INVALID_HOLIDAY_FILE', `Invalid bank holiday file: ${problems.join('; ')}${more}`, {
    cause: result.error,
  });
}

function overrideName(title: string, notes: string): string {
  // GOV.UK writes substitute days as title "Boxing Day" + notes "Substitute day".
  return notes.trim() ? `${title} (${notes.trim().toLowerCase()})` : title;
}

export interface BankHolidayCalendarOptions {
  /** A parsed GOV.UK-format object (validated here); see the module comment for how years are replaced. */
  readonly override?: unknown;
  /** The computed bank holidays for years the override does not cover; the committed table by default. */
  readonly rules?: HolidayRules;
}

export class BankHolidayCalendar {
  readonly #overrideYears: ReadonlyMap<number, readonly BankHoliday[]>;
  readonly #byYear = new Map<number, ReadonlyMap<string, BankHoliday>>();
  readonly #rules: HolidayRules;

  constructor(options: BankHolidayCalendarOptions = {}) {
    this.#rules = options.rules ?? tableHolidayRules;
    const years = new Map<number, BankHoliday[]>();
    if (options.override !== undefined) {
      for (const e of parseBankHolidayFile(options.override)['england-and-wales'].events) {
        const date = e.date as IsoDate;
        const list = years.get(yearOf(date)) ?? [];
        list.push({ date, name: overrideName(e.title, e.notes), source: 'override' });
        years.set(yearOf(date), list);
      }
    }
    this.#overrideYears = years;
  }

  /** Years whose list comes from the override rather than from the computed rules. */
  get overriddenYears(): readonly number[] {
    return [...this.#overrideYears.keys()].sort((a, b) => a - b);
  }

  #computed(year: number): BankHoliday[] {
    return this.#rules.englandAndWales(year).map((h) => ({ date: h.date, name: h.name, source: 'computed' as const }));
  }

  #year(year: number): ReadonlyMap<string, BankHoliday> {
    let map = this.#byYear.get(year);
    if (!map) {
      const list = this.#overrideYears.get(year) ?? this.#computed(year);
      map = new Map([...list].sort((a, b) => compareIsoDates(a.date, b.date)).map((h) => [h.date, h]));
      this.#byYear.set(year, map);
    }
    return map;
  }

  /** The year's bank holidays in date order. */
  holidaysIn(year: number): readonly BankHoliday[] {
    if (!Number.isSafeInteger(year))
      throw new CalendarError('INVALID_ARGUMENT', `Year must be a whole number, got ${year}`);
    return [...this.#year(year).values()];
  }

  /** Bank holidays d with from <= d <= to, in date order (used to name skipped days in explanations). */
  holidaysBetween(from: IsoDate, to: IsoDate): readonly BankHoliday[] {
    const out: BankHoliday[] = [];
    for (let y = yearOf(from); y <= yearOf(to); y++) {
      for (const h of this.#year(y).values()) if (h.date >= from && h.date <= to) out.push(h);
    }
    return out;
  }

  isBankHoliday(d: IsoDate): boolean {
    return this.#year(yearOf(d)).has(d);
  }

  holidayName(d: IsoDate): string | undefined {
    return this.#year(yearOf(d)).get(d)?.name;
  }

  /** Monday to Friday and not a bank holiday of England and Wales. */
  isWorkingDay(d: IsoDate): boolean {
    return !isWeekend(d) && !this.isBankHoliday(d);
  }
}
