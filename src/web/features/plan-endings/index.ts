/**
 * Plans ending, stepping down and moving away (002 §3.8, §3.9): under /children/:id/plan-ending (the child's plan,
 * another reason it ends, the agencies told, transfer out) and /conferences/:id/meeting/children/:childId/step-down
 * (the child in need or team around the child plan a conference records). Reached from the child's record and the
 * conference's plan page.
 */
import type { FastifyInstance } from 'fastify';
import { actionPages } from './actions.ts';
import { endingPages } from './ending.ts';
import type { PlanEndingPagesOptions } from './shared.ts';
import { statusPage } from './status.ts';
import { stepDownPages } from './step-down.ts';
import { transferPages } from './transfer.ts';

export async function planEndingRoutes(app: FastifyInstance, opts: PlanEndingPagesOptions): Promise<void> {
  statusPage(app, opts);
  endingPages(app, opts);
  transferPages(app, opts);
  actionPages(app, opts);
  stepDownPages(app, opts);
}
