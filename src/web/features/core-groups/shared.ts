/**
 * Core groups (002 §3.7, §3.10, §3.11): what the pages share. The use cases check who may see and change each child's
 * core group and audit every view, change and refusal; the pages only read forms and show.
 */
import type { CoreGroupUseCases, CoreGroupMeetingView } from '../../../app/core-groups/service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type DeadlineRag, formatLongDate, type IsoDate, weekdayName } from '../../../domain/calendar/index.ts';
import { RAG_LABELS, timeLeftText } from '../../../domain/conferences/dashboard.ts';
import { type CoreGroupDue, coreGroupDueText } from '../../../domain/core-groups/core-groups.ts';
import { doneMessage, pageRenderer } from '../../forms/index.ts';

export interface CoreGroupPagesOptions {
  coreGroups: CoreGroupUseCases;
}

export const VIEW = { access: CHILD_RECORD_ROLES };
export const EDIT = { access: RECORD_EDITOR_ROLES };
/** The use case lets only a team manager appoint; anyone else who may open the page is refused there (audited). */
export const APPOINT = { access: CHILD_RECORD_ROLES };

export const groupHref = (childId: string) => `/children/${childId}/core-groups`;
export const scheduleHref = (childId: string) => `/children/${childId}/core-groups/schedule`;
export const leadHref = (childId: string) => `/children/${childId}/lead-social-worker`;
export const meetingHref = (meetingId: string) => `/core-groups/${meetingId}`;
export const recordHref = (meetingId: string) => `/core-groups/${meetingId}/record`;

export const longDate = (d: string) => formatLongDate(d as IsoDate);
export const dayDate = (d: string) => `${weekdayName(d as IsoDate)} ${formatLongDate(d as IsoDate)}`;

const TAG_CLASSES: Readonly<Record<DeadlineRag, string>> = {
  overdue: 'govuk-tag--red',
  'due-soon': 'govuk-tag--yellow',
  'on-track': 'govuk-tag--green',
};

/** When the next core group is due, as the child's page and the dashboard show it: words on the tag, never colour alone. */
export function dueView(due: CoreGroupDue | null) {
  if (!due) return null;
  return {
    tag: { text: RAG_LABELS[due.status], classes: TAG_CLASSES[due.status] },
    text: coreGroupDueText(due),
    timeLeft: timeLeftText(due.status, due.workingDaysLeft),
    scheduled: due.nextScheduled
      ? `${due.scheduledInTime ? 'A meeting is booked in time' : 'The next meeting booked is after the due date'}: ${dayDate(due.nextScheduled)}.`
      : 'No meeting is booked yet.',
    firstDateAfterLimit: due.firstDateAfterLimit,
  };
}

export function meetingRow(m: CoreGroupMeetingView) {
  return {
    ...m,
    href: meetingHref(m.id),
    dateText: dayDate(m.meetingDate),
    chairText: m.chair.name ?? 'Not known',
    statusTag: m.recorded
      ? { text: 'Recorded', classes: 'govuk-tag--green' }
      : { text: 'Scheduled', classes: 'govuk-tag--blue' },
  };
}

const DONE: Record<string, string> = {
  scheduled: 'The core group meeting is scheduled.',
  recorded: 'The record of the meeting is saved.',
  lead: 'The lead social worker is appointed.',
};

export const doneOf = (query: unknown): string | null => doneMessage(query, DONE);

export const render = pageRenderer('core-groups');
