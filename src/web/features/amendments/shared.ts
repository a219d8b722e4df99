/** What the amendment pages share: their options, access, paths, the due date and letter of a request, and its model. */
import type {
  AmendmentLetterStatus,
  AmendmentRequestView,
  AmendmentUseCases,
} from '../../../app/documents/amendments.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { RAG_LABELS, timeLeftText } from '../../../domain/conferences/dashboard.ts';
import { AMENDMENT_CHANNEL_LABELS, AMENDMENT_DECISION_LABELS } from '../../../domain/documents/amendments.ts';
import { fieldIds, idParams } from '../../forms/index.ts';

export interface AmendmentPagesOptions {
  amendments: AmendmentUseCases;
}

export const READ = { access: CHILD_RECORD_ROLES };
export const WRITE = { access: ['business_support', 'chair'] as readonly Role[] };
export const CHAIR = { access: ['chair'] as readonly Role[] };

/** Points on the form: a request with more is recorded in parts or through the API. */
export const FORM_POINTS = 3;
export const TEXT_MAX = 5_000;

export const conferenceParams = idParams('id');
export const requestParams = idParams('id', 'requestId');
export const base = (id: string) => `/conferences/${id}/amendments`;
export const ids = fieldIds({ dates: ['receivedOn', 'recordReceivedOn'], rows: true });

const RAG_CLASSES = { overdue: 'govuk-tag--red', 'due-soon': 'govuk-tag--yellow', 'on-track': 'govuk-tag--green' };

const DONE: Record<string, string> = {
  recorded: 'The amendment request is recorded. It is waiting for the chair.',
  decided:
    'Your decision is recorded. The letter giving them your decision on each point is ready for you to check and approve.',
  'new-version':
    'Your decision is recorded. The letter giving them your decision on each point is ready for you to check and approve. The document is back with the minute taker to write its next version, which you approve before it is issued.',
};

/** W-5: where the letter giving the requester the chair's decisions stands, in words, with its tag. */
const LETTER_STATUS: Record<AmendmentLetterStatus, { text: string; classes: string; note: string }> = {
  prepared: {
    text: 'Prepared',
    classes: 'govuk-tag--blue',
    note: 'The chair checks and approves it, then business support issues it.',
  },
  approved: { text: 'Approved', classes: 'govuk-tag--turquoise', note: 'Business support issues it.' },
  issued: {
    text: 'Issued',
    classes: 'govuk-tag--yellow',
    note: 'Not sent yet: send it from the written record’s sending page.',
  },
  sent: { text: 'Sent', classes: 'govuk-tag--green', note: 'Their copy has gone.' },
};

function letterModel(r: AmendmentRequestView) {
  if (!r.letter) return null;
  return { href: `/conferences/${r.conferenceId}/documents/${r.letter.draftId}`, ...LETTER_STATUS[r.letter.status] };
}

export function doneOf(query: unknown): string | null {
  const done = (query as Record<string, unknown> | null)?.['done'];
  return typeof done === 'string' ? (DONE[done] ?? null) : null;
}

function dueModel(r: AmendmentRequestView) {
  return {
    dateText: formatLongDate(r.dueOn),
    tag: r.dueStatus ? { text: RAG_LABELS[r.dueStatus.status], classes: RAG_CLASSES[r.dueStatus.status] } : null,
    note: r.dueStatus ? timeLeftText(r.dueStatus.status, r.dueStatus.workingDaysLeft) : null,
  };
}

export function requestModel(r: AmendmentRequestView) {
  return {
    r,
    href: `${base(r.conferenceId)}/${r.id}`,
    channel: AMENDMENT_CHANNEL_LABELS[r.channel],
    receivedText: formatLongDate(r.receivedOn),
    recordReceivedText: formatLongDate(r.recordReceivedOn),
    due: dueModel(r),
    statusText: r.status === 'decided' ? 'Decided' : 'Waiting for the chair',
    letter: letterModel(r),
    points: r.points.map((p, i) => ({
      ...p,
      number: i + 1,
      decisionText: p.decision ? AMENDMENT_DECISION_LABELS[p.decision.decision] : null,
    })),
  };
}
