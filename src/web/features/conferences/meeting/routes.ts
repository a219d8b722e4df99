/**
 * The chair's view of a conference on the day, under /conferences/:id/meeting: opening it, the
 * register per part, quoracy, decisions per child (D-1), plans (T-3, T-9), the summary (003) and
 * concluding it. One page per file here; every form works without JavaScript; the service checks who
 * may do what and audits it.
 */
import type { FastifyInstance } from 'fastify';
import { arrivalRoutes } from './arrival.ts';
import { concludeRoutes } from './conclude.ts';
import { decisionRoutes } from './decision.ts';
import { exclusionRoutes } from './exclusion.ts';
import { historyRoutes } from './history.ts';
import { overviewRoutes } from './overview.ts';
import { partRoutes } from './part.ts';
import { partsRoutes } from './parts.ts';
import { planRoutes } from './plan.ts';
import { quoracyRoutes } from './quoracy.ts';
import { referralRoutes } from './referral.ts';
import { registerRoutes } from './register.ts';
import { type MeetingRoutesOptions, loader } from './shared.ts';
import { startRoutes } from './start.ts';
import { summaryRoutes } from './summary.ts';
import { viewsRoutes } from './views.ts';

export type { MeetingRoutesOptions };

export async function meetingRoutes(app: FastifyInstance, opts: MeetingRoutesOptions): Promise<void> {
  const pages = { ...opts, load: loader(opts.meeting) };
  overviewRoutes(app, pages);
  historyRoutes(app, pages);
  startRoutes(app, pages);
  partsRoutes(app, pages);
  partRoutes(app, pages);
  registerRoutes(app, pages);
  exclusionRoutes(app, pages);
  arrivalRoutes(app, pages);
  quoracyRoutes(app, pages);
  viewsRoutes(app, pages);
  decisionRoutes(app, pages);
  referralRoutes(app, pages);
  planRoutes(app, pages);
  summaryRoutes(app, pages);
  concludeRoutes(app, pages);
}
