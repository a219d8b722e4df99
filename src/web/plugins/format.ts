const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** `2025-03-03` → `3 March 2025`; a Date → `3 March 2025, 14:05` (UK time). */
export function formatLongDate(value: string | Date): string {
  if (value instanceof Date) return DATE_TIME.format(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return LONG_DATE.format(new Date(`${value}T00:00:00Z`));
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : DATE_TIME.format(d);
}
