import { eq } from 'drizzle-orm';
import type { ConveningRepository } from '../../../app/conferences/convening-ports.ts';
import type { DbOrTx } from '../client.ts';
import { conferenceChildren, conferences } from '../schema.ts';

export function conveningRepository(db: DbOrTx): ConveningRepository {
  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },
    async conferenceChildIds(conferenceId) {
      if (!(await this.conferenceExists(conferenceId))) return null;
      const rows = await db.select({ childId: conferenceChildren.childId }).from(conferenceChildren).where(eq(conferenceChildren.conferenceId, conferenceId));
      return rows.map((r) => r.childId);
    },
  };
}
