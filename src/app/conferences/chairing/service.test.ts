import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { addDays, londonDateOf } from '../../../domain/calendar/index.ts';
import { StaleRecordError } from '../../../domain/shared/errors.ts';
import { problemsOf } from '../../../../test/support/recording-to-record.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import {
  type SiblingFixture,
  ctxOf,
  initialInput,
  markHeld,
  siblingFixture,
} from '../../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';

/** Each problem the check lists, as `field: message`. */
const problems = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field, message]) => `${field}: ${message}`);

describe.each(testDatabases())('the chair (002 §4.1) (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;
  let manager: Actor;
  let admin: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx);
    manager = await staff(ctx, 'Lin Manager', ['chair', 'team_manager']);
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    await ctx.services.chairing.setLineManager(f.sw.id, manager.id, ctxOf(admin));
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §4.1: an administrator sets a line manager, audited; never themselves, nor someone they manage', async () => {
    expect(await ctx.services.chairing.lineManager(f.sw.id)).toBe(manager.id);
    expect((await auditRows(ctx, 'user.line_manager')).at(-1)).toMatchObject({
      subjectId: f.sw.id,
      outcome: 'success',
      details: { lineManagerId: manager.id },
    });
    expect(await problems(ctx.services.chairing.setLineManager(manager.id, manager.id, ctxOf(admin)))).toEqual([
      'lineManagerId: A person cannot be their own line manager',
    ]);
    expect(await problems(ctx.services.chairing.setLineManager(manager.id, f.sw.id, ctxOf(admin)))).toEqual([
      'lineManagerId: Sam Worker is managed by this person, so cannot be their line manager',
    ]);
  });

  it('002 §4.1: convening with the social worker’s line manager as chair warns and needs a reason, kept and audited', async () => {
    const chaired = initialInput(f, { chairUserId: manager.id });
    expect(await problems(ctx.services.convening.convene(f.sw, chaired, ctxOf(f.sw)))).toEqual([
      'chairIndependenceReason: Lin Manager is the line manager of Sam Worker, Ava Okafor’s allocated social worker; ' +
        'Lin Manager is the line manager of Sam Worker, Ben Okafor’s allocated social worker. The chair should be ' +
        'independent of the case: choose another chair, or give the reason they should chair this conference',
    ]);
    const { id } = await ctx.services.convening.convene(
      f.sw,
      { ...chaired, chairIndependenceReason: 'The only chair free within the timescale.' },
      ctxOf(f.sw),
    );
    const view = await ctx.services.chairing.chairing(f.sw, id, ctxOf(f.sw));
    expect(view.reasons).toEqual([
      expect.objectContaining({
        chairName: 'Lin Manager',
        occasion: 'convened',
        concerns: ['line-manager'],
        reason: 'The only chair free within the timescale.',
        recordedByName: 'Sam Worker',
      }),
    ]);
    expect(view.concerns.map((c) => c.kind)).toEqual(['line-manager', 'line-manager']);
    const [audit] = (await auditRows(ctx, 'conference.chair.independence')).filter((r) => r.subjectId === id);
    expect(audit?.details).toEqual({
      reasonId: view.reasons[0]!.id,
      chairUserId: manager.id,
      occasion: 'convened',
      concerns: ['line-manager'],
    });
    expect(JSON.stringify(audit?.details)).not.toContain('timescale');
  });

  it('002 §4.1: an independent chair needs no reason and nothing is recorded', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const view = await ctx.services.chairing.chairing(f.sw, id, ctxOf(f.sw));
    expect(view).toMatchObject({ concerns: [], reasons: [], familyMeetingDue: true });
  });

  it('002 §4.1: changing the chair to a child’s own social worker needs the reason; a held conference keeps its chair', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const swChair = await staff(ctx, 'Sol Worker', ['social_worker', 'chair']);
    const ben = await ctx.services.people.getChildRecord(f.sw, f.ben, ctxOf(f.sw));
    await ctx.services.people.updateChild(
      f.support,
      f.ben,
      ben.child.version,
      { allocatedSocialWorkerId: swChair.id },
      ctxOf(f.support),
    );
    expect(
      await problems(ctx.services.chairing.changeChair(f.support, id, { chairUserId: swChair.id }, ctxOf(f.support))),
    ).toEqual([
      'chairIndependenceReason: Sol Worker is Ben Okafor’s allocated social worker. The chair should be independent of the case: choose another chair, or give the reason they should chair this conference',
    ]);
    expect(
      await problems(ctx.services.chairing.changeChair(f.support, id, { chairUserId: f.chair.id }, ctxOf(f.support))),
    ).toEqual(['chairUserId: Cal Chair already chairs this conference: choose someone else']);
    await ctx.services.chairing.changeChair(
      f.support,
      id,
      { chairUserId: swChair.id, chairIndependenceReason: 'Agreed by the service manager: no other chair is free.' },
      ctxOf(f.support),
    );
    const view = await ctx.services.chairing.chairing(f.support, id, ctxOf(f.support));
    expect(view.chair).toEqual({ id: swChair.id, name: 'Sol Worker' });
    expect(view.reasons.map((r) => [r.occasion, r.concerns, r.recordedByName])).toEqual([
      ['chair-changed', ['social-worker'], 'Bo Support'],
    ]);
    expect(
      (await auditRows(ctx, 'conference.chair.change')).filter((r) => r.subjectId === id).map((r) => r.details),
    ).toEqual([{ fromChairUserId: f.chair.id, chairUserId: swChair.id, changeId: expect.any(String), reinvited: 0 }]);
    await markHeld(ctx, id);
    await expect(
      ctx.services.chairing.changeChair(f.support, id, { chairUserId: f.chair.id }, ctxOf(f.support)),
    ).rejects.toThrow(/only before the conference is held/);
    expect((await auditRows(ctx, 'conference.chair.change')).at(-1)).toMatchObject({
      subjectId: id,
      outcome: 'denied',
    });
  });

  it('002 §4.1: the chair’s meeting with the child and family: when and who, or why not; checked, versioned and audited', async () => {
    // Ben's social worker changed above: business support convenes this one.
    const { id } = await ctx.services.convening.convene(f.support, initialInput(f), ctxOf(f.support));
    const today = londonDateOf(ctx.clock.now());
    const record = (input: Record<string, unknown>) =>
      ctx.services.chairing.recordFamilyMeeting(f.chair, id, input, ctxOf(f.chair));
    expect(await problems(record({}))).toEqual([
      'met: Select whether the chair met the child and family before the conference',
    ]);
    expect(await problems(record({ met: 'yes', metOn: addDays(today, 1), whoMet: '' }))).toEqual([
      'metOn: The date must be today or in the past',
      'whoMet: Enter who the chair met',
    ]);
    expect(await problems(record({ met: 'no' }))).toEqual([
      'notMetReason: Enter why the chair did not meet the child and family',
    ]);
    const saved = await record({ met: 'yes', metOn: today, whoMet: 'Ava, Ben and their mother, Grace' });
    expect(saved).toMatchObject({ met: true, metOn: today, whoMet: 'Ava, Ben and their mother, Grace', version: 1 });
    const view = await ctx.services.chairing.chairing(f.chair, id, ctxOf(f.chair));
    expect(view.familyMeetingDue).toBe(false);
    await record({ met: 'no', notMetReason: 'The family did not want to meet before the day.', version: 1 });
    await expect(record({ met: 'no', notMetReason: 'Stale', version: 1 })).rejects.toBeInstanceOf(StaleRecordError);
    expect(
      (await auditRows(ctx, 'conference.chair.family_meeting')).filter((r) => r.subjectId === id).map((r) => r.details),
    ).toEqual([
      { met: true, version: 1 },
      { met: false, version: 2 },
    ]);
  });
});
