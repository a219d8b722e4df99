import { eq } from 'drizzle-orm';
import type { PeopleRepository } from '../../app/people/ports.ts';
import type { DbOrTx } from './client.ts';
import { childAccessGrants, children } from './schema.ts';

export function peopleRepository(db: DbOrTx): PeopleRepository {
  return {
    async childAccessFacts(childId) {
      const [child] = await db
        .select({ allocatedSocialWorkerId: children.allocatedSocialWorkerId, restricted: children.restricted })
        .from(children)
        .where(eq(children.id, childId));
      if (!child) return null;
      const grants = await db.select({ userId: childAccessGrants.userId }).from(childAccessGrants).where(eq(childAccessGrants.childId, childId));
      return { ...child, namedStaffIds: grants.map((g) => g.userId) };
    },
  };
}
