import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { childPlans } from '../../../infra/db/schema.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';
import { heldConference } from '../../../../test/support/plan-endings.ts';
import { as } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp } from '../../../../test/support/web.ts';

describe.each(testDatabases())('a conference’s plan after a team manager appointed the lead (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let manager: Actor;
  let lead: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    lead = await staff(ctx, 'Lee Lead', ['social_worker']);
    ctx.clock.current = new Date('2026-03-03T10:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.7: the plan page and the conference page name the lead social worker a team manager appointed, not "not appointed yet"', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    await ctx.services.database.db
      .update(childPlans)
      .set({ leadSocialWorkerUserId: null })
      .where(eq(childPlans.conferenceId, g.conferenceId));
    const { client } = await signedInClient(ctx, app, {
      email: emailOf(chair),
      name: chair.name,
      roles: [...chair.roles],
    });
    const base = `/conferences/${g.conferenceId}/meeting`;
    const selected = (html: string) =>
      /<option value="([^"]*)" selected>([^<]*)<\/option>/.exec(html)?.slice(1, 3) ?? null;
    const before = await client.get(`${base}/children/${g.children.ava}/plan`);
    expect(before.statusCode).toBe(200);
    // Nothing chosen: the first option, "Not appointed yet", shows.
    expect(selected(before.body)).toBeNull();
    expect(before.body).toContain('<option value="">Not appointed yet</option>');

    await ctx.services.coreGroups.appointLead(manager, g.children.ava, { userId: lead.id }, as(manager));
    const page = await client.get(`${base}/children/${g.children.ava}/plan`);
    expect(page.statusCode).toBe(200);
    expect(selected(page.body)).toEqual([lead.id, 'Lee Lead (appointed by a team manager)']);
    const overview = await client.get(base);
    expect(overview.body).toContain('Lead social worker: Lee Lead (appointed by a team manager)');
    expect(overview.body).not.toContain('Lead social worker: not appointed yet');
  });
});
