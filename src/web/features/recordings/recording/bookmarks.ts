/** Bookmarks in a recording: added from the recording page or the player, removed from the page. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bodyOf, idSchema, requestContext, text, type FormError, type FormValues } from '../../../forms/index.ts';
import {
  backToRecording,
  MANAGE,
  READ,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';
import { BOOKMARK_KIND_ITEMS, recordingBase } from '../recording-view.ts';

const bookmarkParams = z.object({ rid: idSchema, bid: idSchema });

/** Where a bookmark added from the player goes back to. */
const returnToOf = (body: Record<string, unknown>): 'recording' | 'listen' =>
  text(body, 'returnTo') === 'listen' ? 'listen' : 'recording';

export function bookmarkRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const bookmarkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues,
    errors: FormError[] = [],
  ) =>
    recordingPage(
      reply,
      'bookmark-form.njk',
      await recordings.detail(request.actor!, requestContext(request), rid),
      'Add a bookmark',
      { values, kindItems: BOOKMARK_KIND_ITEMS },
      errors,
    );

  app.get('/recordings/:rid/bookmarks', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return reply.redirect(`${recordingBase(rid)}#bookmarks`, 303);
  });

  app.get('/recordings/:rid/bookmarks/new', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return bookmarkPage(request, reply, rid, { at: '', kind: '', label: '', returnTo: 'recording' });
  });

  app.post('/recordings/:rid/bookmarks', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const values = { at: text(body, 'at'), kind: text(body, 'kind'), label: text(body, 'label') };
    const returnTo = returnToOf(body);
    try {
      await recordings.addBookmark(request.actor!, requestContext(request), rid, values);
    } catch (err) {
      return bookmarkPage(request, reply, rid, { ...values, returnTo }, ruleErrors(err));
    }
    if (returnTo === 'listen') return reply.redirect(`${recordingBase(rid)}/listen?done=bookmark-added#timeline`, 303);
    return backToRecording(reply, rid, 'bookmark-added', 'bookmarks');
  });

  app.post('/recordings/:rid/bookmarks/:bid/remove', { config: MANAGE }, async (request, reply) => {
    const { rid, bid } = bookmarkParams.parse(request.params);
    await recordings.removeBookmark(request.actor!, requestContext(request), rid, bid);
    return backToRecording(reply, rid, 'bookmark-removed', 'bookmarks');
  });
}
