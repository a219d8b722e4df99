import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError } from '../../domain/shared/errors.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { as, conferenceWithCoreGroups } from '../../../test/support/core-groups.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { ChildRecordService } from './child-record.ts';

/** The audit entries written since `seq`, as action and outcome. */
const since = async (ctx: TestContext, seq: number) =>
  (await auditRows(ctx)).filter((r) => r.seq > seq).map((r) => `${r.action} ${r.outcome}`);
const lastSeq = async (ctx: TestContext) => (await auditRows(ctx)).at(-1)?.seq ?? 0;

describe.each(testDatabases())('viewing a child’s record (%s)', (kind) => {
  let ctx: TestContext;
  let service: ChildRecordService;
  let sw: Actor;
  let support: Actor;
  let stranger: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.childRecords;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    g = await conferenceWithCoreGroups(ctx, { socialWorker: sw, chair, support });
    ctx.clock.current = new Date('2026-03-03T09:00:00Z');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.7, §3.9, R-4: reads what the page shows as the separate use cases do, auditing the view once with what was seen', async () => {
    const before = await lastSeq(ctx);
    const view = await service.view(sw, g.children.ben, as(sw));
    expect(view.child.id).toBe(g.children.ben);
    expect(view.family.length).toBeGreaterThan(0);
    expect(view.canEdit).toBe(true);
    expect(view.planEnding).toMatchObject({ state: 'active', plan: { conferenceId: g.conferenceId }, ending: null });
    expect(view.coreGroupDue).toMatchObject({ which: 'first', due: '2026-03-12', status: 'on-track' });
    expect(view.recordings).toEqual([]);
    expect(view.conferenceRequests).toEqual([]);
    // One entry for the whole view, naming what was seen by id (never a name).
    expect(await since(ctx, before)).toEqual(['child.view success']);
    const [row] = (await auditRows(ctx, 'child.view')).slice(-1);
    expect(row).toMatchObject({
      subjectType: 'child',
      subjectId: g.children.ben,
      outcome: 'success',
      details: {
        recordingIds: [],
        planState: 'active',
        coreGroup: { conferenceId: g.conferenceId, meetingIds: [] },
        conferenceRequests: 0,
      },
    });
    expect(JSON.stringify(row!.details)).not.toMatch(/Okafor|Ben|Ava/);

    // The same answers as the use cases of the plan's and the core group's own pages.
    const plan = await ctx.services.planEndings.forChild(sw, g.children.ben, as(sw));
    expect(view.planEnding.warnings).toEqual(plan.warnings);
    expect(view.planEnding.state).toBe(plan.state);
    const core = await ctx.services.coreGroups.forChild(sw, g.children.ben, as(sw));
    expect(view.coreGroupDue).toEqual(core.due);
    // Ids are canonical lower-case: one given in capitals finds the record.
    expect((await service.view(sw, g.children.ben.toUpperCase(), as(sw))).child.id).toBe(g.children.ben);
  });

  it('a social worker not allocated to the child is refused, the refusal audited and nothing else read or audited', async () => {
    const before = await lastSeq(ctx);
    await expect(service.view(stranger, g.children.ben, as(stranger))).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await since(ctx, before)).toEqual(['child.view denied']);
    expect((await auditRows(ctx, 'child.view')).at(-1)).toMatchObject({
      subjectId: g.children.ben,
      details: { reason: expect.any(String) },
    });
    await expect(service.view(sw, 'not-an-id', as(sw))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.view(sw, '00000000-0000-4000-8000-000000000000', as(sw))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('002 §3.7: someone who may see the child but not a restricted sibling in the plan’s conference sees the record without the core group (refusal audited)', async () => {
    expect((await service.view(support, g.children.ava, as(support))).coreGroupDue).not.toBeNull();
    // Ben's record is restricted: business support is not named on it, so may no longer see him.
    await ctx.services.database.execute('update children set restricted = true where id = $1', [g.children.ben]);
    await expect(service.view(support, g.children.ben, as(support))).rejects.toBeInstanceOf(AccessDeniedError);
    const before = await lastSeq(ctx);
    const view = await service.view(support, g.children.ava, as(support));
    expect(view.child.id).toBe(g.children.ava);
    expect(view.coreGroupDue).toBeNull();
    expect(await since(ctx, before)).toEqual(['core-group.view denied', 'child.view success']);
    expect((await auditRows(ctx, 'child.view')).at(-1)).toMatchObject({ details: { coreGroup: null } });
    // As the core group's own use case refuses it.
    await expect(ctx.services.coreGroups.forChild(support, g.children.ava, as(support))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    // The allocated social worker may see both, and sees the core group.
    expect((await service.view(sw, g.children.ava, as(sw))).coreGroupDue).not.toBeNull();
  });
});
