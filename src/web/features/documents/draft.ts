/**
 * A draft of one document (W-1, W-2, R-6): its free-text sections to write, with the chair's comments under
 * each and the dictation and conference recording playing beside the form; saved as a whole by the form
 * (without JavaScript) or a section at a time by autosave (see autosave.ts). A draft changed by someone else
 * since the form was opened is not overwritten: the form comes back (409) with what was typed.
 */
import type { FastifyInstance } from 'fastify';
import {
  type FormError,
  type FormValues,
  bodyOf,
  readingContext,
  requestContext,
  str,
  text,
} from '../../forms/index.ts';
import { draftIds, draftPage, savedValues, sectionField } from './draft-view.ts';
import {
  type DocumentPagesOptions,
  READ,
  WRITE,
  doneMessage,
  draftBase,
  draftParams,
  send,
  versionOf,
} from './shared.ts';

export const RELOAD_PROBLEM = 'This page is out of date. Reload the page and try again';

export function draftRoutes(app: FastifyInstance, opts: DocumentPagesOptions): void {
  const { documents } = opts;

  app.get('/conferences/:id/documents/:draftId', { config: READ }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const view = await documents.draft(request.actor!, id, draftId, requestContext(request));
    return draftPage(request, reply, opts, view, savedValues(view), { done: doneMessage(request.query) });
  });

  app.post('/conferences/:id/documents/:draftId', { config: WRITE }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const body = bodyOf(request);
    const view = await documents.draft(request.actor!, id, draftId, readingContext(request));
    const values: FormValues = { version: text(body, 'version') };
    const sections: Record<string, string> = {};
    for (const s of view.sections) {
      const field = sectionField(s.id);
      // Only the sections the form sent: a section left out is not emptied. Kept whole, however long, so the
      // form comes back with everything typed when the rules refuse its length.
      if (body[field] === undefined) continue;
      sections[s.id] = values[field] = str(body[field]);
    }
    const version = versionOf(body);
    const errors: FormError[] = Number.isNaN(version) ? [{ text: RELOAD_PROBLEM, href: '#main-content' }] : [];
    return send({
      errors,
      call: () => documents.saveSections(request.actor!, id, draftId, { version, sections }, requestContext(request)),
      next: () => reply.redirect(`${draftBase(id, draftId)}?done=saved`, 303),
      ids: draftIds(view),
      again: async (errors, status) => {
        // Changed by someone else: the form comes back with what was typed, at the version now saved, so
        // saving again is a choice made knowing that (the preview shows what they saved).
        const now = status === 409 ? await documents.draft(request.actor!, id, draftId, readingContext(request)) : view;
        const shown = { ...savedValues(now), ...values, ...(status === 409 ? { version: String(now.version) } : {}) };
        return draftPage(request, reply, opts, now, shown, { errors, status });
      },
    });
  });

  /** The document as it stands (the approved snapshot once approved): the full record, as the issued HTML shows it. */
  app.get('/conferences/:id/documents/:draftId/preview', { config: READ }, async (request, reply) => {
    const { id, draftId } = draftParams.parse(request.params);
    const view = await documents.draft(request.actor!, id, draftId, requestContext(request));
    return reply.view('documents/preview.njk', {
      title: `Preview: ${view.label}`,
      d: view,
      base: draftBase(id, draftId),
      previewHtml: view.previewHtml,
    });
  });
}
