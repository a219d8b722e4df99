/**
 * The recording page and what hangs off it: the explanatory statement, the label,
 * bookmarks, withheld parts, and listening. Every form works without JavaScript; the service checks
 * who may see or change each recording (access to every child in the conference) and audits it.
 * (The evidence and export pages are registered with the upload pages, whose scope they have always
 * shared.)
 */
import type { FastifyInstance } from 'fastify';
import type { RecordingPagesOptions } from '../common.ts';
import { bookmarkRoutes } from './bookmarks.ts';
import { labelRoutes } from './label.ts';
import { listenRoutes } from './listen.ts';
import { recordingPageRoutes } from './page.ts';
import { statementRoutes } from './statement.ts';
import { withheldRoutes } from './withheld.ts';

export async function recordingPages(app: FastifyInstance, opts: RecordingPagesOptions): Promise<void> {
  await listenRoutes(app, opts);
  recordingPageRoutes(app, opts);
  labelRoutes(app, opts);
  statementRoutes(app, opts);
  bookmarkRoutes(app, opts);
  withheldRoutes(app, opts);
}
