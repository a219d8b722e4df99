import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { exclusionDetails } from '../participation-schema.ts';
import { attendance } from '../schema.ts';

/** The migration's last statement: exclusions recorded before the criteria were kept. */
const MOVE_EXISTING = readFileSync(new URL('../migrations/0030_participation.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .at(-1)!
  .split('\n')
  .filter((l) => !l.startsWith('--'))
  .join('\n');

describe.each(testDatabases())('0030_participation: exclusions already recorded (%s)', (kind) => {
  let ctx: TestContext;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.2: an exclusion recorded before the criteria keeps its reason and views as "another", and stays valid', async () => {
    const { db } = ctx.services.database;
    await db.insert(attendance).values([
      {
        partId: g.partId,
        inviteeId: g.invitee.father,
        status: 'excluded',
        exclusionExtent: 'full',
        exclusionReason: 'Threats to the mother',
        howViewsHeard: 'His statement was read out',
      },
      { partId: g.partId, inviteeId: g.invitee.mother, status: 'attended' },
    ]);
    await db.execute(sql.raw(MOVE_EXISTING));
    const rows = await db.select().from(exclusionDetails).where(eq(exclusionDetails.partId, g.partId));
    expect(rows).toEqual([
      {
        partId: g.partId,
        inviteeId: g.invitee.father,
        criteria: ['other'],
        otherReason: 'Threats to the mother',
        toldOrallyOn: null,
        toldOrallyBy: null,
        toldInWritingOn: null,
        toldInWritingBy: null,
        viewsRoutes: ['other'],
        viewsNote: 'His statement was read out',
        recordedBeforeCriteria: true,
      },
    ]);
    const view = await ctx.services.participation.overview(
      await staff(ctx, 'Sam Worker', ['social_worker']),
      g.conferenceId,
      { actor: { id: null, label: 'test' }, correlationId: 'test' },
    );
    expect(view.exclusions[0]).toMatchObject({ recordedBeforeCriteria: true, criteria: ['other'] });
  });
});
