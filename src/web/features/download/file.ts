/** Downloading one file with the browser's grant: a limited number of times each. */
import { Transform, pipeline } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { bodyOf, requestContext, str } from '../../forms/index.ts';
import { type DownloadDeps, FORM, base, grantOf, landing, tokenOf, unavailableFor } from './pages.ts';

export function filePage(app: FastifyInstance, deps: DownloadDeps): void {
  app.post('/copy/:token/download', { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const fileId = str(bodyOf(request)['fileId']);
    const r = await deps.deliveries.download(token, grantOf(request), fileId, requestContext(request));
    switch (r.status) {
      case 'ok': {
        reply.header('Content-Type', r.contentType);
        reply.header('Content-Length', String(r.size));
        reply.header('Content-Disposition', `attachment; filename="${r.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
        // Counted only once every byte has been handed to the connection ('finish'); a connection closed first (the
        // requester's browser stopped, the network dropped) is recorded as interrupted and leaves the allowance.
        let bytes = 0;
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            done(null, chunk);
          },
        });
        // A failure on either side ends both; how the response ended is what is recorded below.
        pipeline(r.stream, counted, () => undefined);
        reply.raw.once('close', () => {
          const completed = reply.raw.writableFinished && bytes === r.size;
          r.finish({ completed, bytes }).catch((err: unknown) =>
            request.log.error({ err }, 'could not record how a download ended'),
          );
        });
        return reply.send(counted);
      }
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
}
