import { eq } from 'drizzle-orm';
import type { MeetingRepository } from '../../../app/conferences/meeting-ports.ts';
import type { DbOrTx } from '../client.ts';
import { conferences } from '../schema.ts';

export function meetingRepository(db: DbOrTx): MeetingRepository {
  return {
    async conferenceExists(conferenceId) {
      const [row] = await db.select({ id: conferences.id }).from(conferences).where(eq(conferences.id, conferenceId));
      return Boolean(row);
    },
  };
}
