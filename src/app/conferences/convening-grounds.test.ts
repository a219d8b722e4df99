import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { addChild, auditRows } from '../../../test/support/people.ts';
import { type SiblingFixture, ctxOf, initialInput, markHeld, siblingFixture } from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { ConveneInput } from './convening-service.ts';

async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    // A single rule's problem is thrown as that rule's own error, naming its field.
    if (err instanceof DomainError && err.field) return [err.field];
    throw err;
  }
  throw new Error('expected InvalidDetailsError');
}

describe.each(testDatabases())('why a conference is held, recorded at convening (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;
  let baby: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx, 'Grounds');
    baby = await addChild(ctx, f.sw, {
      givenNames: 'Baby',
      familyName: 'Grounds',
      dateOfBirth: null,
      expectedDeliveryDate: '2026-08-20',
    });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const preBirth = (over: Partial<ConveneInput> = {}): ConveneInput => ({
    ...initialInput(f),
    childIds: [baby, f.ava],
    type: 'pre-birth',
    strategyDiscussionDate: null,
    expectedDeliveryDate: '2026-08-20',
    scheduledDate: '2026-03-16',
    ...over,
  });

  it('002 §1.3: a pre-birth conference needs at least one of the four grounds; unknown grounds are refused', async () => {
    expect(await problemFields(ctx.services.convening.convene(f.sw, preBirth(), ctxOf(f.sw)))).toEqual([
      'preBirthGrounds',
    ]);
    expect(
      await problemFields(
        ctx.services.convening.convene(f.sw, preBirth({ preBirthGrounds: ['a-hunch'] }), ctxOf(f.sw)),
      ),
    ).toEqual(['preBirthGrounds']);
  });

  it('002 §1.3: the grounds are kept with the conference, shown on it in the seed’s order, and audited by value only', async () => {
    const { id } = await ctx.services.convening.convene(
      f.sw,
      preBirth({ preBirthGrounds: ['risk-in-household', 'previous-children-removed'] }),
      ctxOf(f.sw),
    );
    const o = await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw));
    expect(o.grounds.preBirthGrounds.map((g) => g.value)).toEqual(['previous-children-removed', 'risk-in-household']);
    expect(o.grounds.preBirthGrounds[1]!.label).toContain('poses a risk to children');
    expect(o.grounds.prematureBirthLikely).toBe(false);
    // T-2: 24 weeks from 280 days before 20 August 2026.
    expect(o.deadline).toMatchObject({ earliest: '2026-02-12', latest: '2026-04-30' });
    const [audit] = (await auditRows(ctx, 'conference.create')).filter((r) => r.subjectId === id);
    expect(audit!.details).toMatchObject({
      preBirthGrounds: ['previous-children-removed', 'risk-in-household'],
      prematureBirthLikely: false,
    });
  });

  it('002 §1.3: a likely premature birth brings T-2 forward to 20 weeks: a date in the usual window then needs agreement', async () => {
    const input = preBirth({ preBirthGrounds: ['historical-knowledge'], prematureBirthLikely: true });
    // 20 weeks from 13 November 2025 is 2 April 2026: 20 April is in the usual window but too late now.
    expect(
      await problemFields(ctx.services.convening.convene(f.sw, { ...input, scheduledDate: '2026-04-20' }, ctxOf(f.sw))),
    ).toEqual(['lateAgreedBy', 'lateReason']);
    const { id, prepared } = await ctx.services.convening.convene(f.sw, input, ctxOf(f.sw));
    expect(prepared.deadline).toMatchObject({ ruleId: 'T-2', earliest: '2026-02-12', latest: '2026-04-02' });
    const o = await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw));
    expect(o.conference.dueDate).toBe('2026-04-02');
    expect(o.deadline.latest).toBe('2026-04-02');
    expect(o.deadline.explanation).toContain('premature birth is likely');
    expect(o.grounds.prematureBirthLikely).toBe(true);
  });

  it('002 §1.3: rearranging a pre-birth conference keeps its earlier window when a premature birth is likely', async () => {
    const { id } = await ctx.services.convening.convene(
      f.sw,
      preBirth({ preBirthGrounds: ['assessment-significant-harm'], prematureBirthLikely: true }),
      ctxOf(f.sw),
    );
    const move = {
      scheduledDate: '2026-04-20',
      startTime: '10:00',
      durationMinutes: 120,
      venueKind: 'hybrid',
      venueDetails: 'Room 2, Town Hall\nLuton',
      onlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      reason: 'The midwife cannot come on the 16th',
    };
    expect(await problemFields(ctx.services.rearrangement.rearrange(f.support, id, move, ctxOf(f.support)))).toEqual([
      'lateAgreedBy',
      'lateReason',
    ]);
    const r = await ctx.services.rearrangement.rearrange(
      f.support,
      id,
      { ...move, scheduledDate: '2026-03-30' },
      ctxOf(f.support),
    );
    expect(r.assessment.withinTimescale).toBe(true);
  });

  it('002 §1.3: a pre-birth conference recorded after it was held also needs its grounds', async () => {
    const held = {
      ...preBirth(),
      scheduledDate: '2026-02-27',
      afterwardsReason: 'Held at short notice after the midwife’s referral',
    };
    expect(await problemFields(ctx.services.rearrangement.recordAfterwards(f.sw, held, ctxOf(f.sw)))).toContain(
      'preBirthGrounds',
    );
    const { id } = await ctx.services.rearrangement.recordAfterwards(
      f.sw,
      { ...held, preBirthGrounds: ['previous-children-removed'] },
      ctxOf(f.sw),
    );
    expect((await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw))).grounds.preBirthGrounds).toHaveLength(1);
  });

  it('002 §2.2: a review held well before it is due needs the reason it is brought forward; one near its due date does not', async () => {
    const g = await siblingFixture(ctx, 'Forward');
    const { id: initial } = await ctx.services.convening.convene(g.sw, initialInput(g), ctxOf(g.sw));
    await markHeld(ctx, initial);
    // The first review is due by 12 June 2026 (T-3); 20 April is more than six weeks before it.
    const review = (over: Partial<ConveneInput>): ConveneInput => ({
      ...initialInput(g),
      type: 'review',
      strategyDiscussionDate: null,
      previousConferenceId: initial,
      scheduledDate: '2026-04-20',
      ...over,
    });
    const prepared = await ctx.services.convening.prepareConvening(g.sw, review({}), ctxOf(g.sw), 'arrangements');
    expect(prepared.broughtForward).toBe(true);
    expect(await problemFields(ctx.services.convening.convene(g.sw, review({}), ctxOf(g.sw)))).toEqual([
      'broughtForwardReason',
    ]);
    expect(
      await problemFields(ctx.services.convening.convene(g.sw, review({ broughtForwardReason: 'other' }), ctxOf(g.sw))),
    ).toEqual(['broughtForwardOther']);
    expect(
      await problemFields(
        ctx.services.convening.convene(g.sw, review({ broughtForwardReason: 'a-whim' }), ctxOf(g.sw)),
      ),
    ).toEqual(['broughtForwardReason']);

    const { id } = await ctx.services.convening.convene(
      g.sw,
      review({ broughtForwardReason: 'new-incident' }),
      ctxOf(g.sw),
    );
    const o = await ctx.services.convening.getConference(g.sw, id, ctxOf(g.sw));
    expect(o.grounds.broughtForward).toMatchObject({ reason: 'new-incident', otherReason: null });
    expect(o.grounds.broughtForward!.text).toContain('new incident of abuse');
    const history = await ctx.services.convening.listChildConferences(g.sw, g.ava, ctxOf(g.sw));
    expect(history.conferences.find((c) => c.id === id)!.broughtForward).toContain('new incident of abuse');
    expect(history.conferences.find((c) => c.id === initial)!.broughtForward).toBeNull();

    const other = await ctx.services.convening.convene(
      g.sw,
      review({ broughtForwardReason: 'other', broughtForwardOther: '  The family asked for an earlier date.  ' }),
      ctxOf(g.sw),
    );
    expect(
      (await ctx.services.convening.getConference(g.sw, other.id, ctxOf(g.sw))).grounds.broughtForward,
    ).toMatchObject({ reason: 'other', otherReason: 'The family asked for an earlier date.' });

    // 11 May is within the six weeks before it is due: no reason asked, and none kept even if given.
    const near = await ctx.services.convening.convene(
      g.sw,
      review({ scheduledDate: '2026-05-11', broughtForwardReason: 'new-incident' }),
      ctxOf(g.sw),
    );
    expect(near.prepared.broughtForward).toBe(false);
    expect((await ctx.services.convening.getConference(g.sw, near.id, ctxOf(g.sw))).grounds.broughtForward).toBeNull();
  });
});
