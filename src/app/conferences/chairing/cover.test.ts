import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotTheChairError } from '../../../domain/conferences/chair-cover.ts';
import { AccessDeniedError, InvalidDetailsError } from '../../../domain/shared/errors.ts';
import { type SiblingFixture, ctxOf, initialInput, siblingFixture } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';

const PART = { label: 'Second part', startOffsetMinutes: 60, durationMinutes: 30 };

describe.each(testDatabases())('chair-only actions: the assigned chair or a recorded cover chair (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx, 'Cover');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §4.1: another chair is refused (audited, naming the chair); once a team manager records them as cover with a reason they may act; holding the chair role is not enough', async () => {
    const { id } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
    const other = await staff(ctx, 'Omar Otherchair', ['chair']);
    const tm = await staff(ctx, 'Tia Teammanager', ['team_manager']);

    const refused = await ctx.services.meeting.addPart(other, id, PART, ctxOf(other)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotTheChairError);
    expect((refused as NotTheChairError).chairName).toBe('Cal Chair');
    expect((refused as Error).message).toBe(
      'Only the conference chair (Cal Chair) or a cover chair recorded for them can do this',
    );
    const denied = (await auditRows(ctx, 'conference.part.add')).filter((a) => a.subjectId === id);
    expect(denied.map((a) => [a.outcome, a.actorUserId])).toEqual([['denied', other.id]]);

    // Someone who is neither the chair, a team manager nor business support cannot record cover.
    await expect(
      ctx.services.chairing.recordCover(other, id, { coverChairUserId: other.id, reason: 'I am here' }, ctxOf(other)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    // A reason is needed, and the cover must be a chair other than the assigned one.
    const invalid = await ctx.services.chairing
      .recordCover(tm, id, { coverChairUserId: f.chair.id, reason: ' ' }, ctxOf(tm))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidDetailsError);
    expect((invalid as InvalidDetailsError).problems.map((p) => p.field).sort()).toEqual([
      'coverChairUserId',
      'reason',
    ]);

    const cover = await ctx.services.chairing.recordCover(
      tm,
      id,
      { coverChairUserId: other.id.toUpperCase(), reason: 'Cal Chair is ill today' },
      ctxOf(tm),
    );
    expect(cover).toMatchObject({
      coverChairUserId: other.id,
      coverChairName: 'Omar Otherchair',
      reason: 'Cal Chair is ill today',
      recordedByName: 'Tia Teammanager',
    });
    const covers = (await auditRows(ctx, 'conference.chair.cover')).filter((a) => a.subjectId === id);
    expect(covers.map((a) => [a.outcome, a.actorUserId])).toEqual([
      ['denied', other.id],
      ['success', tm.id],
    ]);
    expect(covers[1]!.details).toEqual({
      chairUserId: f.chair.id,
      coverChairUserId: other.id,
      replacedCoverChairUserId: null,
    });

    const part = await ctx.services.meeting.addPart(other, id, PART, ctxOf(other));
    expect(part.label).toBe('Second part');
    // The assigned chair still may; a third chair still may not.
    await ctx.services.meeting.removePart(f.chair, id, part.id, ctxOf(f.chair));
    const third = await staff(ctx, 'Thea Third', ['chair']);
    await expect(ctx.services.meeting.addPart(third, id, PART, ctxOf(third))).rejects.toBeInstanceOf(NotTheChairError);

    const view = await ctx.services.chairing.chairing(f.chair, id, ctxOf(f.chair));
    expect(view.cover?.coverChairName).toBe('Omar Otherchair');
    expect(view.canRecordCover).toBe(true);
    expect((await ctx.services.chairing.chairing(third, id, ctxOf(third))).canRecordCover).toBe(false);

    // The assigned chair records another cover: it replaces the first, who may no longer act.
    await ctx.services.chairing.recordCover(
      f.chair,
      id,
      { coverChairUserId: third.id, reason: 'Omar is needed elsewhere' },
      ctxOf(f.chair),
    );
    await expect(ctx.services.meeting.addPart(other, id, PART, ctxOf(other))).rejects.toBeInstanceOf(NotTheChairError);
    await ctx.services.meeting.addPart(third, id, PART, ctxOf(third));
  });
});
