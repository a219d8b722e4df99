/** The audit trail's filter, read from the query (or a form) and written back as a query: ids, an action code and dates only. */
import { type AuditTrailFilter } from '../../../app/audit/audit-reading.ts';
import { parseId } from '../../../domain/shared/ids.ts';
import { type FormError, type FormValues, dateParts, dateValues, parseDateInput, text } from '../../forms/index.ts';

const ACTION_CODE = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

/** The longest a filter's value is read. */
export const MAX = 200;

export interface ReadFilter {
  filter: AuditTrailFilter;
  values: FormValues;
  errors: FormError[];
  before: number | undefined;
}

/** The filter from the query (or a form): ids, an action code and dates only, never a name. */
export function readFilter(source: Record<string, unknown>): ReadFilter {
  const values: FormValues = {};
  for (const k of ['person', 'child', 'action', ...dateParts('from'), ...dateParts('to')])
    values[k] = text(source, k, MAX).trim();
  const errors: FormError[] = [];
  const filter: AuditTrailFilter = {};
  const person = values['person'] as string;
  if (person) {
    const id = parseId(person);
    if (id) filter.actorId = id;
    else errors.push({ text: 'Select a person from the list', href: '#person' });
  }
  const child = values['child'] as string;
  if (child) {
    const id = parseId(child);
    if (id) filter.childId = id;
    else errors.push({ text: 'Find the child by their local case reference', href: '#reference' });
  }
  const action = values['action'] as string;
  if (action) {
    if (ACTION_CODE.test(action)) filter.action = action;
    else errors.push({ text: 'Select an action from the list', href: '#action' });
  }
  const from = parseDateInput(values, 'from', 'Date from');
  if (from.error) errors.push({ text: from.error, href: '#from-day' });
  else if (from.iso) filter.from = from.iso;
  const to = parseDateInput(values, 'to', 'Date to');
  if (to.error) errors.push({ text: to.error, href: '#to-day' });
  else if (to.iso) filter.to = to.iso;
  if (filter.from && filter.to && filter.to < filter.from)
    errors.push({ text: 'Date to must be the same as or after date from', href: '#to-day' });
  const beforeText = text(source, 'before', MAX);
  const before = /^\d{1,15}$/.test(beforeText) ? Number(beforeText) : undefined;
  return { filter, values, errors, before };
}

/** The filter as a query string (ids, a code and dates only), for links and the export. */
export function queryOf(filter: AuditTrailFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (filter.actorId) q.set('person', filter.actorId);
  if (filter.childId) q.set('child', filter.childId);
  if (filter.action) q.set('action', filter.action);
  for (const [name, iso] of [
    ['from', filter.from],
    ['to', filter.to],
  ] as const) {
    if (iso) for (const [k, v] of Object.entries(dateValues(name, iso))) q.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
