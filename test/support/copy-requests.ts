import { copyRequests } from '../../src/infra/db/requests-schema.ts';
import type { TestContext } from './services.ts';

/** A parent's request for a copy of a conference's recording, already verified, received and due by the test clock. */
export async function verifiedCopyRequest(ctx: TestContext, conferenceId: string): Promise<string> {
  const now = ctx.clock.now();
  const [row] = await ctx.services.database.db
    .insert(copyRequests)
    .values({
      conferenceId,
      state: 'verified',
      requesterType: 'parent',
      receivedOn: '2026-03-02',
      dueOn: '2026-04-02',
      data: {},
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: copyRequests.id });
  return row!.id;
}
