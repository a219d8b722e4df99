import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { clientFor as staffClient, dateFields } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { seedConference } from '../../../../test/support/conferences.ts';
import { heldConference } from '../../../../test/support/plan-endings.ts';
import { errorSummary } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { type WebClient, testApp } from '../../../../test/support/web.ts';

describe.each(testDatabases())('plan ending pages, 002 §3.8, §3.9 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let manager: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    ctx.clock.current = new Date('2026-03-25T09:00:00Z');
    chairClient = await staffClient(ctx, app, chair);
    supportClient = await staffClient(ctx, app, support);
    swClient = await staffClient(ctx, app, sw);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.8: with no plan needed, the plan page leads to the outline child in need plan, which the chair saves', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'no-plan', status: 'in-progress' });
    const base = `/conferences/${g.conferenceId}/meeting/children/${g.children.ava}`;
    const plan = await chairClient.get(`${base}/plan`);
    expect(plan.statusCode).toBe(303);
    expect(plan.headers.location).toBe(`${base}/step-down`);
    const page = await chairClient.get(`${base}/step-down`);
    expect(page.body).toContain('Child in need plan for Ava');
    const bad = await chairClient.post(`${base}/step-down`, {
      kind: 'child-in-need',
      leadProfessional: 'Sam Worker',
      services: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body).map((e) => e.split(':')[0])).toEqual(['#services']);
    expect(bad.body).toContain('value="Sam Worker"');
    const ok = await chairClient.post(`${base}/step-down`, {
      kind: 'child-in-need',
      leadProfessional: 'Sam Worker',
      services: 'Family support worker weekly',
    });
    expect(ok.statusCode).toBe(303);
    expect((await chairClient.get(`${base}/step-down`)).body).toContain('Version 1 is recorded');
  });

  it('002 §3.9: a review ends the plan: recording it tells every agency, shown on the page and the child’s record', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    const page = `/children/${g.children.ava}/plan-ending`;
    expect((await supportClient.get(page)).body).toContain('Record the ending and tell the agencies');
    const res = await supportClient.post(`${page}/conference`, {}, { fromPage: page });
    expect(res.statusCode).toBe(303);
    const shown = await supportClient.get(res.headers.location as string);
    expect(shown.body).toContain('A conference decided the plan is no longer needed');
    expect(shown.body).toContain('DC Priya Shah');
    expect(shown.body).toContain('Letter to post');
    const record = await supportClient.get(`/children/${g.children.ava}`);
    expect(record.body).toContain('The plan ended on 2 March 2026. A conference decided the plan is no longer needed.');
  });

  it('002 §3.9: the plan page gives the date by which the family is met in plain words', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends' });
    const page = await chairClient.get(`/conferences/${g.conferenceId}/meeting/children/${g.children.ava}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('10 working days after the conference on');
    // The hint names no rule; the rule is named only in "How this date was worked out", as for every date.
    expect(page.body).not.toContain('(T-9), counted');
  });

  it('002 §3.9: another reason needs a senior manager’s authority; problems re-render with 400 keeping what was typed', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    const form = `/children/${g.children.ava}/plan-ending/record`;
    const bad = await supportClient.post(
      form,
      { reason: 'left-uk', details: 'Moved to Canada', ...dateFields('endedOn', '2026-03-20') },
      { fromPage: form },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body).map((e) => e.split(':')[0])).toEqual(['#authorisedByUserId', '#authorisedOn-day']);
    expect(bad.body).toContain('Moved to Canada');
    const ok = await supportClient.post(form, {
      reason: 'left-uk',
      details: 'Moved to Canada',
      authorisedByUserId: manager.id,
      ...dateFields('endedOn', '2026-03-20'),
      ...dateFields('authorisedOn', '2026-03-20'),
    });
    expect(ok.statusCode).toBe(303);
    const shown = await supportClient.get(ok.headers.location as string);
    expect(shown.body).toContain('The child permanently left the UK');
    expect(shown.body).toContain('Tia Manager on 20 March 2026');
    // Shown to the next conference.
    const next = await seedConference(ctx, {
      type: 'review',
      scheduledDate: '2026-04-01',
      chairUserId: chair.id,
      childIds: [g.children.ava, g.children.ben],
    });
    const meeting = await chairClient.get(`/conferences/${next.conferenceId}/meeting`);
    expect(meeting.body).toContain(
      'Ava’s plan ended on 20 March 2026. The child permanently left the UK, with the authority of Tia Manager.',
    );
  });

  it('002 §3.9: a social worker sees the plan but may not record an ending; the refusal is audited', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-needed' });
    expect((await swClient.get(`/children/${g.children.ava}/plan-ending`)).statusCode).toBe(200);
    expect((await swClient.get(`/children/${g.children.ava}/plan-ending/record`)).statusCode).toBe(403);
    expect((await auditRows(ctx)).at(-1)).toMatchObject({ outcome: 'denied', actorUserId: sw.id });
    const urls = (await auditRows(ctx))
      .filter((r) => r.action.startsWith('plan-ending'))
      .map((r) => JSON.stringify(r.details));
    expect(urls.join(' ')).not.toMatch(/Okafor|Ava/);
  });

  it('002 §3.9, T-4: transfer out: the move and the pack, then the receiving conference; overdue shows on the child’s record', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-continues' });
    const page = `/children/${g.children.ava}/plan-ending`;
    const moved = await supportClient.post(
      `${page}/transfer`,
      {
        authorityName: 'Southshire Council',
        contactEmail: 'cp@southshire.example.gov.uk',
        ...dateFields('noticeOn', '2026-03-02'),
      },
      { fromPage: `${page}/transfer` },
    );
    expect(moved.statusCode).toBe(303);
    const shown = await supportClient.get(page);
    // 15 working days from Monday 2 March 2026; today is 25 March, so it is overdue.
    expect(shown.body).toContain('23 March 2026');
    expect(shown.body).toContain(`/conferences/${g.conferenceId}/requests/new`);
    expect((await supportClient.get(`/children/${g.children.ava}`)).body).toContain('was due by 23 March 2026');
    const progress = `${page}/transfer/progress`;
    await supportClient.get(progress);
    const version = /name="version" value="(\d+)"/.exec(supportClient.lastHtml)![1]!;
    const done = await supportClient.post(progress, {
      version,
      ...dateFields('receivingConferenceOn', '2026-03-24'),
      ...dateFields('confirmationReceivedOn', '2026-03-25'),
    });
    expect(done.statusCode).toBe(303);
    expect((await supportClient.get(page)).body).toContain('Moved to another authority');
  });
});
