import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { as, conferenceWithCoreGroups } from '../../../test/support/core-groups.ts';
import { auditRows, emailOf, staff } from '../../../test/support/people.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { CORE_GROUP_REMINDER_JOB, type CoreGroupReminderService } from './reminders.ts';

const at = (day: string) => new Date(`${day}T08:00:00Z`);

describe.each(testDatabases())('core group reminders (%s)', (kind) => {
  let ctx: TestContext;
  let reminders: CoreGroupReminderService;
  let sw: Actor;
  let chair: Actor;
  let manager: Actor;
  let g: SiblingGroupConference;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    reminders = ctx.services.coreGroupReminders;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    await ctx.services.chairing.setLineManager(sw.id, manager.id, as(manager));
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    // The first core group is set for Thursday 12 March 2026; Ben has a lead social worker, Ava none yet.
    g = await conferenceWithCoreGroups(ctx, { socialWorker: sw, chair, support }, { leadForAva: false });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const sentFor = async (to: string) => readOutbox(ctx.services.database, { to, template: 'core-group-reminder' });

  it('002 §3.7: 3 working days before the core group is due with none booked, the lead social worker is emailed, or the team manager while none is appointed; once per due date', async () => {
    // Friday 6 March: 4 working days before: too early.
    ctx.clock.current = at('2026-03-06');
    expect(await reminders.sendReminders()).toEqual({ due: 0, emailed: 0 });
    // Monday 9 March: 3 working days before: Ben's lead social worker, and Ava's team manager.
    ctx.clock.current = at('2026-03-09');
    expect(await reminders.sendReminders()).toEqual({ due: 2, emailed: 2 });
    const [toLead] = await sentFor(emailOf(sw));
    expect(toLead!.body).toContain('The first core group is due by 12 March 2026');
    expect(toLead!.body).toContain(`/children/${g.children.ben}/core-groups`);
    expect(toLead!.body).not.toContain('Ben');
    const [toManager] = await sentFor(emailOf(manager));
    expect(toManager!.body).toContain(`/children/${g.children.ava}/core-groups`);
    const audits = (await auditRows(ctx, 'core-group.remind')).map((a) => a.details);
    expect(audits).toEqual(
      expect.arrayContaining([
        { childId: g.children.ben, dueOn: '2026-03-12', recipientUserId: sw.id, recipientAs: 'lead-social-worker' },
        { childId: g.children.ava, dueOn: '2026-03-12', recipientUserId: manager.id, recipientAs: 'team-manager' },
      ]),
    );
    // The next day, and a second node running the job the same day: nothing more for the same due date.
    expect(await reminders.sendReminders()).toEqual({ due: 0, emailed: 0 });
    ctx.clock.current = at('2026-03-10');
    expect(await reminders.sendReminders()).toEqual({ due: 0, emailed: 0 });
    expect(await sentFor(emailOf(sw))).toHaveLength(1);
  });

  it('002 §3.7: no reminder when a core group is booked, and the job runs on weekday mornings', async () => {
    const other = await conferenceWithCoreGroups(
      ctx,
      { socialWorker: sw, chair, support: await staff(ctx, 'Di Support', ['business_support']) },
      { familyName: 'Booked' },
    );
    for (const child of [other.children.ava, other.children.ben])
      await ctx.services.coreGroups.schedule(sw, child, { date: '2026-03-12' as IsoDate, chairUserId: sw.id }, as(sw));
    ctx.clock.current = at('2026-03-11');
    const before = (await auditRows(ctx, 'core-group.remind')).length;
    await reminders.sendReminders();
    const after = (await auditRows(ctx, 'core-group.remind')).slice(before);
    expect(after.map((a) => a.details)).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ childId: other.children.ava })]),
    );
    const job = ctx.services.scheduledJobs.find((j) => j.name === CORE_GROUP_REMINDER_JOB);
    expect(job).toMatchObject({ name: 'core-group-reminders', cron: '0 8 * * 1-5' });
  });
});
