import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SiblingFixture, ctxOf, siblingFixture } from '../../../test/support/convening.ts';
import { addChild } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';

describe.each(testDatabases())('what the chair’s dashboard says of chairing (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx, 'Dashchair');
  });
  afterAll(async () => {
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
});
