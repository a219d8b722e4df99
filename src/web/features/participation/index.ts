/**
 * Participation in a conference (002 §3.2, 001), under /conferences/:id/participation: whether each child attends,
 * friends and supporters barred, advocates' roles, parents' help and their own reports. Reached from the conference's
 * page and its reports.
 */
import type { FastifyInstance } from 'fastify';
import { childPages } from './child.ts';
import { overviewPages } from './overview.ts';
import { parentPages } from './parents.ts';
import type { ParticipationPagesOptions } from './shared.ts';
import { supporterPages } from './supporters.ts';

export async function participationRoutes(app: FastifyInstance, opts: ParticipationPagesOptions): Promise<void> {
  overviewPages(app, opts);
  childPages(app, opts);
  supporterPages(app, opts);
  await parentPages(app, opts);
}
