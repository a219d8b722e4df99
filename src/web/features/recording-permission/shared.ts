/**
 * Permission to record a meeting (P-1, P-2, P-3, P-6, T-11): what the pages share. The use cases check who may see
 * and change each request per child and audit every view, change and refusal; the pages only read forms and show.
 */
import type {
  MeetingRequests,
  PermissionRequestView,
  RecordingPermissionUseCases,
} from '../../../app/recording-permission/service.ts';
import type { UndertakingLinkService } from '../../../app/recording-permission/undertaking-link.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, type IsoDate } from '../../../domain/calendar/index.ts';
import { doneMessage, pageRenderer } from '../../forms/index.ts';

export interface RecordingPermissionPagesOptions {
  recordingPermission: RecordingPermissionUseCases;
  undertakingLinks: UndertakingLinkService;
}

/** Seeing requests: anyone who may open children's records (the use case checks each child). */
export const VIEW = { access: CHILD_RECORD_ROLES };
/** Recording a request, the undertaking, professionals' views and the confirmation. */
export const EDIT = { access: RECORD_EDITOR_ROLES };
/** The decision: the use case checks the person is the conference's chair or the child's social worker. */
export const DECIDE = { access: [...new Set([...CHILD_RECORD_ROLES])] };

/** The largest signed notice taken (10 MB), plus one byte so a larger file is told apart from a cut one. */
export const MULTIPART_LIMITS = { fileSize: 10 * 1024 * 1024 + 1, files: 1, fields: 30, fieldSize: 20_000, parts: 32 };

export const requestHref = (id: string) => `/recording-permission/${id}`;
export const conferenceListHref = (id: string) => `/conferences/${id}/recording-permission`;
export const childListHref = (id: string) => `/children/${id}/recording-permission`;

export const longDate = (d: string) => formatLongDate(d as IsoDate);

export function listHrefOf(r: PermissionRequestView): string {
  return r.meeting.conferenceId ? conferenceListHref(r.meeting.conferenceId) : childListHref(r.meeting.childId!);
}

export function meetingText(r: { meeting: PermissionRequestView['meeting'] }): string {
  return `${r.meeting.title}, ${longDate(r.meeting.date)} at ${r.meeting.time}`;
}

export function headingOf(view: MeetingRequests) {
  if (view.conference)
    return {
      caption: `${view.conference.title} – ${longDate(view.conference.scheduledDate)}`,
      backText: 'Back to the conference',
      backHref: `/conferences/${view.conference.id}`,
      listHref: conferenceListHref(view.conference.id),
    };
  return {
    caption: view.child!.name,
    backText: 'Back to the child’s record',
    backHref: `/children/${view.child!.id}`,
    listHref: childListHref(view.child!.id),
  };
}

const DONE: Record<string, string> = {
  recorded: 'The request is recorded.',
  'not-eligible': 'The request is recorded and refused, because they may not ask. A note is on each child’s record.',
  undertaking: 'The signed notice of intent is attached. The request is waiting for a decision.',
  view: 'Their view is recorded.',
  decided: 'The decision is recorded, with a note on each child’s record. Now confirm it to them.',
  confirmed: 'The decision is confirmed to them, with a note on each child’s record.',
  link: 'A secure link is emailed to them to read and confirm the undertaking.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const render = pageRenderer('recording-permission');

export function rowOf(r: PermissionRequestView) {
  return {
    ...r,
    href: requestHref(r.id),
    meetingText: meetingText(r),
    statusTag:
      r.status.value === 'granted'
        ? 'govuk-tag--green'
        : r.status.value === 'refused' || r.status.value === 'not-eligible'
          ? 'govuk-tag--red'
          : 'govuk-tag--yellow',
  };
}
