/**
 * The recording page: the recording's facts, statement, bookmarks and withheld parts, and
 * the status its "checking and storing" script polls.
 */
import type { FastifyInstance } from 'fastify';
import { readingContext, requestContext, text } from '../../../forms/index.ts';
import {
  DONE_MESSAGES,
  MANAGE,
  READ,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';
import { recordingBase, recordingModel, storingStatus } from '../recording-view.ts';

export function recordingPageRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  app.get('/recordings/:rid', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const detail = await recordings.detail(request.actor!, requestContext(request), rid);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    return recordingPage(reply, 'recording-page.njk', detail, recordingModel(detail).kindLabel, {
      done: Object.hasOwn(DONE_MESSAGES, doneKey) ? DONE_MESSAGES[doneKey] : null,
    });
  });

  /**
   * the chair or business support ask for a damaged playback copy to be made again from the original, when
   * no repair is under way (the service checks, audits and queues it). A refusal shows on the recording page.
   */
  app.post('/recordings/:rid/repair-playback', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    try {
      await recordings.requestPlaybackRepair(request.actor!, requestContext(request), rid);
    } catch (err) {
      const errors = ruleErrors(err);
      const detail = await recordings.detail(request.actor!, readingContext(request), rid);
      return recordingPage(reply, 'recording-page.njk', detail, recordingModel(detail).kindLabel, {}, errors);
    }
    return reply.redirect(`${recordingBase(rid)}?done=repair-queued#playback-repair`, 303);
  });

  /**
   * What the "checking and storing" page's script polls: the state of ingest only, as JSON. The same
   * access check as the recording page (a denial is audited); a successful poll is not audited, as
   * it shows nothing personal and nothing the audited view of the page did not already show.
   */
  app.get('/recordings/:rid/status', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const state = await recordings.status(request.actor!, requestContext(request), rid);
    reply.header('Cache-Control', 'no-store');
    return reply.send(storingStatus(rid, state));
  });
}
