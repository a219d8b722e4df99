/**
 * Listening to a recording: a reason first (audited), then a player that streams the playback copy
 * with HTTP Range requests (see recording-range.ts), its waveform drawn by wavesurfer.js.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RecordingDetail } from '../../../../app/recordings/recording-service.ts';
import { formatLongDate } from '../../../plugins/format.ts';
import { bodyOf, readingContext, requestContext, text, type FormError, type FormValues } from '../../../forms/index.ts';
import {
  DONE_MESSAGES,
  READ,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';
import { audioRoutes, setGrant } from './audio.ts';
import { BOOKMARK_KIND_ITEMS, playerData, recordingBase, timeline } from '../recording-view.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const wavesurferDist = path.resolve(here, '../../../../../node_modules/wavesurfer.js/dist');

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const DRAFT_PATH = new RegExp(`^/conferences/${UUID}/documents/${UUID}$`);

/**
 * Where to go once the reason is given, when the person came from a draft of the written record to listen
 * beside it: only that draft's own path on this site (`/conferences/<id>/documents/<id>`), nothing else, so
 * the parameter can never send anyone to another site or page.
 */
export function draftReturnPath(value: unknown): string | null {
  return typeof value === 'string' && DRAFT_PATH.test(value) ? value : null;
}

/** The draft page again, with this recording chosen in its player. */
const backToDraft = (returnTo: string, rid: string) => `${returnTo}?listen=${rid}#recording`;

const reasonPage = (
  reply: FastifyReply,
  detail: RecordingDetail,
  values: FormValues,
  errors: FormError[] = [],
  returnTo: string | null = null,
) =>
  recordingPage(
    reply,
    'listen-reason.njk',
    detail,
    'Why do you need to listen to this recording?',
    { values, returnTo },
    errors,
  );

export async function listenRoutes(
  app: FastifyInstance,
  { recordings, cookieSecure }: Pick<RecordingPagesOptions, 'recordings' | 'cookieSecure'>,
): Promise<void> {
  // wavesurfer.js for the player, straight from its package (ES modules only). Under /static/ so it
  // is public and cacheable like the service's own scripts.
  await app.register(fastifyStatic, {
    root: wavesurferDist,
    prefix: '/static/vendor/wavesurfer/',
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (p) => /^\/(?:plugins\/)?[a-z-]+\.esm\.js$/.test(p),
  });

  app.get('/recordings/:rid/listen', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const { detail, until, grant } = await recordings.listening(request.actor!, requestContext(request), rid, {
      grant: true,
    });
    if (detail.recording.status !== 'stored' || !detail.playback)
      return recordingPage(reply, 'listen-unavailable.njk', detail, 'This recording cannot be played yet');
    if (detail.playbackDamaged)
      return recordingPage(
        reply.code(503),
        'listen-unavailable.njk',
        detail,
        detail.playbackRepair === 'impossible'
          ? 'This recording cannot be played'
          : detail.playbackRepair === 'repairing'
            ? 'This recording is being repaired'
            : 'This recording cannot be played just now',
        { damaged: true },
      );
    const query = (request.query ?? {}) as Record<string, unknown>;
    const returnTo = draftReturnPath(query['returnTo']);
    if (!until) return reasonPage(reply, detail, { reason: '' }, [], returnTo);
    // The player's Range requests carry a short-lived grant instead of repeating the access check.
    if (grant) setGrant(reply, rid, grant, cookieSecure);
    const cspNonce = (reply as FastifyReply & { cspNonce?: { style?: string } }).cspNonce;
    return recordingPage(reply, 'player-page.njk', detail, 'Listen to the recording', {
      done: text(query, 'done') === 'bookmark-added' ? DONE_MESSAGES['bookmark-added'] : null,
      untilText: formatLongDate(until),
      timeline: timeline(detail),
      playerData: playerData(detail),
      styleNonce: cspNonce?.style ?? '',
      kindItems: BOOKMARK_KIND_ITEMS,
      values: { at: '', kind: '', label: '' },
    });
  });

  app.post('/recordings/:rid/listen', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = { reason: text(body, 'reason') };
    const returnTo = draftReturnPath(body['returnTo']);
    try {
      // Inside the try: a reason with hidden characters comes back as its field's error on this form.
      await recordings.startListening(request.actor!, requestContext(request), rid, values['reason'] as string);
    } catch (err) {
      const errors = ruleErrors(err);
      const detail = await recordings.detail(request.actor!, readingContext(request), rid);
      return reasonPage(reply, detail, values, errors, returnTo);
    }
    return reply.redirect(returnTo ? backToDraft(returnTo, rid) : `${recordingBase(rid)}/listen`, 303);
  });

  await audioRoutes(app, { recordings, cookieSecure });
}
