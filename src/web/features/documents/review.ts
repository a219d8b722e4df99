/**
 * A draft's life (W-1, W-2): the minute taker sends it to the chair; the chair comments on its sections,
 * asks for changes or approves it (only the chair may); an approved document not yet issued can be reopened;
 * an approved document is issued as one fixed copy per recipient. Each action carries the version the page
 * was opened at, so an action on a draft changed since comes back (409) instead of acting on what was not seen.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentUseCases, DraftView } from '../../../app/documents/use-cases.ts';
import { type FormError, bodyOf, readingContext, requestContext, text } from '../../forms/index.ts';
import { RELOAD_PROBLEM } from './draft.ts';
import { draftIds, draftPage, savedValues } from './draft-view.ts';
import {
  CHAIR,
  type DocumentPagesOptions,
  WRITE,
  commentParams,
  documentsBase,
  draftBase,
  draftParams,
  versionOf,
  send,
} from './shared.ts';

type Action = 'submitForApproval' | 'requestChanges' | 'approve' | 'reopen';

const ACTIONS: ReadonlyArray<{ path: string; action: Action; done: string; config: typeof WRITE }> = [
  { path: 'submit', action: 'submitForApproval', done: 'submitted', config: WRITE },
  { path: 'request-changes', action: 'requestChanges', done: 'changes-requested', config: CHAIR },
  { path: 'approve', action: 'approve', done: 'approved', config: CHAIR },
  { path: 'reopen', action: 'reopen', done: 'reopened', config: CHAIR },
];

export const COMMENT_MAX = 5_000;

export function reviewRoutes(app: FastifyInstance, opts: DocumentPagesOptions): void {
  const { documents } = opts;
  const load = (request: FastifyRequest, id: string, draftId: string) =>
    documents.draft(request.actor!, id, draftId, readingContext(request));

  /** The draft page again with the problem (and the draft as it now is when it changed under the page). */
  const again =
    (request: FastifyRequest, reply: FastifyReply, view: DraftView, id: string, draftId: string) =>
    async (errors: FormError[], status: 400 | 409) => {
      const now = status === 409 ? await load(request, id, draftId) : view;
      return draftPage(request, reply, opts, now, savedValues(now), { errors, status });
    };

  for (const { path, action, done, config } of ACTIONS) {
    app.post(`/conferences/:id/documents/:draftId/${path}`, { config }, async (request, reply) => {
      const { id, draftId } = draftParams.parse(request.params);
      const version = versionOf(bodyOf(request));
      const view = await load(request, id, draftId);
      return send({
        errors: Number.isNaN(version) ? [{ text: RELOAD_PROBLEM, href: '#main-content' }] : [],
        call: () =>
          (documents[action] as DocumentUseCases['approve']).call(
            documents,
            request.actor!,
            id,
            draftId,
            { version },
            requestContext(request),
          ),
        next: () => reply.redirect(`${draftBase(id, draftId)}?done=${done}`, 303),
        ids: draftIds(view),
        again: again(request, reply, view, id, draftId),
      });
    });
  }

  /** Issues the approved document: one fixed copy per recipient; back to the written record with how many. */
  app.post('/conferences/:id/documents/:draftId/issue', { config: WRITE }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const version = versionOf(bodyOf(request));
    const view = await load(request, id, draftId);
    return send({
      errors: Number.isNaN(version) ? [{ text: RELOAD_PROBLEM, href: '#main-content' }] : [],
      call: () => documents.issue(request.actor!, id, draftId, { version }, requestContext(request)),
      next: (result) => reply.redirect(`${documentsBase(id)}?done=issued&copies=${result.copies.length}#issued`, 303),
      ids: draftIds(view),
      again: again(request, reply, view, id, draftId),
    });
  });

  /** The chair's comment on one section, for the minute taker. */
  app.post('/conferences/:id/documents/:draftId/comments', { config: CHAIR }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const body = bodyOf(request);
    const sectionId = text(body, 'sectionId', 100);
    const comment = text(body, 'body', COMMENT_MAX + 1);
    const view = await load(request, id, draftId);
    const section = view.sections.find((s) => s.id === sectionId);
    const field = `comment-${section?.id ?? ''}`;
    const errors: FormError[] = !section
      ? [{ text: 'Choose a section of the draft to comment on', href: '#main-content' }]
      : !comment.trim()
        ? [{ text: 'Enter your comment', href: `#${field}` }]
        : comment.length > COMMENT_MAX
          ? [{ text: `The comment must be ${COMMENT_MAX} characters or fewer`, href: `#${field}` }]
          : [];
    return send({
      errors,
      call: () =>
        documents.comment(request.actor!, id, draftId, { sectionId, body: comment.trim() }, requestContext(request)),
      next: () => reply.redirect(`${draftBase(id, draftId)}?done=commented#block-${sectionId}`, 303),
      ids: (f) => (f === 'body' || f === 'sectionId' ? field : draftIds(view)(f)),
      again: async (errors, status) => {
        const now = status === 409 ? await load(request, id, draftId) : view;
        return draftPage(request, reply, opts, now, { ...savedValues(now), [field]: comment }, { errors, status });
      },
    });
  });

  app.post(
    '/conferences/:id/documents/:draftId/comments/:commentId/resolve',
    { config: WRITE },
    async (request, reply) => {
      const { id, draftId, commentId } = commentParams.parse(request.params);
      const view = await load(request, id, draftId);
      const section = view.sections.find((s) => s.comments.some((c) => c.id === commentId));
      return send({
        call: () => documents.resolveComment(request.actor!, id, draftId, commentId, requestContext(request)),
        next: () =>
          reply.redirect(`${draftBase(id, draftId)}?done=resolved${section ? `#block-${section.id}` : ''}`, 303),
        ids: draftIds(view),
        again: again(request, reply, view, id, draftId),
      });
    },
  );
}
