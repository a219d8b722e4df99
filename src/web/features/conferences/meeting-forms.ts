/** Reading the meeting's forms: text, clock times and GOV.UK date inputs, and where each problem points. */
import { z } from 'zod';
import { DomainError, InvalidDetailsError } from '../../../domain/shared/errors.ts';
import type { FormError } from '../../types.ts';
import { type FormValues, dateValues, parseDateInput } from '../children/forms.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

export { dateValues, type FormValues };

export const meetingParams = z.object({ id: idSchema });
export const childParams = z.object({ id: idSchema, childId: idSchema });
export const partParams = z.object({ id: idSchema, partId: idSchema });
export const exclusionParams = z.object({ id: idSchema, partId: idSchema, inviteeId: idSchema });

const MAX = 20_000;

/** One text field of a form body, as typed (arrays, from repeated names, give their first value). */
export function text(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  return s.slice(0, MAX);
}

/** Ticked checkboxes: none, one (a string) or several (an array). */
export function ticked(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').slice(0, 200);
}

/** The three boxes of a date input, kept as typed for re-rendering. */
export function dateFields(body: Record<string, unknown>, prefix: string): FormValues {
  return {
    [`${prefix}-day`]: text(body, `${prefix}-day`),
    [`${prefix}-month`]: text(body, `${prefix}-month`),
    [`${prefix}-year`]: text(body, `${prefix}-year`),
  };
}

/** A date input as `YYYY-MM-DD`; blank is null (the rules say whether it is needed); a bad date is a form error. */
export function readDate(values: FormValues, prefix: string, label: string, errors: FormError[]): string | null {
  const { iso, error } = parseDateInput(values, prefix, label);
  if (error) errors.push({ text: error, href: `#${prefix}-day` });
  return iso;
}

/** "HH:MM" now in England, to prefill a time the chair notes. */
export function londonClockTime(now: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Europe/London',
  }).format(now);
}

const DATE_FIELDS = new Set([
  'firstCoreGroupDate',
  'nextReviewDate',
  'planEndedMeetingDate',
  'referredOn',
  'reviewedOn',
  'reconveneDate',
]);

/** The id of the input a rule's field refers to: date inputs point at their day box. */
export function fieldId(field: string, renames: Record<string, string> = {}): string {
  if (renames[field]) return renames[field];
  if (DATE_FIELDS.has(field) || /^byWhen-\d+$/.test(field)) return `${field}-day`;
  return field || 'main-content';
}

/** A rule's problems as error summary items; access and not-found errors go on to the error pages. */
export function ruleErrors(err: unknown, renames: Record<string, string> = {}): FormError[] {
  if (err instanceof InvalidDetailsError)
    return err.problems.map((p) => ({ text: p.message, href: `#${fieldId(p.field, renames)}` }));
  if (err instanceof DomainError && err.code !== 'NOT_FOUND' && err.code !== 'ACCESS_DENIED')
    return [{ text: err.message, href: `#${fieldId(err.field ?? '', renames)}` }];
  throw err;
}
