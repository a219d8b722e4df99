/**
 * The chair (002 §4.1), under /conferences/:id/chair: changing the chair of a planned conference (with the reason
 * when the new chair is not independent of the case) and the chair's meeting with the child and family beforehand.
 * Reached from the conference's page, which shows both.
 */
import type { FastifyInstance } from 'fastify';
import { changeChairPages } from './change-chair.ts';
import { familyMeetingPages } from './family-meeting.ts';
import { coverChairPages } from './cover-chair.ts';
import type { ChairingPagesOptions } from './shared.ts';

export async function chairingRoutes(app: FastifyInstance, opts: ChairingPagesOptions): Promise<void> {
  changeChairPages(app, opts);
  familyMeetingPages(app, opts);
  coverChairPages(app, opts);
}
