/**
 * Listening to a recording: a reason first (audited), then a player that streams the playback copy
 * with HTTP Range requests (see recording-range.ts), its waveform drawn by wavesurfer.js.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordingDetail } from '../../../../app/recordings/recording-service.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
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
import { answerRange, pieces } from '../recording-range.ts';
import { BOOKMARK_KIND_ITEMS, playerData, recordingBase, timeline } from '../recording-view.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const wavesurferDist = path.resolve(here, '../../../../../node_modules/wavesurfer.js/dist');

type Playback = Awaited<ReturnType<RecordingPagesOptions['recordings']['playback']>>;

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

/** Why the audio cannot be played (403 until a reason is given, 409 when not stored), or the error for the error pages. */
function blockedPage(reply: FastifyReply, rid: string, err: unknown) {
  if (err instanceof DomainError && err.code === 'COPY_DAMAGED') {
    // The copy failed its check (recorded and alerted by the service): a clear page, never a 500.
    reply.code(503).header('Retry-After', '3600');
    return reply.view('recordings/listen-blocked.njk', {
      title: err.message.startsWith('This recording is being repaired')
        ? 'This recording is being repaired'
        : 'This recording cannot be played just now',
      message: err.message,
      linkHref: recordingBase(rid),
      linkText: 'Go to the recording’s page',
    });
  }
  if (!(err instanceof DomainError && (err.code === 'REASON_NEEDED' || err.code === 'NOT_STORED'))) throw err;
  const reasonNeeded = err.code === 'REASON_NEEDED';
  reply.code(reasonNeeded ? 403 : 409);
  return reply.view('recordings/listen-blocked.njk', {
    title: reasonNeeded ? 'Give your reason before listening' : 'This recording cannot be played yet',
    message: err.message,
    linkHref: reasonNeeded ? `${recordingBase(rid)}/listen` : recordingBase(rid),
    linkText: reasonNeeded ? 'Say why you need to listen' : 'Go to the recording’s page',
  });
}

/**
 * The playback copy, or the part of it a Range header asks for (RFC 9110 §14), a piece at a time. The first
 * piece is read before anything is answered, so a copy that fails to decrypt gets the page saying so.
 */
async function sendAudio(request: FastifyRequest, reply: FastifyReply, player: Playback, rid: string) {
  reply.header('Accept-Ranges', 'bytes');
  reply.header('Cache-Control', 'no-store');
  const ifRange = request.headers['if-range'];
  const answer = answerRange(request.headers.range, player.size, Array.isArray(ifRange) ? ifRange[0] : ifRange);
  if (answer.kind === 'unsatisfiable') {
    return reply.code(416).header('Content-Range', `bytes */${player.size}`).send();
  }
  const [start, end] = answer.kind === 'partial' ? [answer.start, answer.end] : [0, player.size - 1];
  const ranges = end < start ? [] : [...pieces(start, end)];
  let first: Buffer | null = null;
  try {
    if (ranges[0]) first = await player.read(ranges[0][0], ranges[0][1]);
  } catch (err) {
    reply.removeHeader('Accept-Ranges');
    return blockedPage(reply, rid, err);
  }
  reply.type(player.mediaType);
  reply.header('Content-Length', String(Math.max(0, end - start + 1)));
  if (answer.kind === 'partial') reply.code(206).header('Content-Range', `bytes ${start}-${end}/${player.size}`);
  if (end < start) return reply.send(Buffer.alloc(0));
  const read = player.read;
  async function* body(): AsyncGenerator<Buffer> {
    if (first) yield first;
    for (const [a, b] of ranges.slice(1)) yield await read(a, b);
  }
  return reply.send(Readable.from(body(), { objectMode: false }));
}

export async function listenRoutes(
  app: FastifyInstance,
  { recordings }: Pick<RecordingPagesOptions, 'recordings'>,
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
    const { detail, until } = await recordings.listening(request.actor!, requestContext(request), rid);
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

  /**
   * The playback copy, decrypted a range at a time. Refused (403) until the person has given a
   * reason to listen, so every play is audited; the recording is looked up, access checked and the
   * copy found in one unit of work.
   */
  app.get('/recordings/:rid/audio', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    let player: Playback;
    try {
      player = await recordings.playback(request.actor!, requestContext(request), rid);
    } catch (err) {
      return blockedPage(reply, rid, err);
    }
    return sendAudio(request, reply, player, rid);
  });
}
