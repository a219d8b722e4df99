/**
 * The written record of a conference (W-1 … W-4, T-6, T-7): the documents it needs, each with its state
 * against its due date; starting a draft; the copies issued, to download; and the arrangements made for
 * recipients (W-4), each marked as done here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConferenceDocuments } from '../../../app/documents/use-cases.ts';
import { englandDateTime, formatLongDate } from '../../../domain/calendar/index.ts';
import { ARRANGEMENT_LABELS } from '../../../domain/documents/arrangements.ts';
import { DOCUMENT_KINDS, type DocumentKind } from '../../../domain/documents/model.ts';
import { issuedLabel } from '../../../domain/documents/sending.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idSchema,
  readingContext,
  requestContext,
  text,
} from '../../forms/index.ts';
import {
  type DocumentPagesOptions,
  READ,
  WRITE,
  conferenceParams,
  documentsBase,
  doneMessage,
  draftBase,
  dueModel,
  renderPage,
  stateTag,
  taskParams,
  send,
} from './shared.ts';

const COPY_LABELS = { full: 'Full record', parent: 'Parent’s copy', child: 'Child’s copy' } as const;
export const TASK_NOTE_MAX = 500;

/** The file's copy first, then family members' copies, then professionals', each group by name. */
const COPY_ORDER = { full: 2, parent: 1, child: 1 } as const;

type IssuedCopy = ConferenceDocuments['issued'][number];

interface CopyRow {
  copyLabel: string;
  recipientName: string;
  largePrint: boolean;
  order: number;
  pdf: { href: string; shortHash: string } | null;
  html: { href: string; shortHash: string } | null;
}

/**
 * The copies issued, one group per document and issue (newest first, as the use case lists them), one row per
 * recipient with the PDF and the web page side by side, so business support finds a person's copy at a glance.
 */
function issuedGroups(view: ConferenceDocuments, base: string) {
  const groups = new Map<
    string,
    { title: string; issueNumber: number; issuedText: string; rows: Map<string, CopyRow> }
  >();
  for (const c of view.issued) {
    const key = `${c.draftId}:${c.issueNumber}`;
    const group = groups.get(key) ?? {
      title: c.title,
      issueNumber: c.issueNumber,
      issuedText: issuedText(c),
      rows: new Map<string, CopyRow>(),
    };
    const rowKey = `${c.recipientInviteeId ?? 'file'}:${c.copyKind}:${c.largePrint}`;
    const row = group.rows.get(rowKey) ?? {
      copyLabel: COPY_LABELS[c.copyKind],
      recipientName: c.recipientName,
      largePrint: c.largePrint,
      order: c.recipientInviteeId === null ? 0 : COPY_ORDER[c.copyKind],
      pdf: null,
      html: null,
    };
    row[c.format] = { href: `${base}/copies/${c.id}`, shortHash: c.sha256.slice(0, 12) };
    group.rows.set(rowKey, row);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    ...g,
    rows: [...g.rows.values()].sort((a, b) => a.order - b.order || a.recipientName.localeCompare(b.recipientName)),
  }));
}

function issuedText(c: IssuedCopy): string {
  const issued = `Issued ${englandDateTime(c.issuedAt)}${c.issuedByName ? ` by ${c.issuedByName}` : ''}`;
  const approved = `approved ${englandDateTime(c.approvedAt)}${c.approvedByName ? ` by ${c.approvedByName}` : ''}`;
  return `${issued}; ${approved}.`;
}

function listModel(view: ConferenceDocuments) {
  const base = documentsBase(view.conferenceId);
  return {
    v: view,
    base,
    conferenceHref: `/conferences/${view.conferenceId}`,
    caption: `${view.conferenceTypeLabel} – ${formatLongDate(view.conferenceDate)} – ${view.children.map((c) => c.name).join(', ')}`,
    documents: view.documents.map((doc, i) => ({
      ...doc,
      index: i,
      // T-6, T-7: an issued document reads "Issued, 3 of 7 sent" until every copy has gone.
      stateTag: { ...stateTag(doc.state), ...(doc.state === 'issued' ? { text: issuedLabel(doc.sending) } : {}) },
      due: dueModel(doc.due),
      href: doc.draftId ? draftBase(view.conferenceId, doc.draftId) : null,
    })),
    issued: issuedGroups(view, base),
    tasks: view.tasks.map((t) => ({
      ...t,
      arrangementLabel: ARRANGEMENT_LABELS[t.arrangement],
      doneText: t.doneAt ? `${englandDateTime(t.doneAt)}${t.doneByName ? ` by ${t.doneByName}` : ''}` : null,
    })),
  };
}

function listPage(
  reply: FastifyReply,
  view: ConferenceDocuments,
  done: string | null,
  values: FormValues = {},
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  return renderPage(reply, 'list.njk', 'Written record', { ...listModel(view), done, values }, errors, status);
}

const load = (documents: DocumentPagesOptions['documents'], request: FastifyRequest, id: string) =>
  documents.conferenceDocuments(request.actor!, id, readingContext(request));

export function listRoutes(app: FastifyInstance, { documents }: DocumentPagesOptions): void {
  app.get('/conferences/:id/documents', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await documents.conferenceDocuments(request.actor!, id, requestContext(request));
    return listPage(reply, view, doneMessage(request.query));
  });

  /** Starts the draft of one document the conference needs (or opens the one already started). */
  app.post('/conferences/:id/documents/start', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const kind = text(body, 'kind');
    const subject = text(body, 'subjectInviteeId');
    const view = await load(documents, request, id);
    const needed = view.documents.find(
      (d) => d.kind === kind && (d.subjectInviteeId ?? '') === (idSchema.safeParse(subject).data ?? subject),
    );
    const errors: FormError[] =
      needed && (DOCUMENT_KINDS as readonly string[]).includes(kind)
        ? []
        : [{ text: 'Choose a document this conference needs', href: '#documents' }];
    return send({
      errors,
      call: () =>
        documents.startDraft(
          request.actor!,
          id,
          { kind: kind as DocumentKind, subjectInviteeId: needed?.subjectInviteeId ?? null },
          requestContext(request),
        ),
      next: (draft) => reply.redirect(`${draftBase(id, draft.id)}?done=started`, 303),
      again: (errors, status) => listPage(reply, view, null, {}, errors, status),
    });
  });

  /** W-4: an arrangement for a recipient is done (the large-print copy posted, the interpreter booked). */
  app.post('/conferences/:id/documents/tasks/:taskId/done', { config: WRITE }, async (request, reply) => {
    const { id, taskId } = taskParams.parse(request.params);
    const note = text(bodyOf(request), 'note', TASK_NOTE_MAX + 1);
    const view = await load(documents, request, id);
    const errors: FormError[] =
      note.length > TASK_NOTE_MAX
        ? [{ text: `The note must be ${TASK_NOTE_MAX} characters or fewer`, href: `#note-${taskId}` }]
        : [];
    return send({
      errors,
      call: () =>
        documents.completeTask(request.actor!, id, taskId, { note: note.trim() || null }, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}?done=task-done#arrangements`, 303),
      again: (errors, status) =>
        listPage(
          reply,
          view,
          null,
          { [`note-${taskId}`]: note },
          errors.map((e) => (e.href === '#note' ? { ...e, href: `#note-${taskId}` } : e)),
          status,
        ),
    });
  });
}
