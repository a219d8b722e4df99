/**
 * The playback copy over HTTP Range requests (see recording-range.ts), and the short-lived playback grant the
 * player's requests carry: a cookie scoped to this recording's audio path only, HttpOnly and SameSite
 * Strict, holding a grant the service signed for this user and recording. With it a Range request is one lookup;
 * without it (or once it expires) the full access check runs and a new grant is sent back.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { requestContext } from '../../../forms/index.ts';
import { READ, recordingParams, type RecordingPagesOptions } from '../common.ts';
import { answerRange, pieces } from '../recording-range.ts';
import { recordingBase } from '../recording-view.ts';

type Recordings = RecordingPagesOptions['recordings'];
type Playback = Awaited<ReturnType<Recordings['playback']>>;
type Grant = NonNullable<Playback['grant']>;

/** The grant cookie's name: `__Secure-` over HTTPS (its path is the recording's, so `__Host-` cannot be used). */
export const playGrantCookie = (secure: boolean) => (secure ? '__Secure-cpcr_play' : 'cpcr_play');

/** Sets the grant cookie, for this recording's audio path only, until the grant expires. */
export function setGrant(reply: FastifyReply, rid: string, grant: Grant, secure: boolean): void {
  reply.setCookie(playGrantCookie(secure), grant.token, {
    path: `${recordingBase(rid)}/audio`,
    httpOnly: true,
    sameSite: 'strict',
    secure,
    maxAge: grant.seconds,
  });
}

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
    player.close();
    return reply.code(416).header('Content-Range', `bytes */${player.size}`).send();
  }
  const [start, end] = answer.kind === 'partial' ? [answer.start, answer.end] : [0, player.size - 1];
  const ranges = end < start ? [] : [...pieces(start, end)];
  let first: Buffer | null = null;
  try {
    if (ranges[0]) first = await player.read(ranges[0][0], ranges[0][1]);
  } catch (err) {
    player.close();
    reply.removeHeader('Accept-Ranges');
    return blockedPage(reply, rid, err);
  }
  reply.type(player.mediaType);
  reply.header('Content-Length', String(Math.max(0, end - start + 1)));
  if (answer.kind === 'partial') reply.code(206).header('Content-Range', `bytes ${start}-${end}/${player.size}`);
  if (end < start) {
    player.close();
    return reply.send(Buffer.alloc(0));
  }
  // The stored file stays open for this response only: closed when it ends, however it ends.
  reply.raw.once('close', () => player.close());
  const read = player.read;
  async function* body(): AsyncGenerator<Buffer> {
    if (first) yield first;
    for (const [a, b] of ranges.slice(1)) yield await read(a, b);
  }
  return reply.send(Readable.from(body(), { objectMode: false }));
}

export async function audioRoutes(
  app: FastifyInstance,
  { recordings, cookieSecure }: Pick<RecordingPagesOptions, 'recordings' | 'cookieSecure'>,
): Promise<void> {
  /**
   * The playback copy, decrypted a range at a time. Refused (403) until the person has given a reason to listen,
   * so every play is audited. With a valid playback grant, one lookup; else the recording is looked up, access
   * checked and the copy found in one unit of work, and a new grant (its issue audited) is sent back.
   */
  app.get('/recordings/:rid/audio', { config: READ }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    let player: Playback;
    try {
      player = await recordings.playback(request.actor!, requestContext(request), rid, {
        grant: request.cookies[playGrantCookie(cookieSecure)],
      });
    } catch (err) {
      return blockedPage(reply, rid, err);
    }
    if (player.grant) setGrant(reply, rid, player.grant, cookieSecure);
    return sendAudio(request, reply, player, rid);
  });
}
