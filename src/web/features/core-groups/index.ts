/**
 * Core groups (002 §3.7, §3.10, §3.11): /children/:childId/core-groups (the child's core group, when the next meeting
 * is due, scheduling one), /children/:childId/lead-social-worker (a team manager appoints one), /core-groups/:meetingId
 * (a meeting and its record). Reached from the child's record and the dashboard.
 */
import type { FastifyInstance } from 'fastify';
import { groupPage } from './group.ts';
import { leadPages } from './lead.ts';
import { meetingPage } from './meeting.ts';
import { recordPages } from './record.ts';
import { schedulePages } from './schedule.ts';
import type { CoreGroupPagesOptions } from './shared.ts';

export async function coreGroupRoutes(app: FastifyInstance, opts: CoreGroupPagesOptions): Promise<void> {
  groupPage(app, opts);
  schedulePages(app, opts);
  meetingPage(app, opts);
  recordPages(app, opts);
  leadPages(app, opts);
}
