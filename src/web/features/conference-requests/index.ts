/**
 * Professionals asking for a conference (002 §1.1): /children/:childId/conference-requests (a child's requests and
 * recording one), /conference-requests/:requestId (a request, and the team manager's decision) and
 * /conference-requests (the team manager's queue). Reached from the child's record and the home page.
 */
import type { FastifyInstance } from 'fastify';
import { decidePages } from './decide.ts';
import { listPages } from './list.ts';
import { newPages } from './new.ts';
import { requestPages } from './request.ts';
import type { ConferenceRequestPagesOptions } from './shared.ts';
import { waitingPages } from './waiting.ts';

export async function conferenceRequestRoutes(
  app: FastifyInstance,
  opts: ConferenceRequestPagesOptions,
): Promise<void> {
  listPages(app, opts);
  newPages(app, opts);
  requestPages(app, opts);
  decidePages(app, opts);
  waitingPages(app, opts);
}
