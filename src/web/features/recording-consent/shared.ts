/**
 * The family's recording on the day (P-4, P-5, P-6, P-7): what the pages share. The use cases check who may see and
 * change each conference per child and audit every view, change, download and refusal; the pages read forms and show.
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { FamilyRecordingOnTheDay, RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import { type FormError, fieldIds, idParams } from '../../forms/index.ts';

export interface RecordingConsentPagesOptions {
  recordingConsent: RecordingConsentUseCases;
}

/** Anyone who works with children's records sees the page (the use case checks each child). */
export const READ = { access: CHILD_RECORD_ROLES };
/** Recording answers and storing a copy: the chair or business support (the use case checks the conference too). */
export const REGISTER = { access: ['chair', 'business_support'] as const };

export const conferenceParams = idParams('id');
export const copyParams = idParams('id', 'copyId');
export const base = (conferenceId: string) => `/conferences/${conferenceId}/recording-consent`;
export const ids = fieldIds({ dates: ['handedOverOn'] });
export const TIME_HINT = 'For example, 10:05 or 2pm';

/** The largest copy taken (200 MB), plus one byte so a larger file is told apart from a cut one. */
export const MULTIPART_LIMITS = { fileSize: 200 * 1024 * 1024 + 1, files: 1, fields: 20, fieldSize: 5_000, parts: 24 };

const DONE: Record<string, string> = {
  asked: 'Everyone’s answers are recorded.',
  request: 'The request is recorded. Stop the meeting and ask everyone present before going on.',
  copy: 'The copy of the family’s recording is stored with the conference.',
};

export function doneOf(query: unknown): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  return typeof q['done'] === 'string' ? (DONE[q['done']] ?? null) : null;
}

export const longDate = (d: string | null) => (d ? formatLongDate(d as IsoDate) : '');

export function heading(view: FamilyRecordingOnTheDay) {
  return {
    caption: `${view.conference.title} – ${longDate(view.conference.scheduledDate)}`,
    conferenceHref: `/conferences/${view.conference.id}`,
    listHref: base(view.conference.id),
  };
}

export function render(
  reply: FastifyReply,
  template: string,
  title: string,
  model: Record<string, unknown>,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view(`recording-consent/${template}`, { title, errors, ...model });
}

/** The requests to choose from, for radios: whose request, and when it was made. */
export function requestChoices(view: FamilyRecordingOnTheDay, onTheDayOnly: boolean) {
  return view.requests
    .filter((r) => !onTheDayOnly || r.onTheDay)
    .map((r) => ({ value: r.key, text: `${r.requesterName} – ${lowerFirst(r.askedText)}` }));
}

/**
 * A multipart form's fields and its one file, read after the CSRF token was checked (plugins/csrf.ts). The browser's
 * file name and type are never used.
 */
export async function readMultipart(
  parts: AsyncIterator<Multipart>,
): Promise<{ body: Record<string, unknown>; file: Buffer | null; tooLarge: boolean }> {
  const body: Record<string, unknown> = {};
  let file: Buffer | null = null;
  let tooLarge = false;
  for await (const part of { [Symbol.asyncIterator]: () => parts }) {
    if (part.type === 'field') {
      if (typeof part.value === 'string' && body[part.fieldname] === undefined) body[part.fieldname] = part.value;
    } else if (part.fieldname === 'file' && file === null) {
      const data = await part.toBuffer();
      tooLarge = part.file.truncated;
      file = data.length === 0 && !part.filename ? null : data;
    } else part.file.resume();
  }
  return { body, file, tooLarge };
}

/** "Asked on 24 February 2026…" inside a sentence: only the first letter is lowered, never a month's name. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
