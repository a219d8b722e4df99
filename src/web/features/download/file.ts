/**
 * Downloading one file. Pressing Download (a form: CSRF, the browser's grant from the code) opens a download
 * window for the file and redirects to the window's address; fetching that address (GET) sends the file, whole or
 * as one byte range so a download that broke off can be resumed. The window's rules (how long it lasts, that
 * fetching within it never uses another download, that it counts once when the file's last byte has been written
 * out) are the delivery service's: src/app/requests/delivery-service.ts.
 *
 * HTTP Range (RFC 9110 §14), as the recording player answers it (../recordings/recording-range.ts):
 * - one range: 206 with `Content-Range`; a range that starts at or past the end (or `bytes=-0`): 416 with
 *   `Content-Range: bytes *\/size`;
 * - several ranges, another unit or a malformed header: the Range header is ignored and the whole file is sent (200);
 * - `If-Range`: the strong ETag (the file's SHA-256) must match exactly for the range to be sent; anything else
 *   (another ETag, a weak one, a date: no Last-Modified is sent) gets the whole file (200), so a resumed download
 *   never joins two versions of the file.
 * The window's address holds no personal data (the link's token, a signed window and the file's name); the logger
 * redacts the token and the window (redact.ts).
 */
import { Readable, Transform, pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { bodyOf, requestContext, str } from '../../forms/index.ts';
import { answerRange } from '../recordings/recording-range.ts';
import {
  type DownloadDeps,
  DOWNLOAD,
  FORM,
  base,
  grantOf,
  landing,
  tokenOf,
  unavailable,
  unavailableFor,
} from './pages.ts';

const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
const pathName = (name: string) => encodeURIComponent(name.replace(/[^A-Za-z0-9._-]/g, '_'));

export function filePage(app: FastifyInstance, deps: DownloadDeps): void {
  app.post('/copy/:token/download', { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const fileId = str(bodyOf(request)['fileId']);
    const r = await deps.deliveries.grantDownload(token, grantOf(request), fileId, requestContext(request));
    switch (r.status) {
      case 'ok':
        return reply.redirect(`${base(token)}/download/${r.window}/${pathName(r.fileName)}`, 303);
      case 'busy': {
        reply.code(409);
        const errors = [
          {
            text: 'This file is already being downloaded. Wait for that download to finish, then try again',
            href: `#file-${fileId}`,
          },
        ];
        return landing(deps, request, reply, { errors });
      }
      case 'no-grant':
        return reply.redirect(base(token), 303);
      case 'limit': {
        reply.code(409);
        const errors = [{ text: 'You have downloaded this file as many times as allowed', href: `#file-${fileId}` }];
        return landing(deps, request, reply, { errors });
      }
      case 'no-file':
        return unavailableFor(deps, token, reply, 'unknown');
      default:
        return unavailableFor(deps, token, reply, r.status);
    }
  });

  app.get('/copy/:token/download/:window/:name', { config: DOWNLOAD }, async (request, reply) => {
    const token = tokenOf(request);
    const { window } = request.params as { window: string };
    const r = await deps.deliveries.fetchDownload(token, window, requestContext(request));
    reply.header('Cache-Control', 'no-store');
    switch (r.status) {
      case 'ok':
        break;
      case 'no-window':
      case 'no-file':
        return unavailableFor(deps, token, reply, 'unknown');
      case 'window-expired':
      case 'changed':
        return unavailable(reply, r.status, deps.replyTo, 'recording', base(token));
      default:
        return unavailableFor(deps, token, reply, r.status);
    }
    const etag = `"${r.sha256}"`;
    const ifRange = first(request.headers['if-range']);
    // If-Range: only the exact strong ETag lets a range through; anything else is answered with the whole file.
    const answer = answerRange(
      first(request.headers.range),
      r.size,
      ifRange === undefined || ifRange === etag ? undefined : ifRange,
    );
    reply.header('Accept-Ranges', 'bytes');
    reply.header('ETag', etag);
    if (answer.kind === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${r.size}`).send();
    const range = answer.kind === 'partial' ? { start: answer.start, end: answer.end } : null;
    const [start, end] = range ? [range.start, range.end] : [0, r.size - 1];
    const length = Math.max(0, end - start + 1);
    const opened = await r.open(range);
    if (opened.status === 'damaged') return unavailableFor(deps, token, reply, 'damaged');
    reply.header('Content-Disposition', attachment(r.fileName));
    reply.header('Content-Length', String(length));
    if (range) reply.code(206).header('Content-Range', `bytes ${start}-${end}/${r.size}`);
    reply.type(opened.contentType);
    // HEAD (a download manager asking the size before it resumes): the headers only, never counted.
    if (request.method === 'HEAD') {
      opened.stream.destroy();
      // An empty stream, so Fastify's HEAD handling keeps the Content-Length above (it sets 0 for no payload).
      return reply.send(Readable.from([]));
    }
    return send(reply, opened.stream, length, (completed) =>
      r.finish({ completed, end }).catch((err: unknown) => request.log.error({ err }, 'could not record a download')),
    );
  });
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Streams `length` bytes and reports, once the response has ended, whether every one was handed to the connection
 * ('finish'): a connection closed first (the browser stopped, the network dropped) is not a completed response.
 */
function send(reply: FastifyReply, stream: NodeJS.ReadableStream, length: number, ended: (completed: boolean) => void) {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // A failure on either side ends both; how the response ended is what is reported.
  pipeline(stream, counted, () => undefined);
  reply.raw.once('close', () => ended(reply.raw.writableFinished && bytes === length));
  return reply.send(counted);
}
