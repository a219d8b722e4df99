import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BankHolidayCalendar,
  CalendarError,
  DEFAULT_TIMESCALE_SETTINGS,
  parseBankHolidayFile,
  parseIsoDate,
} from '../../domain/calendar/index.ts';
import { SHIPPED_BANK_HOLIDAYS_FILE } from '../config.ts';
import { dateHolidaysRules } from './date-holidays-rules.ts';
import { buildBankHolidayCalendar, loadBankHolidayOverride, loadTimescaleSettings } from './holiday-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cpcr-holidays-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, 'utf8');
  return path;
}

describe('loadBankHolidayOverride', () => {
  it('a missing file gives HOLIDAY_FILE_UNREADABLE naming the path', async () => {
    const path = join(dir, 'no-such-file.json');
    const err = await loadBankHolidayOverride(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalendarError);
    expect(err).toMatchObject({ code: 'HOLIDAY_FILE_UNREADABLE' });
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('does not exist');
  });

  it('a directory instead of a file gives HOLIDAY_FILE_UNREADABLE', async () => {
    await expect(loadBankHolidayOverride(dir)).rejects.toMatchObject({ code: 'HOLIDAY_FILE_UNREADABLE' });
  });

  it('bad JSON gives INVALID_HOLIDAY_FILE naming the path', async () => {
    const path = await fileWith('bad.json', '{ "england-and-wales": ');
    const err = await loadBankHolidayOverride(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_HOLIDAY_FILE' });
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('not valid JSON');
  });

  it('returns the parsed JSON, unvalidated', async () => {
    const path = await fileWith('any.json', '{"a": 1}');
    expect(await loadBankHolidayOverride(path)).toEqual({ a: 1 });
  });
});

describe('buildBankHolidayCalendar', () => {
  it('a well-formed JSON file with a bad entry names the path and the entry', async () => {
    const path = await fileWith(
      'bad-entry.json',
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Oops', date: '2025-13-01', notes: '' }],
        },
      }),
    );
    const err = await buildBankHolidayCalendar(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_HOLIDAY_FILE' });
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain('events[0] ("Oops", "2025-13-01")');
  });

  it('uses the given file: a year in it replaces date-holidays for that year', async () => {
    const path = await fileWith(
      'custom.json',
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Only day', date: '2031-06-02', notes: '' }],
        },
      }),
    );
    const cal = await buildBankHolidayCalendar(path);
    expect(cal.holidaysIn(2031).map((h) => h.date)).toEqual(['2031-06-02']);
  });

  it('defaults to the shipped resources/bank-holidays.json', async () => {
    const cal = await buildBankHolidayCalendar();
    expect(cal.overriddenYears).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    expect(cal.holidayName(parseIsoDate('2022-09-19'))).toBe(
      'Bank Holiday for the State Funeral of Queen Elizabeth II',
    );
    expect(cal.holidayName(parseIsoDate('2026-12-28'))).toBe('Boxing Day (substitute day)');
  });
});

describe('shipped resources/bank-holidays.json', () => {
  it('validates and has the GOV.UK shape (three divisions, weekday events, 2020-2027)', async () => {
    const file = parseBankHolidayFile(await loadBankHolidayOverride(SHIPPED_BANK_HOLIDAYS_FILE));
    expect(Object.keys(file).sort()).toEqual(['england-and-wales', 'northern-ireland', 'scotland']);
    const events = file['england-and-wales'].events;
    expect(new Set(events.map((e) => e.date.slice(0, 4)))).toEqual(
      new Set(['2020', '2021', '2022', '2023', '2024', '2025', '2026', '2027']),
    );
    for (const e of events) expect([0, 6], e.date).not.toContain(new Date(`${e.date}T00:00:00Z`).getUTCDay());
  });

  it.each([
    ['2020-05-08', 'Early May bank holiday (VE day)'],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
  ])('includes the one-off %s (%s)', async (date, name) => {
    const cal = await buildBankHolidayCalendar();
    expect(cal.holidayName(parseIsoDate(date))).toBe(name);
  });

  it('agrees with date-holidays on the dates for every year 2020-2027 (names are worded differently)', async () => {
    const shipped = await buildBankHolidayCalendar();
    const computed = new BankHolidayCalendar({ rules: dateHolidaysRules });
    for (let year = 2020; year <= 2027; year++) {
      expect(
        shipped.holidaysIn(year).map((h) => h.date),
        String(year),
      ).toEqual(computed.holidaysIn(year).map((h) => h.date));
    }
  });
});

describe('council timescale settings', () => {
  it('uses the seed defaults without a file, and a council’s values over them', async () => {
    expect(await loadTimescaleSettings(undefined)).toBe(DEFAULT_TIMESCALE_SETTINGS);
    const file = join(dir, 'timescales.json');
    await writeFile(file, JSON.stringify({ initialConferenceWorkingDays: 10 }));
    expect(await loadTimescaleSettings(file)).toMatchObject({
      initialConferenceWorkingDays: 10,
      transferInConferenceWorkingDays: 15,
    });
    await writeFile(file, JSON.stringify({ initialConferenceWorkingDays: -1 }));
    await expect(loadTimescaleSettings(file)).rejects.toThrow(
      /timescales\.json: Invalid timescale settings: initialConferenceWorkingDays/,
    );
  });
});
