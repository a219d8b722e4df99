import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import { AccessDeniedError, ConflictError, DomainError } from '../../domain/shared/errors.ts';
import { seedConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { as, conferenceWithCoreGroups } from '../../../test/support/core-groups.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { problemsOf } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { CoreGroupService, RecordRequest } from './service.ts';

const d = (s: string) => s as IsoDate;
const fields = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field]) => field);

describe.each(testDatabases())('core groups (%s)', (kind) => {
  let ctx: TestContext;
  let service: CoreGroupService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let manager: Actor;
  let stranger: Actor;
  let g: SiblingGroupConference;

  const recording = (over: Partial<RecordRequest> = {}): RecordRequest => ({
    version: 1,
    attendance: {
      [g.invitee.mother]: 'attended',
      [g.invitee.socialWorker]: 'attended',
      [g.invitee.school]: 'apologies',
    },
    progress: [
      { ordinal: 1, progress: 'in-progress', note: '' },
      { ordinal: 2, progress: 'done', note: null },
    ],
    notes: 'The home is tidier; the dentist has a waiting list.',
    ...over,
  });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    service = ctx.services.coreGroups;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    manager = await staff(ctx, 'Tia Manager', ['team_manager']);
    stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    g = await conferenceWithCoreGroups(ctx, { socialWorker: sw, chair, support }, { leadForAva: false });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.7: the core group comes from the plan: its members, actions and the first core group date, which is when the first is due', async () => {
    ctx.clock.current = new Date('2026-03-03T09:00:00Z');
    const view = await service.forChild(sw, g.children.ben, as(sw));
    expect(view.plan).toMatchObject({
      conferenceId: g.conferenceId,
      inForce: true,
      firstCoreGroupDate: '2026-03-12',
      lead: { userId: sw.id, appointedAfterwards: false },
      actions: [{ ordinal: 1, action: 'Register Ben with a dentist' }, { ordinal: 2 }],
    });
    expect(view.plan!.members.map((m) => m.inviteeId)).toEqual([
      g.invitee.mother,
      g.invitee.socialWorker,
      g.invitee.school,
    ]);
    expect(view.due).toMatchObject({ which: 'first', due: '2026-03-12', status: 'on-track', scheduledInTime: false });
    expect(view.suggestedDate).toBe('2026-03-12');
    const [row] = (await auditRows(ctx, 'core-group.view')).slice(-1);
    expect(row).toMatchObject({ subjectType: 'child', subjectId: g.children.ben, outcome: 'success' });
    expect(JSON.stringify(row!.details)).not.toMatch(/Okafor|Grace|Ben/);
  });

  it('002 §3.10: a meeting is scheduled with the lead social worker or a manager as chair, not before the conference', async () => {
    expect(
      await fields(service.schedule(sw, g.children.ben, { date: d('2026-02-27'), chairUserId: chair.id }, as(sw))),
    ).toEqual(['date', 'chairUserId']);
    const first = await service.schedule(
      sw,
      g.children.ben,
      { date: d('2026-03-12'), chairUserId: manager.id },
      as(sw),
    );
    expect(first).toMatchObject({ sequence: 1, title: 'First core group', meetingDate: '2026-03-12', recorded: false });
    expect(first.chair).toEqual({ userId: manager.id, name: 'Tia Manager' });
    const view = await service.forChild(support, g.children.ben, as(support));
    expect(view.due).toMatchObject({ which: 'first', scheduledInTime: true, nextScheduled: '2026-03-12' });
  });

  it('002 §3.11: a meeting is recorded once it has taken place: every member’s attendance and every action’s progress, an action not done says why', async () => {
    const [m] = (await service.forChild(sw, g.children.ben, as(sw))).meetings;
    expect(await fields(service.record(sw, m!.id, recording(), as(sw)))).toContain('attendance');
    ctx.clock.current = new Date('2026-03-12T15:00:00Z');
    expect(
      await fields(
        service.record(
          sw,
          m!.id,
          recording({
            attendance: { [g.invitee.mother]: 'attended', [g.invitee.school]: 'late' },
            progress: [{ ordinal: 1, progress: 'not-done', note: ' ' }],
          }),
          as(sw),
        ),
      ),
    ).toEqual([`attendance-${g.invitee.socialWorker}`, `attendance-${g.invitee.school}`, 'note-1', 'progress-2']);
    const saved = await service.record(sw, m!.id, recording(), as(sw));
    expect(saved.meeting.record).toMatchObject({
      version: 1,
      changeReason: null,
      progress: [
        { ordinal: 1, action: 'Register Ben with a dentist', progress: 'in-progress', note: null },
        { ordinal: 2, progress: 'done' },
      ],
    });
    expect(saved.meeting.record!.attendance.find((a) => a.inviteeId === g.invitee.school)).toMatchObject({
      attendance: 'apologies',
      name: 'Tom Reid',
    });
    const [row] = (await auditRows(ctx, 'core-group.record')).slice(-1);
    expect(JSON.stringify(row!.details)).not.toMatch(/dentist|Tom|tidier/);
  });

  it('002 §3.11: a recorded meeting is changed only with a reason, every version kept; an out-of-date form changes nothing', async () => {
    const [m] = (await service.forChild(sw, g.children.ben, as(sw))).meetings;
    expect(m!.version).toBe(2);
    expect(await fields(service.record(sw, m!.id, recording({ version: 2 }), as(sw)))).toEqual(['changeReason']);
    await expect(
      service.record(sw, m!.id, recording({ version: 1, changeReason: 'x' }), as(sw)),
    ).rejects.toBeInstanceOf(ConflictError);
    const changed = await service.record(
      sw,
      m!.id,
      recording({
        version: 2,
        changeReason: 'The school sent apologies in writing; the mother left early.',
        progress: [
          { ordinal: 1, progress: 'not-done', note: 'No dentist has space' },
          { ordinal: 2, progress: 'done', note: null },
        ],
      }),
      as(sw),
    );
    expect(changed.history.map((h) => h.version)).toEqual([1, 2]);
    expect(changed.history[1]).toMatchObject({
      changeReason: expect.stringContaining('apologies'),
      recordedByName: 'Sam Worker',
    });
    expect(changed.meeting.record!.progress[0]).toMatchObject({ progress: 'not-done', note: 'No dentist has space' });
  });

  it('002 §3.7: once a core group is held, the next falls due 6 weeks later, and is overdue after that', async () => {
    ctx.clock.current = new Date('2026-04-24T09:00:00Z');
    const view = await service.forChild(sw, g.children.ben, as(sw));
    expect(view.due).toMatchObject({ which: 'next', due: '2026-04-23', status: 'overdue', nextScheduled: null });
    expect(view.suggestedDate).toBeNull();
    const second = await service.schedule(sw, g.children.ben, { date: d('2026-04-28'), chairUserId: sw.id }, as(sw));
    expect(second).toMatchObject({ sequence: 2, title: 'Core group 2' });
  });

  it('002 §3.7: a plan recorded without a lead social worker: only a team manager appoints one, a social worker’s account', async () => {
    const before = await service.forChild(manager, g.children.ava, as(manager));
    expect(before.plan!.lead).toBeNull();
    expect(before.can.appointLead).toBe(true);
    expect(before.leadChoices.map((c) => c.id)).toEqual(expect.arrayContaining([sw.id, stranger.id]));
    expect(before.leadChoices.map((c) => c.id)).not.toContain(manager.id);

    await expect(service.appointLead(sw, g.children.ava, { userId: sw.id }, as(sw))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    const [denied] = (await auditRows(ctx, 'core-group.lead.appoint')).slice(-1);
    expect(denied).toMatchObject({ outcome: 'denied', subjectId: g.children.ava });
    expect(await fields(service.appointLead(manager, g.children.ava, { userId: chair.id }, as(manager)))).toEqual([
      'userId',
    ]);

    const after = await service.appointLead(manager, g.children.ava, { userId: sw.id.toUpperCase() }, as(manager));
    expect(after.plan!.lead).toEqual({ userId: sw.id, name: 'Sam Worker', appointedAfterwards: true });
    expect(after.can.appointLead).toBe(false);
    const [ok] = (await auditRows(ctx, 'core-group.lead.appoint')).slice(-1);
    expect(ok).toMatchObject({ outcome: 'success', details: { conferenceId: g.conferenceId, leadUserId: sw.id } });
    // Named in the plan: nothing to appoint.
    await expect(service.appointLead(manager, g.children.ben, { userId: sw.id }, as(manager))).rejects.toBeInstanceOf(
      DomainError,
    );
  });

  it('002 §3.7: a social worker not allocated to the child is refused, and the refusal audited', async () => {
    await expect(service.forChild(stranger, g.children.ben, as(stranger))).rejects.toBeInstanceOf(AccessDeniedError);
    const [m] = (await service.forChild(sw, g.children.ben, as(sw))).meetings;
    await expect(service.meeting(stranger, m!.id, as(stranger))).rejects.toBeInstanceOf(AccessDeniedError);
    const rows = await auditRows(ctx, 'core-group.meeting.view');
    expect(rows.at(-1)).toMatchObject({ outcome: 'denied', subjectId: g.children.ben });
    await expect(service.meeting(sw, 'not-an-id', as(sw))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('002 §3.7: once a later conference is held with no plan, the meetings are kept as recorded and open on their own, but none is due or recorded', async () => {
    const [first] = (await service.forChild(sw, g.children.ben, as(sw))).meetings;
    await seedConference(ctx, {
      type: 'review',
      status: 'held',
      scheduledDate: '2026-04-27',
      chairUserId: chair.id,
      childIds: [g.children.ben],
    });
    const view = await service.forChild(sw, g.children.ben, as(sw));
    expect(view).toMatchObject({ plan: null, due: null, can: { schedule: false, appointLead: false } });
    expect(view.meetings.map((m) => [m.sequence, m.recorded, m.record])).toEqual([
      [1, true, null],
      [2, false, null],
    ]);
    const detail = await service.meeting(sw, first!.id, as(sw));
    expect(detail).toMatchObject({
      plan: { inForce: false },
      can: { record: false },
      history: [{ version: 1 }, { version: 2 }],
    });
    await expect(
      service.record(sw, first!.id, recording({ version: 3, changeReason: 'x' }), as(sw)),
    ).rejects.toMatchObject({
      code: 'PLAN_ENDED',
    });
    const dashboard = await ctx.services.dashboards.view(sw, { section: 'core-groups' }, as(sw));
    expect(dashboard.sections[0]!.items.flatMap((i) => i.concerning.map((k) => k.id))).not.toContain(g.children.ben);
  });
});
