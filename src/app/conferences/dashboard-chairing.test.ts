import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SiblingFixture,
  clientFor,
  ctxOf,
  initialInput,
  siblingFixture,
} from '../../../test/support/convening.ts';
import { addChild } from '../../../test/support/people.ts';
import { apiToken } from '../../../test/support/recording-to-record.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

describe.each(testDatabases())('what the chair’s dashboard says of chairing (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx, 'Dashchair');
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  async function preBirth(prematureBirthLikely: boolean) {
    const baby = await addChild(ctx, f.sw, {
      givenNames: 'Baby',
      familyName: 'Dashchair',
      dateOfBirth: null,
      expectedDeliveryDate: '2026-08-20',
    });
    const { id } = await ctx.services.convening.convene(
      f.sw,
      {
        childIds: [baby],
        type: 'pre-birth',
        expectedDeliveryDate: '2026-08-20',
        preBirthGrounds: ['risk-in-household'],
        prematureBirthLikely,
        scheduledDate: '2026-03-16',
        startTime: '10:00',
        durationMinutes: 60,
        venueKind: 'online',
        onlineLink: 'https://teams.microsoft.com/meet/123',
        chairUserId: f.chair.id,
        minuteTakerUserId: f.support.id,
      },
      ctxOf(f.sw),
    );
    return id;
  }

  it('002 §1.3, T-2: a pre-birth conference where a premature birth is likely is due by 20 weeks, not 24, and the dashboard says why', async () => {
    const early = await preBirth(true);
    const usual = await preBirth(false);
    const view = await ctx.services.dashboards.view(f.chair, { section: 'upcoming' }, ctxOf(f.chair));
    const dueOf = (id: string) => view.sections[0]!.items.find((i) => i.conference.id === id)!.due!;
    expect(dueOf(early)).toMatchObject({
      due: '2026-04-02',
      basis:
        'by 20 weeks of pregnancy, not the usual 24, because a premature birth is likely, counted from the expected date of delivery on 20 August 2026',
    });
    expect(dueOf(usual)).toMatchObject({
      due: '2026-04-30',
      basis: 'by 24 weeks of pregnancy, counted from the expected date of delivery on 20 August 2026',
    });
  });

  it('002 §4.1: the chair’s dashboard lists planned conferences in the next 10 working days whose meeting with the family is not recorded, as a to-do linking to record it', async () => {
    // Today is Monday 2 March 2026: 10 working days ahead is Monday 16 March.
    const { id: soon } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const { id: later } = await ctx.services.convening.convene(
      f.sw,
      initialInput(f, { scheduledDate: '2026-03-17' }),
      ctxOf(f.sw),
    );
    const { id: recorded } = await ctx.services.convening.convene(
      f.sw,
      initialInput(f, { scheduledDate: '2026-03-10' }),
      ctxOf(f.sw),
    );
    await ctx.services.chairing.recordFamilyMeeting(
      f.chair,
      recorded,
      { met: 'no', notMetReason: 'The family did not want to meet before the day.' },
      ctxOf(f.chair),
    );
    const view = await ctx.services.dashboards.view(f.chair, { section: 'family-meetings' }, ctxOf(f.chair));
    const items = view.sections[0]!.items;
    expect(view.sections[0]!.key).toBe('family-meetings');
    expect(items.find((i) => i.conference.id === soon)).toMatchObject({ workingDaysLeft: 10, due: null });
    expect(items.map((i) => i.conference.id)).not.toContain(later);
    expect(items.map((i) => i.conference.id)).not.toContain(recorded);
    // For chairs: a social worker's dashboard has no such section.
    expect((await ctx.services.dashboards.view(f.sw, {}, ctxOf(f.sw))).visibleSections).not.toContain(
      'family-meetings',
    );
    const page = await (await clientFor(ctx, app, f.chair)).get('/dashboard?section=family-meetings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Meet the child and family before the conference');
    expect(page.body).toContain(`href="/conferences/${soon}/chair/family-meeting"`);
    expect(page.body).not.toContain(`href="/conferences/${recorded}/chair/family-meeting"`);
    const api = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard?section=family-meetings',
      headers: { authorization: `Bearer ${await apiToken(ctx, f.chair)}` },
    });
    expect(api.statusCode).toBe(200);
    expect(
      api.json().sections[0].items.find((i: { conference: { id: string } }) => i.conference.id === soon),
    ).toMatchObject({ section: 'family-meetings', due: null, workingDaysLeft: 10 });
    // Once recorded, it leaves the list.
    await ctx.services.chairing.recordFamilyMeeting(
      f.chair,
      soon,
      { met: 'yes', metOn: '2026-03-02', whoMet: 'Ava, Ben and their mother' },
      ctxOf(f.chair),
    );
    const after = await ctx.services.dashboards.view(f.chair, { section: 'family-meetings' }, ctxOf(f.chair));
    expect(after.sections[0]!.items.map((i) => i.conference.id)).not.toContain(soon);
  });
});
