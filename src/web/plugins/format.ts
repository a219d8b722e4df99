import { englandDateTime, formatLongDate as formatIsoDate, isIsoDate } from '../../domain/calendar/index.ts';

/** `2025-03-03` → `3 March 2025`; a Date (or a moment as text) → `3 March 2025, 14:05` in England. */
export function formatLongDate(value: string | Date): string {
  if (value instanceof Date) return englandDateTime(value);
  if (isIsoDate(value)) return formatIsoDate(value);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : englandDateTime(d);
}
