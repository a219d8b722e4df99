/** Downloading one file with the browser's grant: a limited number of times each. */
import type { FastifyInstance } from 'fastify';
import { bodyOf, requestContext, str } from '../../forms/index.ts';
import { type DownloadDeps, FORM, base, grantOf, landing, tokenOf, unavailableFor } from './pages.ts';

export function filePage(app: FastifyInstance, deps: DownloadDeps): void {
  app.post('/copy/:token/download', { config: FORM }, async (request, reply) => {
    const token = tokenOf(request);
    const fileId = str(bodyOf(request)['fileId']);
    const r = await deps.deliveries.download(token, grantOf(request), fileId, requestContext(request));
    switch (r.status) {
      case 'ok':
        reply.header('Content-Type', r.contentType);
        reply.header('Content-Length', String(r.size));
        reply.header('Content-Disposition', `attachment; filename="${r.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
        return reply.send(r.stream);
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
