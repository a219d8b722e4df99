/**
 * Staff pages for requests for copies of conference recordings (A-1 … A-10), one page or step per
 * file: the work queue (queue.ts), a conference's requests (conference-requests.ts), recording a
 * request (find-conference.ts, receive.ts), the chair's referral (referral.ts), the request's page
 * (request-page.ts) and each step taken on it (steps/), preparing and listening to the copy (copy.ts,
 * copy-player.ts), sending it (send.ts), cancelling its download link (cancel-link.ts) and sending a new link in
 * place of one that expired or was cancelled unused (new-link.ts). Every form
 * works without JavaScript and carries a CSRF token; the requests service checks who may see and do
 * what (every child of the conference; each step's roles) and audits every view.
 */
import type { FastifyInstance } from 'fastify';
import { cancelLinkRoutes } from './cancel-link.ts';
import { conferenceRequestsRoutes } from './conference-requests.ts';
import { copyRoutes } from './copy.ts';
import { copyPlayerRoutes } from './copy-player.ts';
import { findConferenceRoutes } from './find-conference.ts';
import { queueRoutes } from './queue.ts';
import { receiveRoutes } from './receive.ts';
import { referralRoutes } from './referral.ts';
import { requestPageRoutes } from './request-page.ts';
import { newLinkRoutes } from './new-link.ts';
import { sendRoutes } from './send.ts';
import type { RequestPagesOptions } from './shared.ts';
import { stepRoutes } from './steps/index.ts';

export type { RequestPagesOptions } from './shared.ts';

export async function requestRoutes(app: FastifyInstance, opts: RequestPagesOptions): Promise<void> {
  const { requests } = opts;
  await app.register(copyPlayerRoutes, { requests, disclosureCopies: opts.disclosureCopies });
  await app.register(findConferenceRoutes, { requests });
  await app.register(queueRoutes, { requests });
  await app.register(conferenceRequestsRoutes, { requests });
  await app.register(receiveRoutes, { requests });
  await app.register(requestPageRoutes, { requests });
  await app.register(stepRoutes, { requests });
  await app.register(copyRoutes, { requests });
  await app.register(sendRoutes, { requests });
  await app.register(cancelLinkRoutes, { requests });
  await app.register(newLinkRoutes, { requests });
  await app.register(referralRoutes, { requests });
}
