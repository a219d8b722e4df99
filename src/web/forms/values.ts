/**
 * Reading a posted form: values exactly as typed, kept for re-rendering, and the field parsers every
 * page uses (text, ticked checkboxes, GOV.UK date inputs). Parsing never throws: a problem becomes a
 * `{ text, href }` error for the page to show next to the field, with everything typed kept.
 */
import type { FastifyRequest } from 'fastify';
import { isIsoDate } from '../../domain/calendar/index.ts';
import type { FormError } from '../types.ts';

/** Form values exactly as typed, for re-rendering a form with the person's input kept. */
export type FormValues = Record<string, string | string[] | undefined>;

/** The longest text any one field keeps (a chair's summary is long; nothing is longer). */
export const MAX_TEXT = 20_000;
const MAX_TICKED = 200;

/** The posted body as an object (a missing or non-object body reads as empty). */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  return (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
}

/** Form bodies arrive as strings or arrays of strings; checkboxes with one tick arrive as a string. */
export function asArray(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** A value as one string: arrays (from repeated names) give their first value, anything else is blank. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** One text field of a form body, as typed, cut at `max` characters. */
export function text(body: Record<string, unknown>, key: string, max = MAX_TEXT): string {
  return str(body[key]).slice(0, max);
}

/** Ticked checkboxes: none, one (a string) or several (an array). */
export function ticked(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').slice(0, MAX_TICKED);
}

/** Keeps only the named fields, as strings (or string arrays for checkboxes). */
export function pickValues(
  body: Record<string, unknown>,
  fields: readonly string[],
  lists: readonly string[] = [],
): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f] = text(body, f);
  for (const f of lists) out[f] = asArray(body[f]).slice(0, 100);
  return out;
}

// ------------------------------------------------------------------ GOV.UK date input

/** The names of a govukDateInput's three boxes. */
export const dateParts = (prefix: string) => [`${prefix}-day`, `${prefix}-month`, `${prefix}-year`];

/** The three boxes of a date input, kept as typed for re-rendering. */
export function dateFields(body: Record<string, unknown>, prefix: string): FormValues {
  return {
    [`${prefix}-day`]: text(body, `${prefix}-day`),
    [`${prefix}-month`]: text(body, `${prefix}-month`),
    [`${prefix}-year`]: text(body, `${prefix}-year`),
  };
}

/**
 * A govukDateInput's three boxes as `YYYY-MM-DD`. Blank boxes give null (the rules decide whether the
 * date is needed); a half-filled or impossible date gives the GOV.UK pattern's message.
 */
export function parseDateInput(
  values: FormValues,
  prefix: string,
  label: string,
): { iso: string | null; error: string | null } {
  const [d, m, y] = dateParts(prefix).map((k) => str(values[k]).trim()) as [string, string, string];
  if (!d && !m && !y) return { iso: null, error: null };
  const missing = [!d && 'day', !m && 'month', !y && 'year'].filter(Boolean) as string[];
  if (missing.length) return { iso: null, error: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d+$/.test(y))
    return { iso: null, error: `${label} must be a real date` };
  if (y.length !== 4) return { iso: null, error: 'Year must include 4 numbers' };
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isIsoDate(iso) ? { iso, error: null } : { iso: null, error: `${label} must be a real date` };
}

/** A date input as `YYYY-MM-DD`; blank is null (the rules say whether it is needed); a bad date is a form error on its day box. */
export function readDate(values: FormValues, prefix: string, label: string, errors: FormError[]): string | null {
  const { iso, error } = parseDateInput(values, prefix, label);
  if (error) errors.push({ text: error, href: `#${prefix}-day` });
  return iso;
}

/** `YYYY-MM-DD` to the three boxes, for a change form. */
export function dateValues(prefix: string, iso: string | null | undefined): FormValues {
  const [y, m, d] = (iso ?? '').split('-');
  return {
    [`${prefix}-day`]: d ? String(Number(d)) : '',
    [`${prefix}-month`]: m ? String(Number(m)) : '',
    [`${prefix}-year`]: y ?? '',
  };
}
