/**
 * What the requests-for-copies pages (A-1 … A-10) share: who may open them, the services they use,
 * the request's address, the "done" banners and the view models of the request and its download links.
 */
import type { RequestService, RequestSummaryRow, RequestView } from '../../../app/requests/request-service.ts';
import type { DisclosureCopyService } from '../../../app/requests/disclosure-copies.ts';
import type { DeadlineRag } from '../../../domain/calendar/index.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { formatDuration } from '../../../domain/recordings/index.ts';
import {
  NOTIFIED_PARTIES,
  NOTIFIED_PARTY_LABELS,
  REQUEST_STEP_ROLES,
  REQUEST_VIEW_ROLES,
  type RequestState,
} from '../../../domain/requests/index.ts';
import type { FormValues } from '../../forms/index.ts';
import { RAG_TAG_CLASSES, RAG_TEXT } from './forms.ts';

/** The services the requests pages use, and nothing else. */
export interface RequestPagesOptions {
  requests: RequestService;
  /** Listening to a prepared copy, and its progress. */
  disclosureCopies: Pick<DisclosureCopyService, 'status' | 'progress' | 'listen'>;
}

export const VIEW = { access: REQUEST_VIEW_ROLES };
export const RECEIVE = { access: REQUEST_STEP_ROLES.receive };
export const REFER = { access: REQUEST_STEP_ROLES.refer };

export const requestBase = (id: string) => `/requests/${id}`;

export const ragTag = (rag: DeadlineRag | null | undefined) =>
  rag ? { text: RAG_TEXT[rag], classes: RAG_TAG_CLASSES[rag] } : null;

/** The banner shown on the request's page after each step, by the `done` key in its address. */
export const DONE: Record<string, string> = {
  received: 'The request is recorded.',
  refused: 'The request is recorded and refused: the requester is not eligible.',
  referred: 'The referral is sent to business support, the social worker and the quality assurance service manager.',
  'referral-amended': 'The referral is changed. The request goes back to business support to check.',
  'resolve-queries': 'Queries with the chair are recorded as resolved.',
  'check-recording': 'The recording is recorded as checked.',
  'request-verification': 'The requester has been emailed to confirm their details.',
  verified: 'The requester’s details match the children’s records.',
  'not-verified': 'The requester’s details did not match. The chair has been told.',
  'resume-verification': 'Business support can ask the requester again.',
  'prepare-copy': 'The copy is recorded as prepared. A second person must now check and approve it.',
  'approve-copy': 'The copy is approved.',
  'reject-copy': 'The copy is sent back to be prepared again.',
  send: 'The copy is sent. The requester has been emailed a link to download it securely.',
  'record-notifications': 'Notifications and case notes are recorded.',
  close: 'The request is closed.',
  refuse: 'The request is refused.',
  withdraw: 'The request is recorded as withdrawn.',
  extend: 'The time limit is extended.',
  'cancel-link': 'The download link is cancelled. The requester can no longer use it to download the copy.',
  'new-link': 'A new download link is sent. The requester has been emailed it at the address they confirmed.',
};

/** A summary row of the queue or a conference's list, with its dates in words and its RAG tag. */
export function summaryRowModel(r: RequestSummaryRow) {
  return {
    ...r,
    rag: ragTag(r.status?.status),
    dueText: formatLongDate(r.dueOn),
    receivedText: formatLongDate(r.receivedOn),
  };
}

/** Every value of the form as hidden inputs (for check answers: nothing about a child goes in a URL). */
export function hiddenFields(values: FormValues): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [name, v] of Object.entries(values)) {
    if (Array.isArray(v)) for (const item of v) out.push({ name, value: item });
    else if (typeof v === 'string' && v !== '') out.push({ name, value: v });
  }
  return out;
}

/** The request as its page and the copy's page show it. */
export function requestModel(view: RequestView) {
  const step = view.state as RequestState;
  return {
    view,
    base: requestBase(view.id),
    rag: ragTag(view.status?.status),
    dueText: formatLongDate(view.dueOn),
    receivedText: formatLongDate(view.receivedOn),
    conferenceDateText: formatLongDate(view.conference.date),
    finished: ['closed', 'refused', 'withdrawn'].includes(step),
    has: Object.fromEntries(view.actions.map((a) => [a, true])),
    referralWithheld: (view.referral?.withheld ?? []).map((w) => ({
      ...w,
      span: `${formatDuration(w.startMs)} to ${formatDuration(w.endMs)}`,
    })),
    notifiedItems: NOTIFIED_PARTIES.map((p) => ({ value: p, text: NOTIFIED_PARTY_LABELS[p] })),
    verificationRows: Array.from({ length: Math.max(1, view.verificationChildCount) }, (_, i) => i),
  };
}
