/**
 * Times of day as people type them. Every time field in the service (booking a conference, the
 * times it actually started and ended, parts, who joined or left when, breaks in a recording)
 * reads what was typed with this one parser and words a refusal the same way, so "2pm" is never
 * accepted on one page and refused on the next. The service itself only holds the 24-hour "HH:MM".
 *
 * Accepted: 14:00, 14.00, 1400, 9:30, 0930, 2pm, 2 pm, 2:30pm, 2.30 p.m., 12am (midnight),
 * 12pm, noon, midday, midnight. Refused: a bare hour without am or pm ("2" could be 2am or 2pm),
 * 24:00 and beyond, minutes past 59, "13pm", "0am".
 */

/** Shown as a hint on time fields, and in the refusal. */
export const TIME_OF_DAY_EXAMPLE = '14:00 or 2pm';

const WORDS: Record<string, string> = {
  noon: '12:00',
  '12noon': '12:00',
  midday: '12:00',
  '12midday': '12:00',
  midnight: '00:00',
  '12midnight': '00:00',
};

/** What was typed as "HH:MM" (24-hour), or null when it is not a time of day. */
export function parseTimeOfDay(raw: string | null | undefined): string | null {
  const t = (raw ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/([ap])\.?m\.?$/, '$1m');
  if (t in WORDS) return WORDS[t]!;
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  const [, hours, minutes, half] = m;
  if (minutes === undefined && !half) return null;
  let h = Number(hours);
  const min = minutes === undefined ? 0 : Number(minutes);
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** What was typed as minutes since midnight, or null when it is not a time of day. */
export function timeOfDayMinutes(raw: string | null | undefined): number | null {
  const hhmm = parseTimeOfDay(raw);
  return hhmm === null ? null : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
}

/** The one wording for a time that could not be read: `what` is "the start time", "the time Sam joined". */
export function timeOfDayProblem(what: string): string {
  return `Enter ${what} as a time of day, like ${TIME_OF_DAY_EXAMPLE}`;
}
