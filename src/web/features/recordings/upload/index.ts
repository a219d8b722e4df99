/**
 * A conference's recordings and how files made elsewhere get in: the list, describing an
 * upload, sending the file (resumable tus uploads with JavaScript, a plain file input without), and
 * the evidence and export pages. The upload's body parsers (multipart, tus) are registered in
 * this plugin's scope only. Every form works without JavaScript; the service checks access to every
 * child and audits.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestContext } from '../../../forms/index.ts';
import { MANAGE, type RecordingPagesOptions } from '../common.ts';
import { evidenceRoutes } from '../recording/evidence.ts';
import { exportRoutes } from '../recording/export.ts';
import { attentionRoutes } from './attention.ts';
import { describeRoutes } from './describe.ts';
import { recordingListRoutes } from './list.ts';
import { SEND_ROUTE, sendRoutes, TUS_PATH } from './send.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tusClientDist = path.resolve(here, '../../../../../node_modules/tus-js-client/dist');

export async function uploadPages(app: FastifyInstance, opts: RecordingPagesOptions): Promise<void> {
  const { recordings, uploads, recordingMaxBytes: maxBytes } = opts;
  await uploads.prepare();
  const tus = uploads.tus({ maxBytes, recordings, logger: app.log, path: TUS_PATH, contextOf: requestContext });

  // The tus client for the send-the-file page, served from node_modules (one file).
  await app.register(fastifyStatic, {
    root: tusClientDist,
    prefix: '/static/vendor/tus-js-client/',
    decorateReply: false,
    allowedPath: (p) => p === '/tus.min.js',
  });

  // A plain form upload is streamed to disk as it arrives, up to the configured limit (plus nothing:
  // busboy marks the part truncated when more arrives, and the file is refused).
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 200, parts: 6, headerPairs: 50 },
    throwFileSizeLimit: false,
  });
  // tus PATCH bodies are read by the tus server itself, straight from the request.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  // The CSRF check runs before a multipart body is read, so the plain upload form sends its token in
  // the query string (as the reports form does); it is the same session-bound token.
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== SEND_ROUTE) return;
    const token = (request.query as Record<string, unknown>)['_csrf'];
    if (typeof token === 'string' && !request.headers['x-csrf-token']) request.headers['x-csrf-token'] = token;
  });

  recordingListRoutes(app, opts);
  attentionRoutes(app, opts);
  describeRoutes(app, opts);
  sendRoutes(app, opts);

  // tus (resumable uploads): the tus server answers every method itself.
  const tusHandler = async (request: FastifyRequest, reply: FastifyReply) => tus.handle(request, reply);
  app.route({ method: ['POST', 'OPTIONS'], url: TUS_PATH, config: MANAGE, handler: tusHandler });
  app.route({
    method: ['PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
    url: `${TUS_PATH}/:uploadId`,
    config: MANAGE,
    handler: tusHandler,
  });

  evidenceRoutes(app, opts);
  exportRoutes(app, opts);
}
