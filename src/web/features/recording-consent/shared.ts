/**
 * The family's recording on the day (P-4, P-5, P-6, P-7): what the pages share. The use cases check who may see and
 * change each conference per child and audit every view, change, download and refusal; the pages read forms and show.
 */
import type { FamilyRecordingOnTheDay, RecordingConsentUseCases } from '../../../app/recording-consent/service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import {
  type FormPage,
  conferenceHeading,
  doneMessage,
  fieldIds,
  formPage,
  idParams,
  pageRenderer,
} from '../../forms/index.ts';

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

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const longDate = (d: string | null) => (d ? formatLongDate(d as IsoDate) : '');

export const render = pageRenderer('recording-consent');

export const heading = (view: FamilyRecordingOnTheDay) => conferenceHeading(view.conference, base(view.conference.id));

/** A form of the family's recording on the day: the heading, where it is sent (`path` below the list), the view. */
export function consentForm(
  template: string,
  title: string,
  path: string,
  model: (view: FamilyRecordingOnTheDay) => Record<string, unknown>,
): FormPage<FamilyRecordingOnTheDay> {
  return formPage(render, template, title, (view) => ({
    ...heading(view),
    action: `${base(view.conference.id)}/${path}`,
    view,
    ...model(view),
  }));
}

/** The requests to choose from, for radios: whose request, and when it was made. */
export function requestChoices(view: FamilyRecordingOnTheDay, onTheDayOnly: boolean) {
  return view.requests
    .filter((r) => !onTheDayOnly || r.onTheDay)
    .map((r) => ({ value: r.key, text: `${r.requesterName} – ${lowerFirst(r.askedText)}` }));
}

/** "Asked on 24 February 2026…" inside a sentence: only the first letter is lowered, never a month's name. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
