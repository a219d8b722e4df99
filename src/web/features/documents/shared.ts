/**
 * What the written record's pages share (W-1 … W-4, T-6, T-7, R-6): who may open them, the path ids, the
 * services they are given, the messages shown after each change, and how a document's state and due date
 * are shown (the dashboard's red/amber/green tags).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DocumentSendingUseCases } from '../../../app/documents/sending.ts';
import type { DocumentSummary, DocumentUseCases, DraftView } from '../../../app/documents/use-cases.ts';
import type { RecordingService } from '../../../app/recordings/recording-service.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { RAG_LABELS, timeLeftText } from '../../../domain/conferences/dashboard.ts';
import { DOCUMENT_STATE_LABELS, type DocumentState } from '../../../domain/documents/drafting.ts';
import { type FormError, idParams, submit } from '../../forms/index.ts';

/** The services the written record's pages use, and no others. */
export interface DocumentPagesOptions {
  documents: DocumentUseCases;
  /** The recordings played beside the draft: whether the person may play one now, without a new reason. */
  recordings: Pick<RecordingService, 'listening'>;
  /** Sending the issued copies to their recipients (W-4, W-6). */
  sending: DocumentSendingUseCases;
}

/** Everyone who may see a child's record may open the pages; the use cases decide per conference and per action. */
export const READ = { access: CHILD_RECORD_ROLES };
/** Business support (the minute taker) and chairs write, approve and issue the record. */
export const WRITER_ROLES: readonly Role[] = ['business_support', 'chair'];
export const WRITE = { access: WRITER_ROLES };
/** Only a chair approves, asks for changes, reopens, comments or marks what is withheld. */
export const CHAIR = { access: ['chair'] as readonly Role[] };

export const conferenceParams = idParams('id');
export const draftParams = idParams('id', 'draftId');
export const issuedParams = idParams('id', 'issuedId');
export const taskParams = idParams('id', 'taskId');
export const commentParams = idParams('id', 'draftId', 'commentId');
/** A block's id inside a document (a section id such as `police-information`): not a record id. */
export const blockParams = draftParams.extend({ blockId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/) });

export const documentsBase = (conferenceId: string) => `/conferences/${conferenceId}/documents`;
export const draftBase = (conferenceId: string, draftId: string) => `${documentsBase(conferenceId)}/${draftId}`;

/** The banner after a change, by the `done` key its redirect carries (no personal data in the URL). */
export const DONE_MESSAGES: Record<string, string> = {
  started: 'The draft is started. The sections filled from the conference are in the preview.',
  saved: 'The draft is saved.',
  submitted: 'Sent to the chair.',
  'changes-requested': 'Sent back to the minute taker with your comments.',
  approved: 'Approved. The document can now be issued.',
  reopened: 'Reopened. The draft can be changed, and must be approved again before it is issued.',
  commented: 'Your comment is added.',
  resolved: 'The comment is marked as resolved.',
  withholding: 'What is left out of the family’s copies is saved.',
  recipients: 'Who receives a copy, and what is arranged for them, is saved.',
  'task-done': 'The arrangement is marked as done.',
};

/** The message for a `done` key, or null; "Issued: 7 copies" carries its count. */
export function doneMessage(query: unknown): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  const done = typeof q['done'] === 'string' ? q['done'] : '';
  if (done === 'issued') {
    const n = typeof q['copies'] === 'string' && /^\d{1,4}$/.test(q['copies']) ? Number(q['copies']) : null;
    return n === null ? 'Issued.' : `Issued: ${n} ${n === 1 ? 'copy' : 'copies'}.`;
  }
  return DONE_MESSAGES[done] ?? null;
}

const STATE_CLASSES: Record<DocumentState, string> = {
  'not-started': 'govuk-tag--grey',
  drafting: 'govuk-tag--light-blue',
  'waiting-for-chair': 'govuk-tag--purple',
  approved: 'govuk-tag--turquoise',
  issued: 'govuk-tag--green',
};

export const stateTag = (state: DocumentState) => ({
  text: DOCUMENT_STATE_LABELS[state],
  classes: STATE_CLASSES[state],
});

const RAG_CLASSES = { overdue: 'govuk-tag--red', 'due-soon': 'govuk-tag--yellow', 'on-track': 'govuk-tag--green' };

/** The due date as the dashboard shows it: a red/amber/green tag, the date and the time left; an issued document is met. */
export function dueModel(due: DocumentSummary['due']) {
  if (!due) return null;
  const dateText = formatLongDate(due.date);
  if (due.status === 'met') return { tag: null, dateText, note: 'issued' };
  return {
    tag: { text: RAG_LABELS[due.status.status], classes: RAG_CLASSES[due.status.status] },
    dateText,
    note: timeLeftText(due.status.status, due.status.workingDaysLeft),
  };
}

/** A page of the written record: its template with the title and errors (400, or 409 when the draft changed). */
export function renderPage(
  reply: FastifyReply,
  template: string,
  title: string,
  model: Record<string, unknown>,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  if (errors.length) reply.code(status);
  return reply.view(`documents/${template}`, { title, errors, ...model });
}

/** What every page about one draft shows at the top. */
export function draftHeading(view: DraftView) {
  return {
    d: view,
    base: draftBase(view.conferenceId, view.id),
    documentsHref: documentsBase(view.conferenceId),
    statusTag: stateTag(view.status),
  };
}

/** The version the form was opened at, or NaN when it is missing or not a whole number (the use case refuses it). */
export function versionOf(body: Record<string, unknown>): number {
  const v = body['version'];
  return typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}

/** The kit's `submit` for these pages, whose form comes back rendered (a string) or answers with a redirect. */
export function send<T>(step: Parameters<typeof submit<T, unknown>>[0]): Promise<unknown> {
  return submit<T, unknown>(step);
}
