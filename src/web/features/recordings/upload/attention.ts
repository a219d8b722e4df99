/**
 * Business support's list of recordings needing someone to act: audio that went missing before
 * it was stored (upload it again), and live recordings with audio still not stopped a week after they
 * began (stop it to store what arrived, or discard it with a reason). The service checks access to every
 * child of each conference and audits the view.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatBytes } from '../../../../domain/shared/bytes.ts';
import { formatLongDate } from '../../../plugins/format.ts';
import { bodyOf, readingContext, requestContext, text, type FormError, type FormValues } from '../../../forms/index.ts';
import {
  backToRecording,
  MANAGE,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';
import { ATTENTION_PATH, recordingBase, recordingModel } from '../recording-view.ts';

export function attentionRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  app.get(ATTENTION_PATH, { config: MANAGE }, async (request, reply) => {
    const list = await recordings.needingAttention(request.actor!, requestContext(request));
    const row = (r: (typeof list.audioMissing)[number]) => ({
      ...r,
      href: recordingBase(r.id),
      sinceText: formatLongDate(r.since),
      receivedText: formatBytes(r.receivedBytes),
    });
    const done = text((request.query ?? {}) as Record<string, unknown>, 'done');
    return reply.view('recordings/attention.njk', {
      title: 'Recordings that need attention',
      audioMissing: list.audioMissing.map(row),
      liveUnfinished: list.liveUnfinished.map(row),
      done: done === 'discarded' ? 'The recording is discarded.' : null,
    });
  });

  /** The discard page, or the recording's own page when the form was sent from there (`return=recording`). */
  const discardPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues,
    errors: FormError[] = [],
    fromRecording = false,
  ) => {
    const detail = await recordings.detail(request.actor!, readingContext(request), rid);
    if (fromRecording)
      return recordingPage(reply, 'recording-page.njk', detail, recordingModel(detail).kindLabel, { values }, errors);
    return recordingPage(reply, 'discard-form.njk', detail, 'Discard this live recording', { values }, errors);
  };

  app.get('/recordings/:rid/discard', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return discardPage(request, reply, rid, { reason: '' });
  });

  app.post('/recordings/:rid/discard', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { reason: text(body, 'reason') };
    const fromRecording = text(body, 'return', 20) === 'recording';
    try {
      await recordings.discardLive(request.actor!, requestContext(request), rid, values['reason'] as string);
    } catch (err) {
      return discardPage(request, reply, rid, values, ruleErrors(err), fromRecording);
    }
    if (fromRecording) return backToRecording(reply, rid, 'discarded', 'not-stored-why');
    return reply.redirect(`${ATTENTION_PATH}?done=discarded`, 303);
  });
}
