/**
 * The decision-makers' list (T-11, P-3): requests to record waiting for a decision or the signed undertaking, soonest
 * meeting first with the time left, and decisions not yet confirmed to the requester. Only requests about children
 * the person may see are listed.
 */
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../../forms/index.ts';
import { type RecordingPermissionPagesOptions, VIEW, render, rowOf } from './shared.ts';

export function waitingPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.get('/recording-permission', { config: VIEW }, async (request, reply) => {
    const { waiting, unconfirmed } = await recordingPermission.waiting(request.actor!, requestContext(request));
    return render(reply, 'waiting.njk', 'Requests to record meetings', {
      waiting: waiting.map((w) => ({ ...rowOf(w.request), mine: w.mine })),
      unconfirmed: unconfirmed.map((w) => rowOf(w.request)),
    });
  });
}
