/** What the pages about recording gone wrong share (P-8, P-9): options, who may open them, paths, headings. */
import type {
  ConferenceRecordingIncidents,
  RecordingIncidentUseCases,
} from '../../../app/recording-incidents/recording-incident-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import {
  COVERT_DECIDER_ROLES,
  COVERT_REPORTER_ROLES,
  COVERT_VIEWER_ROLES,
  UNPERMITTED_RECORDING_ROLES,
} from '../../../domain/recording-incidents/incidents.ts';
import {
  type FormPage,
  conferenceHeading,
  doneMessage,
  fieldIds,
  formPage,
  idParams,
  pageRenderer,
} from '../../forms/index.ts';

export interface RecordingIncidentPagesOptions {
  recordingIncidents: RecordingIncidentUseCases;
}

/** Anyone who works with children's records sees the conference's list (the use case checks each child). */
export const READ = { access: CHILD_RECORD_ROLES };
export const RECORD_UNPERMITTED = { access: UNPERMITTED_RECORDING_ROLES };
export const REPORT_COVERT = { access: COVERT_REPORTER_ROLES };
export const VIEW_COVERT = { access: COVERT_VIEWER_ROLES };
export const DECIDE_COVERT = { access: COVERT_DECIDER_ROLES };

export const conferenceParams = idParams('id');
export const incidentParams = idParams('id', 'incidentId');
export const base = (conferenceId: string) => `/conferences/${conferenceId}/recording-incidents`;
export const ids = fieldIds({ dates: ['foundOn', 'publishedOn', 'takenDownOn', 'on', 'closedOn'] });
export const SOMEONE_ELSE = 'someone-else';
export const TIME_HINT = 'For example, 14:00 or 2pm';

const DONE: Record<string, string> = {
  unpermitted: 'What happened is recorded.',
  action: 'The action is recorded.',
  closed: 'The incident is closed. A note is on each child’s record.',
  reported: 'The covert recording is recorded. A note is on each child’s record.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const longDate = (d: string | null) => (d ? formatLongDate(d as IsoDate) : '');

export const render = pageRenderer('recording-incidents');

export const heading = (view: { conference: { id: string; title: string; scheduledDate: string } }) =>
  conferenceHeading(view.conference, base(view.conference.id));

/** A form about recording gone wrong at a conference: the heading and where it is sent (`path` below the list). */
export function incidentForm(
  template: string,
  title: string,
  path: string,
  model: (view: ConferenceRecordingIncidents) => Record<string, unknown>,
): FormPage<ConferenceRecordingIncidents> {
  return formPage(render, template, title, (view) => ({
    ...heading(view),
    action: `${base(view.conference.id)}/${path}`,
    ...model(view),
  }));
}
