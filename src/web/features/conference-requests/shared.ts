/**
 * Professionals asking for a conference (002 §1.1): what the pages share. The use cases check who may see, record and
 * decide each request per child and audit every view, change and refusal; the pages only read forms and show.
 */
import type { ConferenceRequestView, ConferenceRequestsService } from '../../../app/conference-requests/service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import { doneMessage, pageRenderer } from '../../forms/index.ts';

export interface ConferenceRequestPagesOptions {
  conferenceRequests: ConferenceRequestsService;
}

/** Seeing requests: anyone who may open children's records (the use case checks the child). */
export const VIEW = { access: CHILD_RECORD_ROLES };
/** Recording a request: staff who may change children's records. */
export const EDIT = { access: RECORD_EDITOR_ROLES };
/** Deciding: team managers (the use case checks the child too). */
export const DECIDE = { access: ['team_manager' as const] };

export const requestHref = (id: string) => `/conference-requests/${id}`;
export const childListHref = (childId: string) => `/children/${childId}/conference-requests`;

const DONE: Record<string, string> = {
  recorded: 'The request is recorded. A team manager will decide whether to hold a conference.',
  agreed: 'The request is agreed. Convene the conference from here.',
  declined: 'The request is declined, with the reasons and the discussion recorded.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const render = pageRenderer('conference-requests');

export const dateText = (d: Date) => formatLongDate(londonDateOf(d));

export function rowOf(r: ConferenceRequestView) {
  return {
    ...r,
    href: requestHref(r.id),
    recordedText: dateText(r.recordedAt),
    statusTag:
      r.status.value === 'agreed'
        ? 'govuk-tag--green'
        : r.status.value === 'declined'
          ? 'govuk-tag--red'
          : 'govuk-tag--yellow',
  };
}

/** The request as summary list rows (the request's page and the decision page). */
export function requestRows(r: ConferenceRequestView) {
  const who = `${r.requester.name}, ${r.requester.role}, ${r.requester.agency}`;
  return [
    { key: { text: 'Child' }, value: { text: r.childName } },
    { key: { text: 'Asked by' }, value: { text: who } },
    { key: { text: 'Their email' }, value: { text: r.requester.email ?? 'None recorded' } },
    { key: { text: 'Their concerns' }, value: { text: r.reasons } },
    {
      key: { text: 'Supported by' },
      value: {
        text: r.support.supported ? `${r.support.label}: ${r.support.supporterName ?? ''}` : 'No one: not supported',
      },
    },
    { key: { text: 'Recorded' }, value: { text: `${dateText(r.recordedAt)} by ${r.recordedByName ?? 'unknown'}` } },
  ];
}
