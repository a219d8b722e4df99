/**
 * The one mapping from what went wrong to what a page shows: the status code and the GOV.UK error
 * summary's `{ text, href }` items, each pointing at the input it is about. Field problems and a rule
 * broken by the answers re-render the form (400); a record changed by someone else since the form was
 * opened re-renders it with that message (409); not found and forbidden go on to the error pages
 * (the error handler answers and audits them), as does anything unexpected.
 */
import type { z } from 'zod';
import { DomainError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import type { FormError } from '../types.ts';

export type { FormError };

/** Where a rule's field name points on a page: the id of its input. */
export type FieldIds = (field: string) => string;

export interface FieldIdOptions {
  /** Field names whose input has another id (`'newAgency.name': 'newAgencyName'`). */
  renames?: Readonly<Record<string, string>>;
  /** Fields entered as a GOV.UK date input: they point at the day box (`receivedOn` → `receivedOn-day`). */
  dates?: readonly string[] | RegExp | ((field: string) => boolean);
  /** Several forms on one page: the prefix keeps their ids apart (`verify-` + `email`). */
  prefix?: string;
  /** Rows of repeated fields: `children[1].name` → `children-1-name` (date fields in a row point at their day box). */
  rows?: boolean;
}

const isDate = (dates: FieldIdOptions['dates'], field: string): boolean =>
  dates instanceof RegExp
    ? dates.test(field)
    : typeof dates === 'function'
      ? dates(field)
      : (dates ?? []).includes(field);

/** The ids of a page's inputs for a rule's field names. A problem with no field points at the page's main content. */
export function fieldIds(options: FieldIdOptions = {}): FieldIds {
  const { renames = {}, prefix = '', rows = false } = options;
  const p = prefix ? `${prefix}-` : '';
  return (field) => {
    if (!field || field === 'version') return renames[field] ?? 'main-content';
    if (renames[field]) return `${p}${renames[field]}`;
    const row = rows ? /^(\w+)\[(\d+)\]\.(\w+)$/.exec(field) : null;
    if (row) {
      const id = `${row[1]}-${row[2]}-${row[3]}`;
      return `${p}${isDate(options.dates, row[3]!) ? `${id}-day` : id}`;
    }
    if (isDate(options.dates, field)) return `${p}${field}-day`;
    return `${p}${rows ? field.replace(/\./g, '-') : field}`;
  };
}

const DEFAULT_IDS = fieldIds();

/**
 * A domain problem as the page shows it. Not found, forbidden and anything that is not a domain error
 * are rethrown for the error pages (and the audit of a denial).
 */
export function pageProblems(err: unknown, ids: FieldIds = DEFAULT_IDS): { status: 400 | 409; errors: FormError[] } {
  if (err instanceof StaleRecordError) return { status: 409, errors: [{ text: err.message, href: '#main-content' }] };
  if (err instanceof InvalidDetailsError)
    return { status: 400, errors: dedupe(err.problems.map((p) => ({ text: p.message, href: `#${ids(p.field)}` }))) };
  if (err instanceof DomainError && err.code !== 'NOT_FOUND' && err.code !== 'ACCESS_DENIED')
    return { status: 400, errors: [{ text: err.message, href: `#${ids(err.field ?? '')}` }] };
  throw err;
}

/** `pageProblems`' error list alone, for a page that gathers problems from several places before answering. */
export function problemsAsErrors(err: unknown, ids: FieldIds = DEFAULT_IDS): FormError[] {
  return pageProblems(err, ids).errors;
}

/** The status a page answers with for its errors: 409 when the record changed under the form, else 400. */
export function errorStatus(errors: readonly FormError[], err?: unknown): 400 | 409 {
  return err instanceof StaleRecordError && errors.length ? 409 : 400;
}

/** Zod issues as error summary items, first problem per field. */
export function zodErrors(error: z.ZodError, ids: FieldIds | Record<string, string> = {}): FormError[] {
  const idOf = typeof ids === 'function' ? ids : (f: string) => ids[f] ?? f;
  return dedupe(error.issues.map((issue) => ({ text: issue.message, href: `#${idOf(String(issue.path[0] ?? ''))}` })));
}

/** The message for one field, for the component's `errorMessage`. */
export function errorFor(errors: readonly FormError[], id: string): { text: string } | undefined {
  const e = errors.find((x) => x.href === `#${id}`);
  return e ? { text: e.text } : undefined;
}

/** First problem per field only. */
export function dedupe(errors: readonly FormError[]): FormError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.href) ? false : (seen.add(e.href), true)));
}

/** Form-level errors first; a rule's error on a field that already has one is left out. Ordered as on the page. */
export function mergeErrors(order: readonly string[], ...lists: FormError[][]): FormError[] {
  const out = dedupe(lists.flat());
  const rank = (e: FormError) => {
    const i = order.indexOf(e.href.slice(1));
    return i === -1 ? order.length : i;
  };
  return out.sort((a, b) => rank(a) - rank(b));
}
