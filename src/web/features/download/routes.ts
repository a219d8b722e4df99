import type { FastifyInstance } from 'fastify';
import { codePages } from './code.ts';
import { filePage } from './file.ts';
import { type DownloadDeps, PAGE, landing } from './pages.ts';

/**
 * The requester's download pages. No sign-in: the link's token is the key, a one-time code sent to
 * the verified address opens the files, and a short-lived grant in an HttpOnly, SameSite=Strict cookie
 * scoped to /copy/ lets the browser download. Every page is rate-limited per IP address; the token is
 * never logged (logs carry the route pattern, and the logger redacts /copy/<token> wherever it appears).
 */
export async function downloadRoutes(app: FastifyInstance, deps: DownloadDeps): Promise<void> {
  app.get('/copy/:token', { config: PAGE }, async (request, reply) => landing(deps, request, reply));
  codePages(app, deps);
  filePage(app, deps);
}
