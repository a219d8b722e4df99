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

/** The copies issued, one group per document and issue, newest first as the use case lists them. */
function issuedGroups(view: ConferenceDocuments, base: string) {
  const groups = new Map<string, { title: string; issueNumber: number; copies: Array<Record<string, unknown>> }>();
  for (const c of view.issued) {
    const key = `${c.draftId}:${c.issueNumber}`;
    const group = groups.get(key) ?? { title: c.title, issueNumber: c.issueNumber, copies: [] };
    group.copies.push({
      ...c,
      copyLabel: COPY_LABELS[c.copyKind],
      formatLabel: c.format === 'pdf' ? 'PDF' : 'Web page (HTML)',
      issuedText: `${englandDateTime(c.issuedAt)}${c.issuedByName ? ` by ${c.issuedByName}` : ''}`,
      shortHash: c.sha256.slice(0, 12),
      href: `${base}/copies/${c.id}`,
    });
    groups.set(key, group);
  }
  return [...groups.values()];
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
      stateTag: stateTag(doc.state),
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
