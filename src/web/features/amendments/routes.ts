/**
 * Amendments to the written record (W-5, T-8), under /conferences/:id/amendments: the conference's requests with
 * their due dates, recording a recipient's request point by point, and the request's page, where the conference's
 * chair decides each point with reasons, after which the letter giving the requester the decisions is prepared: the
 * request's page says where it stands (prepared, approved, issued, sent) and links to it. Every form works without
 * JavaScript; the use cases check who may do what, per conference, and audit it.
 */
import type { FastifyInstance } from 'fastify';
import { detailRoutes } from './detail.ts';
import { listRoutes } from './list.ts';
import { recordRoutes } from './record.ts';
import type { AmendmentPagesOptions } from './shared.ts';

export type { AmendmentPagesOptions };

export async function amendmentRoutes(app: FastifyInstance, opts: AmendmentPagesOptions): Promise<void> {
  listRoutes(app, opts);
  recordRoutes(app, opts);
  detailRoutes(app, opts);
}
