/**
 * the dashboards of business support and chairs link to the recordings needing attention, with how many
 * there are; nobody else who sees a dashboard is shown the link (they may not open the list).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { recordings } from '../../../infra/db/recordings-schema.ts';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { emailOf, staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp } from '../../../../test/support/web.ts';

describe.each(testDatabases())('the dashboards’ link to recordings needing attention (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  const dashboardOf = async (actor: Actor) => {
    const { client } = await signedInClient(ctx, app, {
      email: emailOf(actor),
      name: actor.name,
      roles: [...actor.roles],
    });
    const page = await client.get('/dashboard');
    expect(page.statusCode).toBe(200);
    return page.body;
  };

  it('shows business support and a chair the link with the count, and a social worker no link', async () => {
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    ctx.clock.current = new Date('2026-03-03T09:00:00Z');
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    await ctx.services.database.db.insert(recordings).values({
      conferenceId: g.conferenceId,
      conferencePartId: g.partId,
      kind: 'meeting',
      source: 'teams',
      status: 'audio_missing',
      startedAt: new Date('2026-03-02T10:00:00Z'),
      createdBy: support.id,
    });
    const link = '<a class="govuk-link" href="/recordings/attention">Recordings that need attention (1)</a>';
    expect(await dashboardOf(support)).toContain(link);
    expect(await dashboardOf(chair)).toContain(link);
    expect(await dashboardOf(sw)).not.toContain('/recordings/attention');
  });
});
