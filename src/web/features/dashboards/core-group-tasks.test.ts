import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { as, conferenceWithCoreGroups } from '../../../../test/support/core-groups.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { apiToken } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { testApp } from '../../../../test/support/web.ts';

/** The rows of one section's table on the dashboard page: each row's text, squashed. */
function sectionRows(html: string, section: string): string[] {
  const table = new RegExp(`<table[^>]*data-section="${section}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  return [...table.matchAll(/<tr class="govuk-table__row" data-item[\s\S]*?<\/tr>/g)].map((m) =>
    m[0]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe.each(testDatabases())('core group tasks on the dashboard, 002 §3.7, §3.2 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let manager: Actor;
  let held: SiblingGroupConference;
  let planned: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    held = await conferenceWithCoreGroups(ctx, { socialWorker: sw, chair, support }, { leadForAva: false });
    planned = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Nowak' });
    await ctx.services.convening.recordInterpreterNeed(
      support,
      planned.conferenceId,
      planned.invitee.mother,
      { interpreterNeeded: true, interpreterLanguage: 'Polish' },
      as(support),
    );
    // Two working days before the first core group on 12 March 2026.
    ctx.clock.current = new Date('2026-03-10T09:00:00Z');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.7: each child whose first core group is due soon is listed, linked to their core group, until a later one is recorded', async () => {
    const page = await (await staffClient(ctx, app, sw)).get('/dashboard?section=core-groups');
    expect(page.statusCode).toBe(200);
    const rows = sectionRows(page.body, 'core-groups');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/Due soon The first core group is due by 12 March 2026 .* No meeting booked/);
    expect(page.body).toContain(`href="/children/${held.children.ava}/core-groups"`);

    // Recorded on the day: the next is due 6 weeks later, so Ben leaves the section.
    ctx.clock.current = new Date('2026-03-12T15:00:00Z');
    const m = await ctx.services.coreGroups.schedule(
      sw,
      held.children.ben,
      { date: '2026-03-12' as never, chairUserId: sw.id },
      as(sw),
    );
    await ctx.services.coreGroups.record(
      sw,
      m.id,
      {
        version: 1,
        attendance: {
          [held.invitee.mother]: 'attended',
          [held.invitee.socialWorker]: 'attended',
          [held.invitee.school]: 'attended',
        },
        progress: [
          { ordinal: 1, progress: 'in-progress', note: null },
          { ordinal: 2, progress: 'in-progress', note: null },
        ],
        notes: null,
      },
      as(sw),
    );
    const view = await ctx.services.dashboards.view(sw, { section: 'core-groups' }, as(sw));
    expect(view.sections[0]!.items.map((i) => i.concerning.map((k) => k.id))).toEqual([[held.children.ava]]);
    ctx.clock.current = new Date('2026-03-10T09:00:00Z');
  });

  it('002 §3.7: a plan with no lead social worker is a task for team managers only, due by the first core group, until one is appointed', async () => {
    const page = await (await staffClient(ctx, app, manager)).get('/dashboard');
    const rows = sectionRows(page.body, 'lead-social-worker');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Ava Okafor');
    expect(rows[0]).toContain('Appoint by the first core group on Thursday 12 March 2026');
    expect(page.body).toContain(`href="/children/${held.children.ava}/lead-social-worker"`);

    const swView = await ctx.services.dashboards.view(sw, {}, as(sw));
    expect(swView.visibleSections).not.toContain('lead-social-worker');
    expect(swView.counts['lead-social-worker']).toBe(0);
    const asked = await (await staffClient(ctx, app, sw)).get('/dashboard?section=lead-social-worker');
    expect(asked.statusCode).toBe(400);

    await ctx.services.coreGroups.appointLead(manager, held.children.ava, { userId: sw.id }, as(manager));
    const after = await ctx.services.dashboards.view(manager, { section: 'lead-social-worker' }, as(manager));
    expect(after.sections[0]!.items).toEqual([]);
  });

  it('002 §3.2: a planned conference where someone needs an interpreter and none is invited is listed for chairs and business support, and warned on its page', async () => {
    for (const who of [chair, support]) {
      const view = await ctx.services.dashboards.view(who, { section: 'interpreters', chair: 'all' }, as(who));
      expect(view.sections[0]!.items).toMatchObject([
        { conference: { id: planned.conferenceId }, missing: [{ language: 'Polish', people: 1 }] },
      ]);
    }
    expect((await ctx.services.dashboards.view(sw, {}, as(sw))).visibleSections).not.toContain('interpreters');
    const supportClient = await staffClient(ctx, app, support);
    const conferencePage = await supportClient.get(`/conferences/${planned.conferenceId}`);
    expect(conferencePage.body).toContain('No interpreter is invited for Polish (1 person needs one)');
    const dashboard = await supportClient.get('/dashboard?section=interpreters');
    expect(sectionRows(dashboard.body, 'interpreters')[0]).toContain('Polish: 1 person needs an interpreter');
    expect(dashboard.body).toContain(`href="/conferences/${planned.conferenceId}/invitations/interpreter"`);
    const [audit] = (await auditRows(ctx, 'dashboard.view')).slice(-1);
    expect(JSON.stringify(audit!.details)).not.toMatch(/Polish|Nowak/);
  });

  it('the JSON API lists the same tasks, with the sections each caller sees (API parity)', async () => {
    const token = await apiToken(ctx, manager);
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard?section=lead-social-worker',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.visibleSections).toEqual(expect.arrayContaining(['core-groups', 'lead-social-worker']));
    expect(body.visibleSections).not.toContain('interpreters');
    expect(body.sections).toHaveLength(1);
    const supportToken = await apiToken(ctx, support);
    const interpreters = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard?section=interpreters&chair=all',
      headers: { authorization: `Bearer ${supportToken}` },
    });
    expect(interpreters.json().sections[0].items).toMatchObject([
      { section: 'interpreters', due: null, missing: [{ language: 'Polish', people: 1 }] },
    ]);
    const refused = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard?section=interpreters',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.statusCode).toBe(422);
  });
});
