/**
 * Moments in time as people in England read them, for pages, emails and letters alike: the one place
 * that knows the council's time zone. Dates without a time (`IsoDate`) are formatted by `formatLongDate`.
 */
const ZONE = 'Europe/London';

const CLOCK = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: ZONE,
});
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: ZONE,
});
const DATE_TIME_SECONDS = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: ZONE,
});
const TIME_ON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "14:05" in England (24-hour clock), as a chair notes a time. */
export function englandClockTime(d: Date): string {
  return CLOCK.format(d);
}

/** Minutes since midnight in England at that moment. */
export function englandMinutes(d: Date): number {
  const parts = CLOCK.formatToParts(d);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/** "3 March 2026, 14:05" in England. */
export function englandDateTime(d: Date): string {
  return DATE_TIME.format(d);
}

/** "3 March 2026, 14:05:09" in England: evidence shows times to the second. */
export function englandDateTimeSeconds(d: Date): string {
  return DATE_TIME_SECONDS.format(d);
}

/** "10:15am on 16 March 2026" in England, the GOV.UK style for a deadline or a moment in a letter. */
export function englandTimeOnDate(d: Date): string {
  const parts = TIME_ON_DATE.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replace(/\s|\./g, '')} on ${get('day')} ${get('month')} ${get('year')}`;
}
