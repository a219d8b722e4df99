/**
 * R-3, R-4: the count on the dashboards' link to the recordings needing attention is what the list itself shows the
 * person: audio missing, and live recordings from a browser not stopped a week after they began; none of a
 * conference with a child they may not see; no count (no link) for anyone who may not open the list.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { children } from '../../infra/db/schema.ts';
import { recordings } from '../../infra/db/recordings-schema.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { countingServices } from '../../../test/support/dashboard-fixtures.ts';
import { staff } from '../../../test/support/people.ts';
import { as } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';

const NOW = new Date('2026-03-20T09:00:00Z');
const DAY = 86_400_000;

describe.each(testDatabases())('R-3, R-4: how many recordings need attention (%s)', (kind) => {
  let ctx: TestContext;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A recording row of the conference in a state, begun `daysAgo` days before NOW. */
  const row = async (
    g: { conferenceId: string; partId: string },
    r: { status: string; source: string; receivedBytes: number; daysAgo: number },
  ) =>
    ctx.services.database.db.insert(recordings).values({
      conferenceId: g.conferenceId,
      conferencePartId: g.partId,
      kind: 'meeting',
      source: r.source,
      status: r.status,
      receivedBytes: r.receivedBytes,
      startedAt: new Date(NOW.getTime() - r.daysAgo * DAY),
      createdBy: support.id,
    });

  const listed = async (actor: Actor) => {
    const list = await ctx.services.recordings.needingAttention(actor, as(actor));
    return list.audioMissing.length + list.liveUnfinished.length;
  };

  it('counts what the list shows each person, and gives no count to someone who may not open the list', async () => {
    ctx.clock.current = NOW;
    const count = (actor: Actor) => ctx.services.recordingsAttention.count(actor);
    expect(await count(support)).toBe(0);

    const open = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Owen' });
    await row(open, { status: 'audio_missing', source: 'teams', receivedBytes: 0, daysAgo: 1 });
    await row(open, { status: 'receiving', source: 'browser', receivedBytes: 4000, daysAgo: 8 });
    // Not yet: live for a day, live with nothing received, a hand-over still arriving, and a stored one.
    await row(open, { status: 'receiving', source: 'browser', receivedBytes: 4000, daysAgo: 1 });
    await row(open, { status: 'receiving', source: 'browser', receivedBytes: 0, daysAgo: 8 });
    await row(open, { status: 'receiving', source: 'teams', receivedBytes: 4000, daysAgo: 8 });
    await row(open, { status: 'rejected', source: 'teams', receivedBytes: 0, daysAgo: 8 });

    // A conference with a restricted child on whose record business support is not named.
    const hidden = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held', familyName: 'Ross' });
    await ctx.services.database.db
      .update(children)
      .set({ restricted: true })
      .where(eq(children.id, hidden.children.ben));
    await row(hidden, { status: 'audio_missing', source: 'teams', receivedBytes: 0, daysAgo: 2 });

    expect(await count(support)).toBe(2);
    expect(await listed(support)).toBe(2);
    expect(await count(chair)).toBe(await listed(chair));
    expect(await count(sw)).toBeNull();
  });
});

describe('R-3, R-4: the count is light', () => {
  it('runs one statement when nothing needs attention, as on most days', async () => {
    const run = await countingServices();
    try {
      const { services, counter } = run;
      const u = await services.accounts.createUser(
        {
          email: 'support.one@example.gov.uk',
          name: 'Support One',
          roles: ['business_support'],
          password: 'correct horse battery staple',
        },
        { actor: { id: null, label: 'test' } },
      );
      counter.reset();
      expect(await services.recordingsAttention.count({ id: u.id, name: u.name, roles: u.roles })).toBe(0);
      expect(counter.count).toBe(1);
    } finally {
      await run.dispose();
    }
  }, 120_000);
});
