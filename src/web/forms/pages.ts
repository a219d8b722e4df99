/**
 * What a feature's pages share once written: one renderer for its templates (the status of a form shown again with
 * its errors), a form page's function, the confirmation after a change, the version a change form carries, the
 * heading of a page about one conference, and a multipart form read after its CSRF token was checked.
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { type IsoDate, formatLongDate } from '../../domain/calendar/index.ts';
import type { FormError } from '../types.ts';
import type { FormValues } from './values.ts';

/** Renders one of a feature's templates with its title; with errors, answers `status` (400, or 409 for a stale form). */
export type PageRenderer = (
  reply: FastifyReply,
  template: string,
  title: string,
  model: Record<string, unknown>,
  errors?: FormError[],
  status?: 400 | 409,
) => Promise<string>;

/** The renderer of the templates in one folder of views (`recording-consent/ask.njk`). */
export function pageRenderer(folder: string): PageRenderer {
  return (reply, template, title, model, errors = [], status = 400) => {
    if (errors.length) reply.code(status);
    return reply.view(`${folder}/${template}`, { title, errors, ...model });
  };
}

/** A form page shown from what the use case read (`view`), with the values typed and any errors. */
export type FormPage<V> = (
  reply: FastifyReply,
  view: V,
  values: FormValues,
  errors?: FormError[],
  status?: 400 | 409,
) => Promise<string>;

/**
 * A form page: its template, title (or the title for the view) and what it shows of the view and the values typed
 * (which are added).
 */
export function formPage<V>(
  render: PageRenderer,
  template: string,
  title: string | ((view: V) => string),
  model: (view: V, values: FormValues) => Record<string, unknown>,
): FormPage<V> {
  return (reply, view, values, errors = [], status = 400) =>
    render(
      reply,
      template,
      typeof title === 'string' ? title : title(view),
      { ...model(view, values), values },
      errors,
      status,
    );
}

/** The confirmation a page shows after a change (`?done=…`), from its own list; anything else shows none. */
export function doneMessage(query: unknown, messages: Readonly<Record<string, string>>): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  return typeof q['done'] === 'string' ? (messages[q['done']] ?? null) : null;
}

/** The version of the record a change form was opened on; anything but a whole number reads as NaN (refused). */
export function versionOf(body: Record<string, unknown>): number {
  const v = body['version'];
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}

/** The heading of a page about one conference: its title and date, the way back to it and to the page's list. */
export function conferenceHeading(conference: { id: string; title: string; scheduledDate: string }, listHref: string) {
  return {
    caption: `${conference.title} – ${formatLongDate(conference.scheduledDate as IsoDate)}`,
    conferenceHref: `/conferences/${conference.id}`,
    listHref,
  };
}

/**
 * A multipart form's fields (repeated names as lists) and its one file, read after the CSRF token was checked
 * (plugins/csrf.ts). The browser's file name and type are never used.
 */
export async function readMultipart(
  parts: AsyncIterator<Multipart>,
): Promise<{ body: Record<string, unknown>; file: Buffer | null; tooLarge: boolean }> {
  const body: Record<string, unknown> = {};
  let file: Buffer | null = null;
  let tooLarge = false;
  for await (const part of { [Symbol.asyncIterator]: () => parts }) {
    if (part.type === 'field') {
      if (typeof part.value !== 'string') continue;
      const had = body[part.fieldname];
      body[part.fieldname] = had === undefined ? part.value : [...(Array.isArray(had) ? had : [had]), part.value];
    } else if (part.fieldname === 'file' && file === null) {
      const data = await part.toBuffer();
      tooLarge = part.file.truncated;
      file = data.length === 0 && !part.filename ? null : data;
    } else part.file.resume();
  }
  return { body, file, tooLarge };
}
