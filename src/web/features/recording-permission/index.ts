/**
 * Permission to record a meeting (P-1, P-2, P-3, P-6, T-11): under /conferences/:id/recording-permission and
 * /children/:childId/recording-permission (the lists and a new request), /recording-permission/:requestId (a
 * request: the undertaking, professionals' views, the decision and its confirmation) and /recording-permission
 * (the decision-makers' list). Reached from the conference's page and the child's record.
 */
import type { FastifyInstance } from 'fastify';
import { confirmPages } from './confirm.ts';
import { decidePages } from './decide.ts';
import { linkPages } from './link.ts';
import { listPages } from './list.ts';
import { newRequestPages } from './new.ts';
import { requestPages } from './request.ts';
import type { RecordingPermissionPagesOptions } from './shared.ts';
import { sendLinkPage, undertakingPages } from './undertaking.ts';
import { viewPages } from './views.ts';
import { waitingPages } from './waiting.ts';

export async function recordingPermissionRoutes(
  app: FastifyInstance,
  opts: RecordingPermissionPagesOptions,
): Promise<void> {
  listPages(app, opts);
  newRequestPages(app, opts);
  requestPages(app, opts);
  undertakingPages(app, opts);
  viewPages(app, opts);
  decidePages(app, opts);
  confirmPages(app, opts);
  waitingPages(app, opts);
  linkPages(app, opts);
  sendLinkPage(app, opts);
}
