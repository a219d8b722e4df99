import { eq } from 'drizzle-orm';
import type { DashboardRepository } from '../../../app/conferences/dashboard-ports.ts';
import type { DbOrTx } from '../client.ts';
import { conferences } from '../schema.ts';

export function dashboardRepository(db: DbOrTx): DashboardRepository {
  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },
  };
}
